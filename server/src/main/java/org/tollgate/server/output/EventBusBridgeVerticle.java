package org.tollgate.server.output;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.BridgeEvent;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import java.util.Set;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.server.LogFields;
import org.tollgate.server.bus.Addresses;
import org.tollgate.server.config.OutputSettings;

/**
 * Lets a program outside the process subscribe to {@link Addresses#EVENTS} and {@link Addresses#BANS} over the Vert.x
 * TCP event bus bridge: frames of a 4-byte big-endian length and a JSON object, such as
 * {@code {"type":"register","address":"tollgate.events"}}; each event then arrives as
 * {@code {"type":"message","address":"tollgate.events","headers":{"security":"true"},"body":{...ECS...}}}.
 *
 * <p>The bridge runs on a Vert.x instance of its own, whose event bus carries only those two addresses as JSON
 * objects: the service's bus holds events as bytes (which the bridge would send base64-encoded) and addresses that
 * must never be reachable from outside. Only outbound traffic is permitted; publishing or sending into the bridge is
 * refused. The bridge has no authentication, so it listens on loopback only. A client that stops reading is
 * disconnected once {@link #CLIENT_BACKLOG_BYTES} wait for it, so it cannot grow this process's memory; events wait
 * for the bridge's event loop in a bounded count ({@link #MAX_PENDING}), past which they are dropped and counted.
 */
public final class EventBusBridgeVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(EventBusBridgeVerticle.class);
    static final int CLIENT_BACKLOG_BYTES = 4 * 1024 * 1024;
    /** Events on their way to the bridge's event loop; more are dropped, so a stalled bridge costs no memory. */
    static final int MAX_PENDING = 10_000;
    private static final int BATCH = 64;
    private static final DeliveryOptions SECURITY = new DeliveryOptions().addHeader(Addresses.SECURITY, "true");
    private static final DeliveryOptions OTHER = new DeliveryOptions().addHeader(Addresses.SECURITY, "false");
    private static final DeliveryOptions NONE = new DeliveryOptions();

    private final OutputSettings.EventBusBridgeOutput settings;
    private final Set<NetSocket> clients = ConcurrentHashMap.newKeySet();
    private final LongAdder forwarded = new LongAdder();
    private final LongAdder slowClients = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final Queue<Waiting> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    private Vertx bridgeVertx;
    private Context bridgeContext;
    private TcpEventBusBridge bridge;
    private MessageConsumer<Buffer> events;
    private MessageConsumer<Buffer> bans;

    public EventBusBridgeVerticle(OutputSettings.EventBusBridgeOutput settings) {
        this.settings = settings;
    }

    @Override
    public Future<?> start() {
        BridgeOptions permitted = new BridgeOptions()
                .addOutboundPermitted(new PermittedOptions().setAddress(Addresses.EVENTS))
                .addOutboundPermitted(new PermittedOptions().setAddress(Addresses.BANS));
        return ownVertx()
                .compose(own -> {
                    bridgeVertx = own;
                    bridge = TcpEventBusBridge.create(own, permitted, new NetServerOptions(), this::onBridgeEvent);
                    return bridge.listen(settings.listen().port(), settings.listen().host());
                })
                .compose(listening -> {
                    events = vertx.eventBus().consumer(Addresses.EVENTS, message -> {
                        boolean security = "true".equals(message.headers().get(Addresses.SECURITY));
                        if (settings.allEvents() || security) {
                            forward(Addresses.EVENTS, message, security ? SECURITY : OTHER);
                        }
                    });
                    bans = vertx.eventBus().consumer(Addresses.BANS, message -> forward(Addresses.BANS, message, NONE));
                    LOG.atInfo().addKeyValue(LogFields.HOST, settings.listen().host()).addKeyValue(LogFields.PORT, settings.listen().port())
                            .log("event bus bridge listening");
                    return Future.all(events.completion(), bans.completion());
                })
                .recover(failure -> closeBridge().transform(closed -> Future.failedFuture(failure)));
    }

    /**
     * A Vert.x instance for the bridge alone: one event loop, made on a thread of its own (made on this verticle's
     * context, Vert.x would warn that it is nested), its result handed back on this verticle's context.
     */
    private Future<Vertx> ownVertx() {
        Promise<Vertx> made = Promise.promise();
        Thread maker = new Thread(() -> {
            try {
                Vertx own = Vertx.vertx(new VertxOptions()
                        .setEventLoopPoolSize(1).setWorkerPoolSize(1).setInternalBlockingPoolSize(1));
                Context ownContext = own.getOrCreateContext();
                context.runOnContext(ignored -> {
                    bridgeContext = ownContext;
                    made.complete(own);
                });
            } catch (RuntimeException e) {
                context.runOnContext(ignored -> made.fail(e));
            }
        }, "tollgate-bridge-start");
        maker.setDaemon(true);
        maker.start();
        return made.future();
    }

    @Override
    public Future<?> stop() {
        Future<Void> unregistered = events == null ? Future.succeededFuture()
                : Future.all(events.unregister(), bans.unregister()).mapEmpty();
        return unregistered.eventually(this::closeBridge);
    }

    private Future<Void> closeBridge() {
        if (bridgeVertx == null) {
            return Future.succeededFuture();
        }
        Future<Void> closed = bridge == null ? Future.succeededFuture() : bridge.close();
        return closed.eventually(bridgeVertx::close);
    }

    /** On this verticle's event loop: hands the message to the bridge's loop, or drops it when that loop lags. */
    private void forward(String address, Message<Buffer> message, DeliveryOptions headers) {
        if (clients.isEmpty()) {
            return;
        }
        if (pending.get() >= MAX_PENDING) {
            dropped.increment();
            return;
        }
        pending.incrementAndGet();
        waiting.add(new Waiting(address, message.body(), headers));
        if (draining.compareAndSet(false, true)) {
            bridgeContext.runOnContext(ignored -> drain());
        }
    }

    /**
     * On the bridge's event loop: publishes a batch to the clients, then runs again behind the writes that batch
     * caused, so that each batch starts by disconnecting any client that has stopped reading.
     */
    private void drain() {
        disconnectSlowClients();
        Waiting next;
        for (int n = 0; n < BATCH && (next = waiting.poll()) != null; n++) {
            pending.decrementAndGet();
            publish(next);
        }
        if (waiting.isEmpty()) {
            draining.set(false);
            // An event added between the poll and the flag going down would otherwise wait for the next one.
            if (waiting.isEmpty() || !draining.compareAndSet(false, true)) {
                return;
            }
        }
        bridgeContext.runOnContext(ignored -> drain());
    }

    private void disconnectSlowClients() {
        for (NetSocket client : clients) {
            if (client.writeQueueFull()) {
                clients.remove(client);
                slowClients.increment();
                LOG.atWarn().addKeyValue(LogFields.CLIENT, String.valueOf(client.remoteAddress()))
                        .addKeyValue(LogFields.BACKLOG_BYTES, CLIENT_BACKLOG_BYTES)
                        .log("event bus bridge client stopped reading; disconnecting it");
                Sockets.abort(client);
            }
        }
    }

    private void publish(Waiting event) {
        JsonObject body;
        try {
            body = new JsonObject(event.json());
        } catch (DecodeException e) {
            LOG.atDebug().addKeyValue(LogFields.ADDRESS, event.address()).setCause(e).log("not a JSON object; not bridged");
            return;
        }
        bridgeVertx.eventBus().publish(event.address(), body, event.headers());
        forwarded.increment();
    }

    private record Waiting(String address, Buffer json, DeliveryOptions headers) {
    }

    /** Runs on the bridge's event loop for every frame a client sends, and after each registration. */
    private void onBridgeEvent(BridgeEvent event) {
        switch (event.type()) {
            case PUBLISH, SEND -> event.complete(false);
            case REGISTERED -> {
                NetSocket client = event.socket();
                if (clients.add(client)) {
                    client.setWriteQueueMaxSize(CLIENT_BACKLOG_BYTES);
                    client.closeHandler(closed -> clients.remove(client));
                    LOG.atInfo().addKeyValue(LogFields.CLIENT, String.valueOf(client.remoteAddress()))
                            .addKeyValue(LogFields.ADDRESS, event.getRawMessage().getString("address"))
                            .log("event bus bridge client subscribed");
                }
                event.complete(true);
            }
            default -> event.complete(true);
        }
    }

    /** Clients subscribed now. */
    public int clients() {
        return clients.size();
    }

    /** Messages published to the bridge's clients. */
    public long forwarded() {
        return forwarded.sum();
    }

    /** Events dropped because the bridge's event loop lagged {@link #MAX_PENDING} behind. */
    public long dropped() {
        return dropped.sum();
    }

    /** Clients disconnected for not reading. */
    public long slowClients() {
        return slowClients.sum();
    }
}
