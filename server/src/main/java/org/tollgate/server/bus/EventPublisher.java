package org.tollgate.server.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import java.util.concurrent.atomic.LongAdder;
import org.tollgate.banner.jail.Failure;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.normalizer.json.EcsJsonWriter;
import org.tollgate.server.pipeline.FailureFromEvent;
import org.tollgate.server.source.LineHandler;

/**
 * The step after the normalizer: every line goes on the event bus as ECS JSON ({@link Addresses#EVENTS}), and every
 * failure with a source address to the local jails ({@link Addresses#FAILURES}). Called from source threads; the
 * event bus is thread-safe.
 */
public final class EventPublisher implements LineHandler {

    private static final DeliveryOptions SECURITY = new DeliveryOptions().addHeader(Addresses.SECURITY, "true");
    private static final DeliveryOptions OTHER = new DeliveryOptions().addHeader(Addresses.SECURITY, "false");
    private static final DeliveryOptions LOCAL = new DeliveryOptions()
            .setLocalOnly(true).setCodecName(new LocalCodec<>(Failure.class).name());

    private final EventBus bus;
    private final ThreadLocal<EcsJsonWriter> writers = ThreadLocal.withInitial(EcsJsonWriter::new);
    private final LongAdder lines = new LongAdder();
    private final LongAdder securityEvents = new LongAdder();
    private final LongAdder failures = new LongAdder();

    public EventPublisher(EventBus bus) {
        this.bus = bus;
    }

    /** Registers the codec the failures travel with; once per Vert.x instance. */
    public static void registerCodecs(EventBus bus) {
        bus.registerCodec(new LocalCodec<>(Failure.class));
    }

    @Override
    public void handle(ParseResult result) {
        lines.increment();
        boolean security = result instanceof ParseResult.Parsed parsed && parsed.event().isSecurity();
        bus.publish(Addresses.EVENTS, Buffer.buffer(writers.get().toJson(result)), security ? SECURITY : OTHER);
        if (security) {
            securityEvents.increment();
            Failure failure = FailureFromEvent.of(((ParseResult.Parsed) result).event());
            if (failure != null) {
                failures.increment();
                bus.send(Addresses.FAILURES, failure, LOCAL);
            }
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
