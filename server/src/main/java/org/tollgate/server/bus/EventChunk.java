package org.tollgate.server.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The events of one chunk of a source's lines, in order, as one local message on {@link Addresses#EVENT_CHUNKS}: the
 * outputs and statistics of this process take a chunk at a time instead of a message, a task and a wake-up per line.
 * Immutable once built.
 */
public final class EventChunk {

    private static final DeliveryOptions LOCAL = new DeliveryOptions()
            .setLocalOnly(true).setCodecName(new LocalCodec<>(EventChunk.class).name());

    private final Buffer[] json;
    private final boolean[] security;
    private final ReadMark mark;

    private EventChunk(Buffer[] json, boolean[] security, ReadMark mark) {
        this.json = json;
        this.security = security;
        this.mark = mark;
    }

    /** One event alone. */
    public static EventChunk of(Buffer json, boolean security) {
        return new EventChunk(new Buffer[] {json}, new boolean[] {security}, null);
    }

    /** No event: the mark alone, after chunks that went before it. */
    static EventChunk of(ReadMark mark) {
        return new EventChunk(new Buffer[0], new boolean[0], mark);
    }

    /** Registers the codec chunks travel with; once per Vert.x instance. */
    public static void registerCodec(EventBus bus) {
        bus.registerCodec(new LocalCodec<>(EventChunk.class));
    }

    /** Publishes the chunk to the consumers of {@link Addresses#EVENT_CHUNKS} in this process. */
    public void publish(EventBus bus) {
        bus.publish(Addresses.EVENT_CHUNKS, this, LOCAL);
    }

    public int size() {
        return json.length;
    }

    /**
     * Where the source stood after this chunk's lines, or null: an output that writes events says
     * {@link ReadMark#written()} once it has written (or dropped) them.
     */
    public ReadMark mark() {
        return mark;
    }

    Buffer json(int index) {
        return json[index];
    }

    boolean security(int index) {
        return security[index];
    }

    /** Hands each event's JSON to {@code action} in order: all of them, or the security events only. */
    public void forEach(boolean allEvents, Consumer<Buffer> action) {
        for (int i = 0; i < json.length; i++) {
            if (allEvents || security[i]) {
                action.accept(json[i]);
            }
        }
    }

    /** As {@link #forEach(boolean, Consumer)}, then the chunk's {@link #mark()}, if any, to {@code marks}. */
    public void forEach(boolean allEvents, Consumer<Buffer> action, Consumer<ReadMark> marks) {
        forEach(allEvents, action);
        if (mark != null) {
            marks.accept(mark);
        }
    }

    /** Collects a chunk's events as they are prepared. Not thread-safe: one per source thread. */
    public static final class Builder {
        private Buffer[] json;
        private boolean[] security;
        private int size;

        public Builder(int capacity) {
            json = new Buffer[capacity];
            security = new boolean[capacity];
        }

        public void add(Buffer event, boolean isSecurity) {
            if (size == json.length) {
                json = Arrays.copyOf(json, size * 2);
                security = Arrays.copyOf(security, size * 2);
            }
            json[size] = event;
            security[size] = isSecurity;
            size++;
        }

        public int size() {
            return size;
        }

        /** The chunk of what was added; the builder starts empty again. */
        public EventChunk build() {
            return build(null);
        }

        /** The chunk of what was added, with {@code mark} (or null); the builder starts empty again. */
        public EventChunk build(ReadMark mark) {
            EventChunk chunk = new EventChunk(Arrays.copyOf(json, size),
                    Arrays.copyOf(security, size), mark);
            Arrays.fill(json, 0, size, null);
            size = 0;
            return chunk;
        }
    }
}
