package org.tollgate.server.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tollgate.server.output.TcpJsonOutputVerticleTest.publisher;
import static org.tollgate.server.output.TcpJsonOutputVerticleTest.until;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.server.bus.Addresses;
import org.tollgate.server.bus.EventPublisher;
import org.tollgate.server.config.ListenAddress;
import org.tollgate.server.config.OutputSettings;
import org.tollgate.testkit.Waits;

/**
 * The eventbus-bridge output with a client that speaks the bridge's own framing: a 4-byte big-endian length, then a
 * JSON object.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 2 * Waits.PATIENCE_SECONDS, timeUnit = TimeUnit.SECONDS)
class EventBusBridgeVerticleTest {

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static OutputSettings.EventBusBridgeOutput settings(int port, boolean all) {
        return new OutputSettings.EventBusBridgeOutput(new ListenAddress("127.0.0.1", port), all, 1);
    }

    /**
     * A bridge client: sends frames, keeps every frame received. Closed by each test: a client left open would make
     * closing the test's Vert.x wait 30 s for its connection, which the bridge only closes later.
     */
    private static final class Client {
        final List<JsonObject> frames = new CopyOnWriteArrayList<>();
        NetClient client;
        NetSocket socket;

        Future<Client> connect(Vertx vertx, int port) {
            client = vertx.createNetClient();
            return client.connect(port, "127.0.0.1").map(connected -> {
                socket = connected;
                RecordParser parser = RecordParser.newFixed(4);
                parser.handler(new Handler<>() {
                    boolean length = true;

                    @Override
                    public void handle(Buffer part) {
                        if (length) {
                            parser.fixedSizeMode(part.getInt(0));
                        } else {
                            frames.add(new JsonObject(part));
                            parser.fixedSizeMode(4);
                        }
                        length = !length;
                    }
                });
                socket.handler(parser);
                return this;
            });
        }

        Future<Void> send(JsonObject frame) {
            byte[] json = frame.encode().getBytes(StandardCharsets.UTF_8);
            return socket.write(Buffer.buffer().appendInt(json.length).appendBytes(json));
        }

        Future<Void> close() {
            return client.close();
        }

        List<JsonObject> of(String type) {
            return frames.stream().filter(frame -> type.equals(frame.getString("type"))).toList();
        }
    }

    private static JsonObject register(String address) {
        return new JsonObject().put("type", "register").put("address", address);
    }

    @Test
    void aSubscribedClientReceivesSecurityEventsAndBansAsJsonObjects(Vertx vertx, VertxTestContext test)
            throws Exception {
        int port = freeLoopbackPort();
        EventBusBridgeVerticle bridge = new EventBusBridgeVerticle(settings(port, false));
        EventPublisher publisher = publisher(vertx);
        Client client = new Client();
        List<ParseResult> results = ForwardFixtures.results();
        List<Buffer> json = ForwardFixtures.json();
        String ban = "{\"@timestamp\":\"2026-11-20T21:14:20.437Z\",\"event\":{\"kind\":\"alert\",\"action\":\"ban\"},"
                + "\"source\":{\"ip\":\"203.0.113.45\"},\"tollgate\":{\"jail\":\"sip-auth\"}}";
        vertx.deployVerticle(bridge)
                .compose(id -> client.connect(vertx, port))
                .compose(connected -> client.send(register(Addresses.EVENTS)))
                .compose(sent -> client.send(register(Addresses.BANS)))
                // Frames are handled in order: once the pong is back, both registrations are in place.
                .compose(sent -> client.send(new JsonObject().put("type", "ping")))
                .compose(sent -> until(vertx, () -> client.of("pong").size() == 1))
                .compose(subscribed -> {
                    results.forEach(publisher::handle);
                    vertx.eventBus().publish(Addresses.BANS, Buffer.buffer(ban));
                    return until(vertx, () -> client.of("message").size() == 6);
                })
                .eventually(client::close)
                .onComplete(test.succeeding(done -> test.verify(() -> {
                    List<JsonObject> messages = client.of("message");
                    List<Integer> security = List.of(0, 2, 3, 5, 6);
                    for (int i = 0; i < security.size(); i++) {
                        JsonObject message = messages.get(i);
                        assertThat(message.getString("address")).isEqualTo(Addresses.EVENTS);
                        assertThat(message.getJsonObject("headers").getString(Addresses.SECURITY)).isEqualTo("true");
                        assertThat(message.getValue("body")).isInstanceOf(JsonObject.class);
                        assertThat(message.getJsonObject("body")).isEqualTo(new JsonObject(json.get(security.get(i))));
                    }
                    assertThat(messages.get(0).getJsonObject("body").getJsonObject("source").getString("ip"))
                            .isEqualTo("203.0.113.45");
                    JsonObject banMessage = messages.get(5);
                    assertThat(banMessage.getString("address")).isEqualTo(Addresses.BANS);
                    assertThat(banMessage.getJsonObject("body")).isEqualTo(new JsonObject(ban));
                    assertThat(client.of("err")).isEmpty();
                    assertThat(bridge.forwarded()).isEqualTo(6);
                    test.completeNow();
                })));
    }

    @Test
    void nothingComesInAndNoOtherAddressGoesOut(Vertx vertx, VertxTestContext test) throws Exception {
        int port = freeLoopbackPort();
        EventBusBridgeVerticle bridge = new EventBusBridgeVerticle(settings(port, true));
        Client client = new Client();
        AtomicInteger reachedTheService = new AtomicInteger();
        vertx.eventBus().consumer(Addresses.EVENTS, message -> reachedTheService.incrementAndGet());
        vertx.eventBus().consumer(Addresses.FAILURES, message -> reachedTheService.incrementAndGet());
        JsonObject planted = new JsonObject().put("source", new JsonObject().put("ip", "198.51.100.66"));
        vertx.deployVerticle(bridge)
                .compose(id -> client.connect(vertx, port))
                .compose(connected -> client.send(register(Addresses.FAILURES)))
                .compose(sent -> client.send(register("tollgate.internal.anything")))
                .compose(sent -> client.send(new JsonObject().put("type", "publish")
                        .put("address", Addresses.EVENTS).put("body", planted)))
                .compose(sent -> client.send(new JsonObject().put("type", "send")
                        .put("address", Addresses.FAILURES).put("body", planted)))
                .compose(sent -> client.send(new JsonObject().put("type", "ping")))
                .compose(sent -> until(vertx, () -> client.of("pong").size() == 1))
                .eventually(client::close)
                .onComplete(test.succeeding(done -> test.verify(() -> {
                    List<JsonObject> errors = client.of("err");
                    assertThat(errors).hasSize(4);
                    assertThat(errors.get(0).getString("message")).isEqualTo("access_denied");
                    assertThat(errors.get(1).getString("message")).isEqualTo("access_denied");
                    assertThat(reachedTheService).hasValue(0);
                    assertThat(bridge.clients()).isZero();
                    test.completeNow();
                })));
    }

    @Test
    void aClientThatStopsReadingIsDisconnected(Vertx vertx, VertxTestContext test) throws Exception {
        int port = freeLoopbackPort();
        EventBusBridgeVerticle bridge = new EventBusBridgeVerticle(settings(port, true));
        Client slow = new Client();
        DeliveryOptions security = new DeliveryOptions().addHeader(Addresses.SECURITY, "true");
        String padding = "x".repeat(8 * 1024);
        vertx.deployVerticle(bridge)
                .compose(id -> slow.connect(vertx, port))
                .compose(connected -> slow.send(register(Addresses.EVENTS)))
                .compose(sent -> until(vertx, () -> bridge.clients() == 1))
                .compose(subscribed -> {
                    slow.socket.pause();
                    // 40 MB: past the socket buffers and the bridge's backlog limit for one client.
                    for (int n = 0; n < 5_000; n++) {
                        vertx.eventBus().publish(Addresses.EVENTS,
                                Buffer.buffer("{\"n\":" + n + ",\"message\":\"" + padding + "\"}"), security);
                    }
                    return until(vertx, () -> bridge.slowClients() == 1);
                })
                .eventually(slow::close)
                .onComplete(test.succeeding(done -> test.verify(() -> {
                    assertThat(bridge.clients()).isZero();
                    assertThat(bridge.dropped()).isZero();
                    test.completeNow();
                })));
    }
}
