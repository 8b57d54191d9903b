package org.tollgate.server.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.server.api.BusEvents;
import org.tollgate.server.bus.Addresses;
import org.tollgate.server.bus.EventPublisher;
import org.tollgate.server.config.OutputSettings;
import org.tollgate.testkit.Waits;

/**
 * The syslog output against a real rsyslogd (Debian's rsyslog package) with a private configuration in a temporary
 * directory: imtcp (octet-counted frames, its default) and imudp on loopback, and a template that writes how rsyslog
 * parsed each message's header followed by the raw message, so the test reads both back.
 */
class RsyslogForwardIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path RSYSLOGD = Path.of("/usr/sbin/rsyslogd");
    private static final Pattern RFC5424 = Pattern.compile(
            "<(\\d{1,3})>1 (\\S+) (\\S+) tollgate (\\d+) - - (.*)", Pattern.DOTALL);
    private static final String PID = Long.toString(ProcessHandle.current().pid());

    @TempDir
    Path dir;

    private Process rsyslogd;
    private Vertx vertx;
    private int tcpPort;
    private int udpPort;
    private Path received;

    @BeforeEach
    void startRsyslog() throws Exception {
        assertThat(RSYSLOGD).as("rsyslogd is needed for this test: apt-get install rsyslog").isExecutable();
        received = dir.resolve("received.log");
        Path portFile = dir.resolve("imtcp.port");
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            udpPort = probe.getLocalPort();
        }
        Path conf = dir.resolve("rsyslog.conf");
        Files.writeString(conf, """
                global(workDirectory="%1$s" maxMessageSize="64k")
                module(load="imtcp")
                module(load="imudp")
                template(name="parsed-then-raw" type="list") {
                  property(name="inputname") constant(value=" ")
                  property(name="syslogfacility-text") constant(value=" ")
                  property(name="syslogseverity-text") constant(value=" ")
                  property(name="app-name") constant(value=" ")
                  property(name="procid") constant(value=" ")
                  property(name="rawmsg") constant(value="\\n")
                }
                ruleset(name="tollgate") {
                  action(type="omfile" file="%2$s" template="parsed-then-raw")
                }
                input(type="imtcp" address="127.0.0.1" port="0" listenPortFileName="%3$s" ruleset="tollgate")
                input(type="imudp" address="127.0.0.1" port="%4$d" ruleset="tollgate")
                """.formatted(dir, received, portFile, udpPort));
        rsyslogd = new ProcessBuilder(List.of(RSYSLOGD.toString(), "-n", "-f", conf.toString(),
                "-i", dir.resolve("rsyslogd.pid").toString()))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("rsyslogd.out").toFile())
                .start();
        tcpPort = Integer.parseInt(eventually(() -> {
            try {
                String text = Files.exists(portFile) ? Files.readString(portFile).strip() : "";
                return text.isEmpty() ? null : text;
            } catch (IOException e) {
                return null;
            }
        }, "rsyslogd listening on imtcp"));
        vertx = Vertx.vertx();
        EventPublisher.registerCodecs(vertx.eventBus());
    }

    @AfterEach
    void stopRsyslog() throws Exception {
        if (vertx != null) {
            Waits.result(vertx.close().toCompletionStage());
        }
        if (rsyslogd != null) {
            rsyslogd.destroy();
            if (!rsyslogd.waitFor(10, TimeUnit.SECONDS)) {
                rsyslogd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private SyslogOutputVerticle deploy(String protocol, int port, String facility) throws Exception {
        OutputSettings.SyslogOutput settings = new OutputSettings.SyslogOutput("127.0.0.1", port, protocol, facility, true,
                OutputSettings.DEFAULT_QUEUE, false, null,
                protocol.equals("udp") ? OutputSettings.SyslogOutput.DEFAULT_MAX_DATAGRAM : 0, 1);
        SyslogOutputVerticle output = new SyslogOutputVerticle(settings);
        Waits.result(vertx.deployVerticle(output).toCompletionStage());
        return output;
    }

    /** One line of rsyslog's output: how it parsed the header, then the message as received. */
    private record Received(String input, String facility, String severity, String appName, String procId,
                            String raw) {

        static Received of(String line) {
            String[] parts = line.split(" ", 6);
            return new Received(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5]);
        }
    }

    private List<Received> receivedLines() {
        try {
            if (!Files.exists(received)) {
                return List.of();
            }
            // rsyslog writes a long line in pieces: one without its newline yet is still being written.
            byte[] bytes = Files.readAllBytes(received);
            int end = bytes.length;
            while (end > 0 && bytes[end - 1] != '\n') {
                end--;
            }
            return new String(bytes, 0, end, StandardCharsets.UTF_8).lines().map(Received::of).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private List<Received> receivedFrom(String input, int count) throws Exception {
        return eventually(() -> {
            List<Received> lines = receivedLines().stream().filter(line -> line.input().equals(input)).toList();
            return lines.size() >= count ? lines : null;
        }, count + " messages through " + input);
    }

    @Test
    void everyEventArrivesIntactOverTcpAndUdp() throws Exception {
        SyslogOutputVerticle tcp = deploy("tcp", tcpPort, "local0");
        SyslogOutputVerticle udp = deploy("udp", udpPort, "local3");
        eventually(() -> tcp.state() == ForwardingOutput.State.CONNECTED ? true : null, "connected to imtcp");
        EventPublisher publisher = new EventPublisher(vertx.eventBus());
        List<ParseResult> results = ForwardFixtures.results();
        List<Buffer> json = ForwardFixtures.json();
        results.forEach(publisher::handle);

        // auth failure, VERBOSE, planted From name, IPv6 with non-ASCII text, ERROR, AMI wrong password, AMI login
        List<String> severities = List.of("warning", "info", "warning", "warning", "err", "warning", "notice");
        for (String input : List.of("imtcp", "imudp")) {
            List<Received> lines = receivedFrom(input, results.size());
            assertThat(lines).hasSize(results.size());
            for (int i = 0; i < lines.size(); i++) {
                Received line = lines.get(i);
                assertThat(line.facility()).isEqualTo(input.equals("imtcp") ? "local0" : "local3");
                assertThat(line.severity()).as(line.raw()).isEqualTo(severities.get(i));
                assertThat(line.appName()).isEqualTo("tollgate");
                assertThat(line.procId()).isEqualTo(PID);
                Matcher header = RFC5424.matcher(line.raw());
                assertThat(header.matches()).as(line.raw()).isTrue();
                JsonNode event = JSON.readTree(header.group(5));
                assertThat(event).isEqualTo(JSON.readTree(json.get(i).getBytes()));
            }
            // UTF-8 passed through as bytes, not escaped by rsyslog.
            assertThat(lines.get(3).raw()).contains("Müller – Ωmega 東京");
        }
        assertThat(tcp.sent()).isEqualTo(results.size());
        assertThat(udp.sent()).isEqualTo(results.size());
        assertThat(tcp.dropped() + udp.dropped()).isZero();
    }

    @Test
    void octetCountingHoldsOverThousandsOfFramesOfEverySize() throws Exception {
        SyslogOutputVerticle tcp = deploy("tcp", tcpPort, "local0");
        eventually(() -> tcp.state() == ForwardingOutput.State.CONNECTED ? true : null, "connected to imtcp");
        DeliveryOptions security = new DeliveryOptions().addHeader(Addresses.SECURITY, "true");
        int count = 3_000;
        List<String> messages = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            // Sizes from a few bytes to 20 KB, with spaces and digits where a frame boundary could be misread.
            String message = ("1 <13>1 Ωx " + n + " ").repeat(1 + (n * 7919) % 1500);
            messages.add(message);
            BusEvents.publishChunk(vertx.eventBus(),
                    Buffer.buffer("{\"n\":" + n + ",\"message\":\"" + message + "\"}"), true);
        }
        List<Received> lines = receivedFrom("imtcp", count);
        assertThat(lines).hasSize(count);
        for (int n = 0; n < count; n++) {
            Matcher header = RFC5424.matcher(lines.get(n).raw());
            assertThat(header.matches()).isTrue();
            JsonNode event = JSON.readTree(header.group(5));
            assertThat(event.get("n").asInt()).isEqualTo(n);
            assertThat(event.get("message").asText()).isEqualTo(messages.get(n));
        }
        assertThat(tcp.dropped()).isZero();
    }

    private static <T> T eventually(Supplier<T> probe, String what) {
        List<T> found = new ArrayList<>(1);
        Waits.until(what, () -> {
            T value = probe.get();
            return value != null && found.add(value);
        });
        return found.get(0);
    }
}
