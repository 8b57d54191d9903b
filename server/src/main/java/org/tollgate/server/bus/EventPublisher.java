package org.tollgate.server.bus;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.tollgate.banner.BanPathEvent;
import org.tollgate.banner.jail.Failure;
import java.time.Instant;
import java.time.InstantSource;
import org.tollgate.normalizer.AsteriskEvent;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.normalizer.geo.SourceGeo;
import org.tollgate.normalizer.json.Observer;
import org.tollgate.normalizer.message.Finding;
import org.tollgate.server.enrich.GeoLookup;
import org.tollgate.server.custom.CustomFilters;
import org.tollgate.server.source.LineHandler;

/**
 * The step after the normalizer: every line goes on the event bus a chunk of lines at a time
 * ({@link Addresses#EVENT_CHUNKS}, for this process's outputs, which write the events' JSON on their own threads),
 * every security event also one by one as ECS JSON ({@link Addresses#EVENTS}, which other cluster nodes and the bus
 * bridge hear), and every failure with a source address to the local jails (straight to the banner when
 * {@link #sendFailuresTo} named it, else on {@link Addresses#FAILURES}). A line the normalizer did not classify is
 * first shown to the jails' own fail2ban filters ({@link CustomFilters}). Called from source threads; the event bus
 * is thread-safe.
 *
 * <p>Security events whose source address is trusted are enriched on the way ({@link GeoLookup}: a cached lookup),
 * and the place goes with the failure, so a jail can match on it. Lines without a trusted source are never looked
 * up: the databases are asked only about addresses that could be banned.
 */
public final class EventPublisher implements LineHandler {

    private static final DeliveryOptions SECURITY = new DeliveryOptions().addHeader(Addresses.SECURITY, "true");
    private static final DeliveryOptions OTHER = new DeliveryOptions().addHeader(Addresses.SECURITY, "false");
    private static final DeliveryOptions SECURITY_HERE = new DeliveryOptions().addHeader(Addresses.SECURITY, "true")
            .setLocalOnly(true);
    private static final DeliveryOptions OTHER_HERE = new DeliveryOptions().addHeader(Addresses.SECURITY, "false")
            .setLocalOnly(true);
    private static final DeliveryOptions LOCAL = new DeliveryOptions()
            .setLocalOnly(true).setCodecName(new LocalCodec<>(Failure.class).name());
    private static final DeliveryOptions LOCAL_CALL = new DeliveryOptions()
            .setLocalOnly(true).setCodecName(new LocalCodec<>(AsteriskEvent.class).name());

    private final EventBus bus;
    private final GeoLookup geo;
    private final EventJson eventJson;
    private volatile CustomFilters customFilters;
    /** Where the failures go straight from the source's thread (the banner), or null: on {@link Addresses#FAILURES}. */
    private volatile Consumer<Failure> jails;
    /** Every event on {@link Addresses#EVENTS}, not only the security events: a bridge output asks for all. */
    private volatile boolean everyEventOnBus;
    /** Any event on {@link Addresses#EVENTS} at all: not once {@link #keepEventsOffBus()} said no one hears them. */
    private volatile boolean eventsOnBus = true;
    private final LongAdder lines = new LongAdder();
    private final LongAdder securityEvents = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final int writingOutputs;
    private final LongAdder unshared = new LongAdder();
    /** In a cluster: at most this many security events a second go to the other nodes; -1 outside a cluster. */
    private volatile int sharedPerSecond = -1;
    private final java.util.concurrent.atomic.AtomicLong shareWindow = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger sharedInWindow = new java.util.concurrent.atomic.AtomicInteger();

    /** Events without observer fields or enrichment, and no output that confirms what it wrote (tests). */
    public EventPublisher(EventBus bus) {
        this(bus, null, GeoLookup.NONE, null, CustomFilters.NONE, 0);
    }

    /**
     * @param observer       written on every event with {@code ecs.version} and {@code event.ingested}; null for none
     * @param geo            where trusted source addresses are looked up
     * @param clock          the time of {@code event.ingested}
     * @param customFilters  the jails' own fail2ban filters, shown the lines the normalizer did not classify
     * @param writingOutputs how many outputs take {@link EventChunk}s and say when they wrote them ({@link ReadMark})
     */
    public EventPublisher(EventBus bus, Observer observer, GeoLookup geo, InstantSource clock,
                          CustomFilters customFilters, int writingOutputs) {
        this.bus = bus;
        this.geo = geo;
        this.customFilters = customFilters;
        this.eventJson = new EventJson(observer, clock);
        this.writingOutputs = writingOutputs;
        // The record every line becomes here, loaded now, not on the first line read after start (often an attack).
        new Outgoing(null, null, null, -1, null, false, null, null).security();
    }

    /**
     * Puts every event on {@link Addresses#EVENTS} from now on, not only the security events: each one's JSON is then
     * written on the source's thread, as the bus needs it. Only an {@code eventbus-bridge} output with
     * {@code events: all} asks for this; the outputs of this process take every event from {@link EventChunk}s.
     */
    public void publishEveryEvent() {
        this.everyEventOnBus = true;
    }

    /**
     * Hands every failure from now on to {@code jails} on the source's thread (the banner's {@code offer}: straight
     * to the enforcer's thread, with no hop through an event loop) instead of sending it on {@link Addresses#FAILURES}.
     */
    public void sendFailuresTo(Consumer<Failure> jails) {
        this.jails = jails;
    }

    /**
     * Puts no event on {@link Addresses#EVENTS}: the service calls this when nothing hears that address, no
     * {@code eventbus-bridge} output and no cluster (both fixed until a restart). Each security event's JSON is then
     * not written on the event loop for the bus and copied into a buffer for no one; the outputs of this process
     * write it from the {@link EventChunk}s on their own threads, as they do every other event's.
     */
    public void keepEventsOffBus() {
        this.eventsOnBus = false;
    }

    /** Runs {@code filters} on the lines from now on ({@code tollgate reload}). */
    public void useCustomFilters(CustomFilters filters) {
        this.customFilters = filters;
    }

    /**
     * In a cluster: the security events go on {@link Addresses#EVENTS} to every node, at most {@code perSecond} a second
     * (past that, and every other line, to this node's consumers only), so a flood on one PBX neither fills the links
     * between the nodes nor slows this pipeline: the jails, the bans and this node's outputs see every event anyway.
     */
    public void shareWithCluster(int perSecond) {
        this.sharedPerSecond = perSecond;
    }

    /** Security events kept to this node because more than the cluster's events_per_second came. */
    public long eventsUnshared() {
        return unshared.sum();
    }

    /** Registers the codecs the failures and the event chunks travel with; once per Vert.x instance. */
    public static void registerCodecs(EventBus bus) {
        bus.registerCodec(new LocalCodec<>(Failure.class));
        bus.registerCodec(new LocalCodec<>(AsteriskEvent.class));
        EventChunk.registerCodec(bus);
    }

    /**
     * One line ready for the bus: its event (as JSON already when it goes on {@link Addresses#EVENTS}, else null and
     * written later from the result, place, id and instant) and, for a failure with a source, what the jails count;
     * for a call, what the fraud jails count.
     */
    private record Outgoing(ParseResult result, SourceGeo place, String id, long idNumber, Instant ingested,
                            boolean security, Failure failure, AsteriskEvent call) {

        void addTo(EventChunk.Builder chunk) {
            chunk.add(result, security, place, id, idNumber, ingested);
        }
    }

    @Override
    public void handle(ParseResult result) {
        handle(result, null);
    }

    @Override
    public void handle(ParseResult result, String id) {
        deliver(prepare(result, id, -1, eventJson.ingestedNow()));
    }

    @Override
    public void handle(ParseResult result, String idPrefix, long idNumber) {
        deliver(prepare(result, idPrefix, idNumber, eventJson.ingestedNow()));
    }

    @Override
    public void endOfChunk(Runnable onWritten) {
        EventChunk.of(new ReadMark(writingOutputs, onWritten)).publish(bus);
    }

    /**
     * A handler for one source thread that hands its lines to the bus a chunk at a time: the lines of one read are
     * published together by one task on {@code context}, instead of one cross-thread hand-off (and event-loop wake-up)
     * per line. The source calls {@link LineHandler#endOfChunk()} after each read; nothing waits longer than that.
     */
    @Override
    public LineHandler chunked(Context context) {
        return new ChunkedHandler(context);
    }

    /**
     * The line's event, with {@code id} and, unless negative, {@code idNumber} after it as {@code event.id}, and
     * {@code ingested} (or null) as {@code event.ingested}.
     */
    private Outgoing prepare(ParseResult normalized, String id, long idNumber, Instant ingested) {
        ParseResult result = customFilters.apply(normalized);
        boolean security = result instanceof ParseResult.Parsed parsed && parsed.event().isSecurity();
        if (!security || !((ParseResult.Parsed) result).event().isScanSignal()) {
            lines.increment(); // a scanner signal is an event made from lines, not a line
        }
        Failure failure = null;
        SourceGeo place = null;
        if (security) {
            securityEvents.increment();
            ParseResult.Parsed parsed = (ParseResult.Parsed) result;
            Finding finding = parsed.event().finding();
            if (finding.source() != null && finding.sourceTrusted()) {
                place = geo.of(finding.source().ip());
            }
            failure = FailureFromEvent.of(parsed.event(), place);
            if (failure != null) {
                failures.increment();
            }
        }
        AsteriskEvent call = result instanceof ParseResult.Parsed parsed && parsed.event().isCall()
                ? parsed.event() : null;
        return new Outgoing(result, place, id, idNumber, ingested, security, failure, call);
    }

    private void deliver(Outgoing outgoing) {
        EventChunk.Builder one = new EventChunk.Builder(1, eventJson);
        outgoing.addTo(one);
        deliver(one.build());
        sendFailure(outgoing);
    }

    /**
     * The chunk's events written as JSON one by one on {@link Addresses#EVENTS} (the security events, or all when
     * {@link #publishEveryEvent asked}), then the chunk whole for this process's outputs, which write the JSON of
     * the others. On the source's event loop, off the thread that reads the log.
     */
    private void deliver(EventChunk chunk) {
        if (!eventsOnBus) {
            chunk.publish(bus);
            return;
        }
        boolean everyEvent = everyEventOnBus;
        chunk.writeForBus(everyEvent);
        int perSecond = sharedPerSecond;
        for (int i = 0; i < chunk.size(); i++) {
            if (!everyEvent && !chunk.security(i)) {
                continue;
            }
            Buffer json = chunk.busJson(i);
            boolean security = chunk.security(i);
            DeliveryOptions options;
            if (perSecond < 0) {
                options = security ? SECURITY : OTHER;
            } else if (security && share(perSecond)) {
                options = SECURITY;
            } else {
                if (security) {
                    unshared.increment();
                }
                options = security ? SECURITY_HERE : OTHER_HERE;
            }
            bus.publish(Addresses.EVENTS, json, options);
        }
        chunk.publish(bus);
    }

    /** Takes one of this second's {@code perSecond} shares, if one is left. */
    private boolean share(int perSecond) {
        long second = System.nanoTime() / 1_000_000_000L;
        long window = shareWindow.get();
        if (window != second && shareWindow.compareAndSet(window, second)) {
            sharedInWindow.set(0);
        }
        return sharedInWindow.incrementAndGet() <= perSecond;
    }

    private void sendFailure(Outgoing outgoing) {
        if (outgoing.failure() != null) {
            BanPathEvent.mark(BanPathEvent.HANDED_ON, outgoing.failure().sourceIp());
            Consumer<Failure> direct = jails;
            if (direct != null) {
                direct.accept(outgoing.failure());
            } else {
                bus.send(Addresses.FAILURES, outgoing.failure(), LOCAL);
            }
        }
        if (outgoing.call() != null) {
            bus.send(Addresses.CALLS, outgoing.call(), LOCAL_CALL);
        }
    }

    private final class ChunkedHandler implements LineHandler {
        private static final int MAX_CHUNK = 2048;
        private final Context context;
        private final EventChunk.Builder pending = new EventChunk.Builder(MAX_CHUNK, eventJson);
        /** The chunk's failures and calls, for the jails. */
        private final List<Outgoing> toJails = new ArrayList<>();
        /**
         * The {@code event.ingested} of the chunk's lines: the clock is read when its first line is handed on, not
         * per line (a read and an instant per line were some 5% of a backlog's reading thread). A chunk is one read
         * of the source, or {@link #MAX_CHUNK} lines of a backlog (a few milliseconds).
         */
        private Instant ingested;

        ChunkedHandler(Context context) {
            this.context = context;
            delivery(null); // its lambda's class spun now, not after the first line read (never run)
        }

        /** Delivers {@code chunk} on the source's event loop. */
        private Handler<Void> delivery(EventChunk chunk) {
            return v -> deliver(chunk);
        }

        @Override
        public void handle(ParseResult result) {
            handle(result, null);
        }

        @Override
        public void handle(ParseResult result, String id) {
            handle(result, id, -1);
        }

        /** The id's digits are written with the event's JSON, on an output's thread, not made here. */
        @Override
        public void handle(ParseResult result, String idPrefix, long idNumber) {
            if (pending.size() == 0) {
                ingested = eventJson.ingestedNow();
            }
            Outgoing outgoing = prepare(result, idPrefix, idNumber, ingested);
            if (outgoing.failure() != null || outgoing.call() != null) {
                toJails.add(outgoing);
            }
            outgoing.addTo(pending);
            if (pending.size() >= MAX_CHUNK) {
                endOfChunk();
            }
        }

        /**
         * The chunk's failures go to the jails from this thread, at the end of the read that brought them (a live
         * log's read is a line or a few; a backlog's at most {@link #MAX_CHUNK} lines): a ban does not wait for the
         * chunk's events nor take a hop through the source's event loop, and the jails' event loop is woken once
         * per chunk rather than once per failure (sent together, they find it awake).
         */
        private void sendToJails() {
            for (Outgoing outgoing : toJails) {
                sendFailure(outgoing);
            }
            toJails.clear();
        }

        @Override
        public void endOfChunk() {
            sendToJails();
            if (pending.size() == 0) {
                return;
            }
            context.runOnContext(delivery(pending.build()));
        }

        /** The chunk goes with a mark even when empty: the outputs confirm it after the chunks before it. */
        @Override
        public void endOfChunk(Runnable onWritten) {
            sendToJails();
            context.runOnContext(delivery(pending.build(new ReadMark(writingOutputs, onWritten))));
        }
    }

    public long lines() {
        return lines.sum();
    }

    public long securityEvents() {
        return securityEvents.sum();
    }

    public long failures() {
        return failures.sum();
    }
}
