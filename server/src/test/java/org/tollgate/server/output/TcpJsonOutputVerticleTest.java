package org.tollgate.server.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.server.api.BusEvents;
import org.tollgate.server.bus.Addresses;
import org.tollgate.server.bus.EventPublisher;
import org.tollgate.server.config.OutputSettings;
import org.tollgate.testkit.Waits;

/** The tcp-json output against a Vert.x NetServer on a random loopback port standing in for the collector. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 2 * Waits.PATIENCE_SECONDS, timeUnit = TimeUnit.SECONDS)
class TcpJsonOutputVerticleTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static OutputSettings.TcpJsonOutput settings(int port, int queue, boolean all) {
        return new OutputSettings.TcpJsonOutput("127.0.0.1", port, all, queue, false, null, 1);
    }

    /** Fast enough for a test, the same doubling and jitter as in service. */
    static Backoff quickBackoff() {
        return new Backoff(Duration.ofMillis(20), Duration.ofMillis(200), new SplittableRandom(7));
    }

    /** A collector: every line each connection sends, in order. */
    static final class Collector {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final List<NetSocket> connections = new CopyOnWriteArrayList<>();
        /** Accept connections but read nothing from them, as a collector stuck on its disk does. */
        volatile boolean stalled;
        NetServer server;

        Future<Integer> listen(Vertx vertx, int port, NetServerOptions options) {
            server = vertx.createNetServer(options.setHost("127.0.0.1").setPort(port));
            server.connectHandler(socket -> {
                connections.add(socket);
                RecordParser parser = RecordParser.newDelimited("\n", line -> lines.add(line.toString()));
                socket.handler(parser);
                if (stalled) {
                    socket.pause();
                }
            });
            return server.listen().map(NetServer::actualPort);
        }

        Future<Integer> listen(Vertx vertx, int port) {
            return listen(vertx, port, new NetServerOptions());
        }
    }

    /** Completes once {@code condition} holds, checking every 10 ms for up to {@link Waits#PATIENCE}. */
    static Future<Void> until(Vertx vertx, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Waits.PATIENCE.toNanos();
        return Future.future(promise -> vertx.setPeriodic(10, id -> {
            if (condition.getAsBoolean()) {
                vertx.cancelTimer(id);
                promise.complete();
            } else if (System.nanoTime() > deadline) {
                vertx.cancelTimer(id);
                promise.fail("condition not met within " + Waits.PATIENCE_SECONDS + " s");
            }
        }));
    }

    /** A publisher that puts every event on tollgate.events, so a test can compare what an output took with it. */
    static EventPublisher publisher(Vertx vertx) {
        EventPublisher.registerCodecs(vertx.eventBus());
        EventPublisher publisher = new EventPublisher(vertx.eventBus());
        publisher.publishEveryEvent();
        return publisher;
    }

    static List<JsonNode> parse(List<String> lines) {
        return lines.stream().map(line -> {
            try {
                return JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + line, e);
            }
        }).toList();
    }

    static List<JsonNode> fixtureJson(boolean securityOnly) {
        List<ParseResult> results = ForwardFixtures.results();
        List<Buffer> json = ForwardFixtures.json();
        return java.util.stream.IntStream.range(0, results.size())
                .filter(i -> !securityOnly
                        || results.get(i) instanceof ParseResult.Parsed parsed && parsed.event().isSecurity())
                .mapToObj(i -> parse(List.of(json.get(i).toString())).get(0)).toList();
    }

    @Test
    void securityEventsArriveAsJsonLinesInOrder(Vertx vertx, VertxTestContext test) {
        Collector collector = new Collector();
        EventPublisher publisher = publisher(vertx);
        collector.listen(vertx, 0)
                .compose(port -> vertx.deployVerticle(new TcpJsonOutputVerticle(settings(port, 100, false),
                        quickBackoff())))
                .compose(id -> {
                    ForwardFixtures.results().forEach(publisher::handle);
                    return until(vertx, () -> collector.lines.size() >= fixtureJson(true).size());
                })
                .onComplete(test.succeeding(done -> test.verify(() -> {
                    assertThat(parse(collector.lines)).isEqualTo(fixtureJson(true));
                    test.completeNow();
                })));
    }

    @Test
    void allEventsWhenAsked(Vertx vertx, VertxTestContext test) {
        Collector collector = new Collector();
        EventPublisher publisher = publisher(vertx);
        collector.listen(vertx, 0)
                .compose(port -> vertx.deployVerticle(new TcpJsonOutputVerticle(settings(port, 100, true),
                        quickBackoff())))
                .compose(id -> {
                    ForwardFixtures.results().forEach(publisher::handle);
                    return until(vertx, () -> collector.lines.size() >= fixtureJson(false).size());
                })
                .onComplete(test.succeeding(done -> test.verify(() -> {
                    assertThat(parse(collector.lines)).isEqualTo(fixtureJson(false));
                    test.completeNow();
                })));
    }

    @Test
    void eventsWaitWhileTheCollectorIsDownAndArriveAfterItRestarts(Vertx vertx, VertxTestContext test) {
        Collector first = new Collector();
        Collector second = new Collector();
        EventPublisher publisher = publisher(vertx);
        List<ParseResult> events = ForwardFixtures.results();
        ParseResult before = events.get(0);
        ParseResult[] during = {events.get(2), events.get(3)};
        int[] port = new int[1];
        TcpJsonOutputVerticle[] output = new TcpJsonOutputVerticle[1];
        Backoff backoff = quickBackoff();
        first.listen(vertx, 0)
                .compose(bound -> {
                    port[0] = bound;
                    output[0] = new TcpJsonOutputVerticle(settings(bound, 100, false), backoff);
                    return vertx.deployVerticle(output[0]);
                })
                .compose(id -> until(vertx, () -> output[0].state() == ForwardingOutput.State.CONNECTED))
                .compose(up -> {
                    publisher.handle(before);
                    return until(vertx, () -> first.lines.size() == 1);
                })
                // The collector goes away, connections and all.
                .compose(arrived -> first.server.close())
                .compose(closed -> until(vertx, () -> output[0].state() != ForwardingOutput.State.CONNECTED))
                .compose(down -> {
                    for (ParseResult event : during) {
                        publisher.handle(event);
                    }
                    return until(vertx, () -> output[0].queued() == 2);
                })
                // Several attempts fail while nothing listens; then it is back on the same port.
                .compose(queued -> until(vertx, () -> backoff.attempts() >= 3))
                .compose(waited -> second.listen(vertx, port[0]))
                .compose(listening -> until(vertx, () -> second.lines.size() == 2))
                .onComplete(test.succeeding(done -> test.verify(() -> {
                    assertThat(parse(second.lines)).isEqualTo(List.of(fixtureJson(true).get(1),
                            fixtureJson(true).get(2)));
                    assertThat(output[0].connects()).isEqualTo(2);
                    assertThat(output[0].state()).isEqualTo(ForwardingOutput.State.CONNECTED);
                    assertThat(output[0].sent()).isEqualTo(3);
                    assertThat(output[0].dropped()).isZero();
                    assertThat(output[0].queued()).isZero();
                    test.completeNow();
                })));
    }

    @Test
    void aCollectorThatStopsReadingCostsDroppedEventsNotMemoryOrTheEventLoop(Vertx vertx, VertxTestContext test) {
        Collector collector = new Collector();
        int queue = 100;
        int published = 5_000;
        // 8 KB events: 40 MB in all, far past what the loopback socket buffers and the queue hold.
        String padding = "x".repeat(8 * 1024);
        collector.stalled = true;
        TcpJsonOutputVerticle[] deployed = new TcpJsonOutputVerticle[1];
        DeliveryOptions security = new DeliveryOptions().addHeader(Addresses.SECURITY, "true");
        collector.listen(vertx, 0)
                .compose(port -> {
                    deployed[0] = new TcpJsonOutputVerticle(settings(port, queue, true), quickBackoff());
                    return vertx.deployVerticle(deployed[0]);
                })
                .compose(id -> until(vertx, () -> collector.connections.size() == 1))
                .compose(connected -> {
                    // Publishing never waits for the collector: the output drops instead (below); the time it took
                    // is printed, not asserted.
                    long start = System.nanoTime();
                    for (int n = 0; n < published; n++) {
                        BusEvents.publishChunk(vertx.eventBus(),
                                Buffer.buffer("{\"n\":" + n + ",\"message\":\"" + padding + "\"}"), true);
                    }
                    System.out.printf("tcp-json: %d events of 8 KB published to a stalled collector in %d ms%n",
                            published, (System.nanoTime() - start) / 1_000_000);
                    return until(vertx, () -> deployed[0].dropped() > 0);
                })
                .compose(dropping -> {
                    test.verify(() -> assertThat(deployed[0].queued()).isLessThanOrEqualTo(queue));
                    collector.connections.get(0).resume();
                    return until(vertx, () -> collector.lines.size() + deployed[0].dropped() == published);
                })
                .onComplete(test.succeeding(done -> test.verify(() -> {
                    TcpJsonOutputVerticle out = deployed[0];
                    assertThat(out.sent()).isEqualTo(collector.lines.size());
                    assertThat(out.sent() + out.dropped()).isEqualTo(published);
                    assertThat(out.dropped()).isGreaterThan(published / 10);
                    // What arrived is whole events, in order, each one intact.
                    List<JsonNode> received = parse(collector.lines);
                    for (int i = 1; i < received.size(); i++) {
                        assertThat(received.get(i).get("n").asInt()).isGreaterThan(received.get(i - 1).get("n").asInt());
                        assertThat(received.get(i).get("message").asText()).hasSize(padding.length());
                    }
                    test.completeNow();
                })));
    }

    @Test
    void tlsToACollectorWhoseCertificateChainsToTheConfiguredCa(Vertx vertx, VertxTestContext test) throws Exception {
        org.tollgate.server.TlsFixtures certificate = org.tollgate.server.TlsFixtures.selfSigned(dir, "collector");
        Path keystore = certificate.keystore();
        Path ca = certificate.pem();
        NetServerOptions tls = new NetServerOptions().setSsl(true)
                .setKeyCertOptions(new PfxOptions().setPath(keystore.toString()).setPassword("changeit"));
        Collector trusted = new Collector();
        Collector unknown = new Collector();
        EventPublisher publisher = publisher(vertx);
        TcpJsonOutputVerticle[] outputs = new TcpJsonOutputVerticle[2];
        Backoff refused = quickBackoff();
        trusted.listen(vertx, 0, tls)
                .compose(port -> {
                    outputs[0] = new TcpJsonOutputVerticle(new OutputSettings.TcpJsonOutput(
                            "127.0.0.1", port, false, 100, true, ca, 1), quickBackoff());
                    return vertx.deployVerticle(outputs[0]);
                })
                .compose(id -> unknown.listen(vertx, 0, new NetServerOptions(tls)))
                .compose(port -> {
                    // The same collector, but checked against the JVM's CAs, which never signed it.
                    outputs[1] = new TcpJsonOutputVerticle(new OutputSettings.TcpJsonOutput(
                            "127.0.0.1", port, false, 100, true, null, 1), refused);
                    return vertx.deployVerticle(outputs[1]);
                })
                .compose(id -> {
                    publisher.handle(ForwardFixtures.results().get(0));
                    return until(vertx, () -> trusted.lines.size() == 1);
                })
                // The unknown collector refused several times over.
                .compose(arrived -> until(vertx, () -> refused.attempts() >= 3))
                .onComplete(test.succeeding(done -> test.verify(() -> {
                    assertThat(parse(trusted.lines)).containsExactly(fixtureJson(true).get(0));
                    assertThat(unknown.lines).isEmpty();
                    assertThat(outputs[1].connects()).isZero();
                    assertThat(outputs[1].queued()).isEqualTo(1);
                    test.completeNow();
                })));
    }
}
