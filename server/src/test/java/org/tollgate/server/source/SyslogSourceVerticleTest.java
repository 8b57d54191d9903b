package org.tollgate.server.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.normalizer.input.LineBuffer;
import org.tollgate.normalizer.json.EcsJsonWriter;
import org.tollgate.server.config.ListenAddress;
import org.tollgate.server.config.SourceSettings;
import org.tollgate.testkit.OverlongLines;
import org.tollgate.testkit.Waits;

/** The syslog receiver on a random loopback port, fed the way rsyslog and syslog-ng forward Asterisk's lines. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 2 * Waits.PATIENCE_SECONDS, timeUnit = TimeUnit.SECONDS)
class SyslogSourceVerticleTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RFC3164_INVITE = "<29>Sep  8 11:28:36 pbx1 asterisk[4010]: NOTICE[4021][C-0000001d]: "
            + "chan_sip.c:25902 in handle_request_invite: Call from '' (192.0.2.61:5081) to extension "
            + "'9011441632960123' rejected because extension not found in context 'public'.";
    private static final String RFC3164_REGISTER = "<29>Mar 15 19:57:04 pbx1 asterisk[3187]: NOTICE[3201]: "
            + "chan_sip.c:17045 in handle_request_register: Registration from '<sip:100@203.0.113.5>' failed for "
            + "'192.0.2.10' - No matching peer found";
    private static final String RFC5424_PJSIP = "<133>1 2021-07-22T17:04:36.512-05:00 pbx2 asterisk 2289 - - "
            + "NOTICE[2290]: res_pjsip/pjsip_distributor.c:676 in log_failed_request: Request 'REGISTER' from "
            + "'<sip:1002@203.0.113.5>' failed for '198.51.100.77:5060' (callid: 1889283542-87542901-1273643) - "
            + "Failed to authenticate";
    private static final String RFC5424_AMI = "<133>1 2025-08-28T14:58:09.250Z pbx3.example.net asterisk 3100 - - "
            + "NOTICE[3110]: manager.c:3342 in authenticate: 2001:db8::50 failed to authenticate as 'admin'";

    private final EcsJsonWriter writer = new EcsJsonWriter();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private Vertx vertx;
    private SyslogSourceVerticle source;

    private SyslogSourceVerticle deploy(Vertx vertx, String protocol, int maxMessageBytes, int maxConnections,
                                        int maxSenders) throws Exception {
        this.vertx = vertx;
        SourceSettings.SyslogSource settings = new SourceSettings.SyslogSource(new ListenAddress("127.0.0.1", 0),
                protocol, false, ZoneOffset.UTC, 1);
        source = new SyslogSourceVerticle(settings, this::collect, Clock.systemUTC(), SourceOptions.alone(), maxMessageBytes,
                maxConnections, maxSenders);
        Waits.result(vertx.deployVerticle(source).toCompletionStage());
        return source;
    }

    private SyslogSourceVerticle deploy(Vertx vertx) throws Exception {
        return deploy(vertx, "both", SyslogSourceVerticle.MAX_MESSAGE_BYTES, SyslogSourceVerticle.MAX_CONNECTIONS,
                SyslogSourceVerticle.MAX_SENDERS);
    }

    private void collect(ParseResult result) {
        try {
            events.add(JSON.readTree(writer.toJson(result)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @AfterEach
    void undeploy() throws Exception {
        if (source != null && source.deploymentID() != null) {
            Waits.result(vertx.undeploy(source.deploymentID()).toCompletionStage());
        }
    }

    private void awaitEvents(int count) {
        Waits.until(count + " events", () -> events.size() >= count);
    }

    private static void sendUdp(String from, int port, String message) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(from, 0))) {
            byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getByName("127.0.0.1"), port));
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void write(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String octets(String message) {
        return message.getBytes(StandardCharsets.UTF_8).length + " " + message;
    }

    private static void assertEvent(JsonNode event, String sourceIp, String hostname, String layout) {
        assertThat(event.at("/event/dataset").asText()).isEqualTo("asterisk.security");
        assertThat(event.at("/source/ip").asText()).isEqualTo(sourceIp);
        assertThat(event.at("/host/hostname").asText()).isEqualTo(hostname);
        assertThat(event.at("/asterisk/layout").asText()).isEqualTo(layout);
    }

    @Test
    void readsOneMessagePerDatagram(Vertx vertx) throws Exception {
        SyslogSourceVerticle source = deploy(vertx);
        sendUdp("127.0.0.1", source.udpPort(), RFC3164_INVITE);
        awaitEvents(1);
        sendUdp("127.0.0.1", source.udpPort(), RFC5424_AMI);
        awaitEvents(2);
        assertEvent(events.get(0), "192.0.2.61", "pbx1", "syslog");
        assertThat(events.get(0).at("/event/action").asText()).isEqualTo("call-rejected-unknown-extension");
        assertThat(events.get(0).at("/event/original").asText()).isEqualTo(RFC3164_INVITE);
        assertEvent(events.get(1), "2001:db8::50", "pbx3.example.net", "syslog-5424");
        assertThat(events.get(1).at("/@timestamp").asText()).isEqualTo("2025-08-28T14:58:09.250Z");
        assertThat(source.linesRead()).isEqualTo(2);
    }

    @Test
    void readsOneMessagePerLineOverTcp(Vertx vertx) throws Exception {
        SyslogSourceVerticle source = deploy(vertx);
        try (Socket socket = connect(source.tcpPort())) {
            write(socket, RFC3164_REGISTER + "\n" + RFC5424_PJSIP.substring(0, 40));
            // The first line read means the part after it came with it: the second line is split across two reads.
            awaitEvents(1);
            write(socket, RFC5424_PJSIP.substring(40) + "\n");
            awaitEvents(2);
        }
        assertEvent(events.get(0), "192.0.2.10", "pbx1", "syslog");
        assertEvent(events.get(1), "198.51.100.77", "pbx2", "syslog-5424");
        assertThat(events.get(1).at("/@timestamp").asText()).isEqualTo("2021-07-22T22:04:36.512Z");
    }

    @Test
    void readsOctetCountedFramesOverTcp(Vertx vertx) throws Exception {
        SyslogSourceVerticle source = deploy(vertx);
        String stream = octets(RFC5424_PJSIP) + octets(RFC3164_INVITE) + octets(RFC5424_AMI);
        try (Socket socket = connect(source.tcpPort())) {
            for (int i = 0; i < stream.length(); i += 97) {
                write(socket, stream.substring(i, Math.min(stream.length(), i + 97)));
            }
            awaitEvents(3);
        }
        assertEvent(events.get(0), "198.51.100.77", "pbx2", "syslog-5424");
        assertEvent(events.get(1), "192.0.2.61", "pbx1", "syslog");
        assertEvent(events.get(2), "2001:db8::50", "pbx3.example.net", "syslog-5424");
    }

    @Test
    void cutsAnOversizedMessageAndGoesOn(Vertx vertx) throws Exception {
        SyslogSourceVerticle source = deploy(vertx, "both", 512, 8, 8);
        String huge = RFC3164_REGISTER + " " + "A".repeat(3_000);
        sendUdp("127.0.0.1", source.udpPort(), huge);
        awaitEvents(1);
        try (Socket socket = connect(source.tcpPort())) {
            write(socket, huge + "\n" + RFC3164_INVITE + "\n");
            awaitEvents(3);
        }
        sendUdp("127.0.0.1", source.udpPort(), RFC5424_AMI);
        awaitEvents(4);
        for (JsonNode cut : List.of(events.get(0), events.get(1))) {
            assertThat(cut.at("/asterisk/truncated").asBoolean()).isTrue();
            assertThat(cut.at("/event/original").asText()).hasSize(512 + LineBuffer.CUT.length());
            assertEvent(cut, "192.0.2.10", "pbx1", "syslog");
        }
        assertEvent(events.get(2), "192.0.2.61", "pbx1", "syslog");
        assertThat(events.get(2).at("/asterisk/truncated").isMissingNode()).isTrue();
        assertEvent(events.get(3), "2001:db8::50", "pbx3.example.net", "syslog-5424");
        assertThat(source.truncatedLines()).isEqualTo(2);
    }

    /** A From header of 1 MiB over TCP, in either framing: the message keeps its head and tail, and its address. */
    @Test
    void aMegabyteFailureOverTcpKeepsItsAddress(Vertx vertx) throws Exception {
        SyslogSourceVerticle source = deploy(vertx);
        String message = OverlongLines.pjsipSyslog();
        try (Socket socket = connect(source.tcpPort())) {
            write(socket, message + "\n" + RFC3164_INVITE + "\n");
            awaitEvents(2);
        }
        try (Socket socket = connect(source.tcpPort())) {
            write(socket, octets(message) + octets(RFC3164_INVITE));
            awaitEvents(4);
        }
        for (JsonNode cut : List.of(events.get(0), events.get(2))) {
            assertThat(cut.at("/asterisk/truncated").asBoolean()).isTrue();
            assertThat(cut.at("/event/original").asText()).contains(LineBuffer.CUT);
            assertEvent(cut, OverlongLines.PJSIP_SOURCE, "pbx1", "syslog-5424");
        }
        assertEvent(events.get(3), "192.0.2.61", "pbx1", "syslog");
        assertThat(source.truncatedLines()).isEqualTo(2);
    }

    /** A datagram is never longer than the bound (65,507 bytes at most over IPv4): the longest is read whole. */
    @Test
    void theLongestDatagramIsReadWhole(Vertx vertx) throws Exception {
        SyslogSourceVerticle source = deploy(vertx);
        String prefix = "<133>1 2026-01-18T17:40:02Z pbx1 asterisk 2289 - - NOTICE[2290]: res_pjsip/pjsip_distributor.c:676 in "
                + "log_failed_request: ";
        int room = 65_507 - prefix.length() - OverlongLines.pjsipMessage(0).length();
        String message = prefix + OverlongLines.pjsipMessage(room);
        assertThat(message.length()).isEqualTo(65_507);
        sendUdp("127.0.0.1", source.udpPort(), message);
        awaitEvents(1);
        assertEvent(events.get(0), OverlongLines.PJSIP_SOURCE, "pbx1", "syslog-5424");
        assertThat(events.get(0).at("/event/original").asText()).isEqualTo(message);
        assertThat(source.truncatedLines()).isZero();
    }

    @Test
    void eachSenderHasItsOwnNormalizerUpToTheLimit(Vertx vertx) throws Exception {
        SyslogSourceVerticle source = deploy(vertx, "udp", 1024, 8, 1);
        sendUdp("127.0.0.1", source.udpPort(), RFC3164_INVITE);
        sendUdp("127.0.0.1", source.udpPort(), RFC3164_REGISTER);
        awaitEvents(2);
        sendUdp("127.0.0.2", source.udpPort(), RFC3164_INVITE);
        awaitEvents(3);
        sendUdp("127.0.0.1", source.udpPort(), RFC3164_INVITE);
        awaitEvents(4);
        // event.sequence counts lines per normalizer: 127.0.0.2 starts its own; with room for one sender,
        // 127.0.0.1 was forgotten when 127.0.0.2 came and starts again.
        assertThat(events).extracting(e -> e.at("/event/sequence").asLong()).containsExactly(1L, 2L, 1L, 1L);
        assertThat(source.tcpPort()).isEqualTo(-1);
    }

    @Test
    void closesConnectionsPastTheLimit(Vertx vertx) throws Exception {
        SyslogSourceVerticle source = deploy(vertx, "tcp", 1024, 1, 8);
        try (Socket first = connect(source.tcpPort())) {
            write(first, RFC3164_INVITE + "\n");
            awaitEvents(1);
            try (Socket second = connect(source.tcpPort())) {
                assertThat(second.getInputStream().read()).isEqualTo(-1);
            }
            write(first, RFC3164_REGISTER + "\n");
            awaitEvents(2);
        }
        assertThat(source.refusedConnections()).isEqualTo(1);
        assertThat(source.udpPort()).isEqualTo(-1);
    }

    @Test
    void namesTheSourceWhenThePortIsTaken(Vertx vertx) throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            SourceSettings.SyslogSource settings = new SourceSettings.SyslogSource(
                    new ListenAddress("127.0.0.1", taken.getLocalPort()), "tcp", false, ZoneOffset.UTC, 7);
            Throwable failure = vertx.deployVerticle(new SyslogSourceVerticle(settings, this::collect,
                    Clock.systemUTC(), SourceOptions.alone())).toCompletionStage().toCompletableFuture().handle((id, e) -> e).get();
            assertThat(failure).hasMessageStartingWith("source syslog (line 7): cannot receive on tcp 127.0.0.1:"
                    + taken.getLocalPort() + ": ");
        }
    }

    @Test
    void closesAConnectionThatIsNotSyslog(Vertx vertx) throws Exception {
        SyslogSourceVerticle source = deploy(vertx);
        try (Socket socket = connect(source.tcpPort())) {
            write(socket, octets(RFC3164_INVITE) + "GET / HTTP/1.1\r\n\r\n");
            InputStream in = socket.getInputStream();
            assertThat(in.read()).isEqualTo(-1);
        }
        awaitEvents(1);
        assertEvent(events.get(0), "192.0.2.61", "pbx1", "syslog");
        assertThat(events).hasSize(1);
    }
}
