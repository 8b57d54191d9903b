package org.tollgate.server.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tollgate.server.output.TcpJsonOutputVerticleTest.publisher;
import static org.tollgate.server.output.TcpJsonOutputVerticleTest.quickBackoff;
import static org.tollgate.server.output.TcpJsonOutputVerticleTest.until;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.net.NetServer;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.server.bus.EventPublisher;
import org.tollgate.server.config.OutputSettings;
import org.tollgate.testkit.Waits;

/** The syslog output against Vert.x sockets standing in for the collector: octet-counted TCP and UDP datagrams. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 2 * Waits.PATIENCE_SECONDS, timeUnit = TimeUnit.SECONDS)
class SyslogOutputVerticleTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-11-20T21:15:00Z"));
    private static final Pattern RFC5424 = Pattern.compile(
            "<(\\d{1,3})>1 2026-11-20T21:15:00.000Z (\\S+) tollgate (\\d+) - - (.*)", Pattern.DOTALL);

    private static OutputSettings.SyslogOutput settings(int port, String protocol, String facility, int maxDatagram) {
        return new OutputSettings.SyslogOutput("127.0.0.1", port, protocol, facility, false, 100, false, null,
                maxDatagram, 1);
    }

    private static List<Buffer> securityJson() {
        List<ParseResult> results = ForwardFixtures.results();
        List<Buffer> json = ForwardFixtures.json();
        return java.util.stream.IntStream.range(0, results.size())
                .filter(i -> results.get(i) instanceof ParseResult.Parsed parsed && parsed.event().isSecurity())
                .mapToObj(json::get).toList();
    }

    /** Reads RFC 6587 octet-counted frames: digits, a space, then exactly that many bytes. */
    private static RecordParser octetCountedFrames(List<String> frames) {
        RecordParser parser = RecordParser.newDelimited(" ");
        parser.handler(new io.vertx.core.Handler<>() {
            boolean length = true;

            @Override
            public void handle(Buffer part) {
                if (length) {
                    parser.fixedSizeMode(Integer.parseInt(part.toString()));
                } else {
                    frames.add(part.toString(StandardCharsets.UTF_8));
                    parser.delimitedMode(" ");
                }
                length = !length;
            }
        });
        return parser;
    }

    @Test
    void overTcpEachEventIsOneOctetCountedRfc5424Message(Vertx vertx, VertxTestContext test) {
        List<String> frames = new CopyOnWriteArrayList<>();
        NetServer collector = vertx.createNetServer().connectHandler(socket -> socket.handler(octetCountedFrames(frames)));
        EventPublisher publisher = publisher(vertx);
        SyslogOutputVerticle[] output = new SyslogOutputVerticle[1];
        List<Buffer> expected = securityJson();
        collector.listen(0, "127.0.0.1")
                .compose(server -> {
                    output[0] = new SyslogOutputVerticle(settings(server.actualPort(), "tcp", "local0", 0), CLOCK,
                            quickBackoff());
                    return vertx.deployVerticle(output[0]);
                })
                .compose(id -> {
                    ForwardFixtures.results().forEach(publisher::handle);
                    return until(vertx, () -> frames.size() == expected.size());
                })
                .onComplete(test.succeeding(done -> test.verify(() -> {
                    // auth failure, planted From name, IPv6, AMI wrong password: warning; AMI login: notice
                    List<Integer> priorities = List.of(132, 132, 132, 132, 133);
                    for (int i = 0; i < frames.size(); i++) {
                        Matcher header = RFC5424.matcher(frames.get(i));
                        assertThat(header.matches()).as(frames.get(i)).isTrue();
                        assertThat(Integer.parseInt(header.group(1))).isEqualTo(priorities.get(i));
                        assertThat(header.group(3)).isEqualTo(Long.toString(ProcessHandle.current().pid()));
                        assertThat(JSON.readTree(header.group(4))).isEqualTo(JSON.readTree(expected.get(i).getBytes()));
                    }
                    assertThat(output[0].sent()).isEqualTo(expected.size());
                    assertThat(output[0].state()).isEqualTo(ForwardingOutput.State.CONNECTED);
                    test.completeNow();
                })));
    }

    @Test
    void overUdpEachEventIsOneDatagramCutToTheLimit(Vertx vertx, VertxTestContext test) {
        int max = 1400; // the three shorter security events fit, the two AMI ones (over 1500 bytes) do not
        List<Buffer> datagrams = new CopyOnWriteArrayList<>();
        DatagramSocket collector = vertx.createDatagramSocket().handler(packet -> datagrams.add(packet.data()));
        EventPublisher publisher = publisher(vertx);
        SyslogOutputVerticle[] output = new SyslogOutputVerticle[1];
        List<Buffer> expected = securityJson();
        collector.listen(0, "127.0.0.1")
                .compose(socket -> {
                    output[0] = new SyslogOutputVerticle(settings(socket.localAddress().port(), "udp", "auth", max),
                            CLOCK, quickBackoff());
                    return vertx.deployVerticle(output[0]);
                })
                .compose(id -> {
                    ForwardFixtures.results().forEach(publisher::handle);
                    return until(vertx, () -> datagrams.size() == expected.size());
                })
                .onComplete(test.succeeding(done -> test.verify(() -> {
                    int cut = 0;
                    for (int i = 0; i < datagrams.size(); i++) {
                        Buffer datagram = datagrams.get(i);
                        assertThat(datagram.length()).isLessThanOrEqualTo(max);
                        Matcher header = RFC5424.matcher(datagram.toString(StandardCharsets.UTF_8));
                        assertThat(header.matches()).isTrue();
                        assertThat(Integer.parseInt(header.group(1)) / 8).isEqualTo(4); // auth
                        String msg = header.group(4);
                        String json = expected.get(i).toString(StandardCharsets.UTF_8);
                        if (msg.length() < json.length()) {
                            cut++;
                            assertThat(json).startsWith(msg);
                            assertThat(datagram.length()).isGreaterThan(max - 4);
                        } else {
                            assertThat(JSON.readTree(msg)).isEqualTo(JSON.readTree(json));
                        }
                    }
                    assertThat(cut).isEqualTo(2);
                    assertThat(output[0].truncated()).isEqualTo(cut);
                    assertThat(output[0].sent()).isEqualTo(expected.size());
                    assertThat(output[0].dropped()).isZero();
                    test.completeNow();
                })));
    }

    @Test
    void overUdpAHostNameNeedsNoDnsAnswerAtStart(Vertx vertx, VertxTestContext test) {
        // Not an IPv4 literal, so the socket is IPv6, and it still reaches the IPv4 address the name resolves to
        // (localhost is 127.0.0.1 in /etc/hosts, and the resolver prefers IPv4).
        List<Buffer> datagrams = new CopyOnWriteArrayList<>();
        DatagramSocket collector = vertx.createDatagramSocket().handler(packet -> datagrams.add(packet.data()));
        EventPublisher publisher = publisher(vertx);
        collector.listen(0, "127.0.0.1")
                .compose(socket -> vertx.deployVerticle(new SyslogOutputVerticle(new OutputSettings.SyslogOutput(
                        "localhost", socket.localAddress().port(), "udp", "local0", false, 100, false, null,
                        8192, 1), CLOCK, quickBackoff())))
                .compose(id -> {
                    publisher.handle(ForwardFixtures.results().get(0));
                    return until(vertx, () -> datagrams.size() == 1);
                })
                .onComplete(test.succeeding(done -> test.verify(() -> {
                    Matcher header = RFC5424.matcher(datagrams.get(0).toString(StandardCharsets.UTF_8));
                    assertThat(header.matches()).isTrue();
                    assertThat(JSON.readTree(header.group(4))).isEqualTo(JSON.readTree(securityJson().get(0).getBytes()));
                    test.completeNow();
                })));
    }
}
