package org.tollgate.server.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.Consumer;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.normalizer.geo.SourceGeo;
import org.tollgate.normalizer.json.JsonBlock;

/**
 * The events of one chunk of a source's lines, in order, as one local message on {@link Addresses#EVENT_CHUNKS}: the
 * outputs and statistics of this process take a chunk at a time instead of a message, a task and a wake-up per line.
 *
 * <p>An event comes as the normalizer's result. A security event's JSON is written on the event loop before the chunk
 * is published (it also goes on {@link Addresses#EVENTS} one by one); any other event's JSON is written where it is
 * needed: straight into an output's block of lines ({@link #writeLines}) on the output's own thread, not on the thread
 * that reads the log. Its {@code event.ingested} and {@code event.id} were fixed when the line was handed on, so every
 * output writes the same bytes. Not changed once published.
 */
public final class EventChunk {

    private static final DeliveryOptions LOCAL = new DeliveryOptions()
            .setLocalOnly(true).setCodecName(new LocalCodec<>(EventChunk.class).name());

    /** Each event's JSON line (line feed included) once written, else null: then its result, place, id and instant. */
    private final byte[][] lines;
    private final boolean[] security;
    private final ParseResult[] results;
    private final SourceGeo[] places;
    /** Each event's {@code event.id}: the id, or with a number not negative, the id's prefix before that number. */
    private final String[] ids;
    private final long[] idNumbers;
    private final Instant[] ingested;
    private final EventJson writer;
    private final int securityCount;
    private final ReadMark mark;

    /** The builder's arrays themselves when it filled them (a backlog's full chunk), else copies of their start. */
    private EventChunk(Builder from, int size, ReadMark mark) {
        boolean full = size == from.lines.length;
        this.lines = full ? from.lines : Arrays.copyOf(from.lines, size);
        this.security = full ? from.security : Arrays.copyOf(from.security, size);
        this.results = full ? from.results : Arrays.copyOf(from.results, size);
        this.places = full ? from.places : Arrays.copyOf(from.places, size);
        this.ids = full ? from.ids : Arrays.copyOf(from.ids, size);
        this.idNumbers = full ? from.idNumbers : Arrays.copyOf(from.idNumbers, size);
        this.ingested = full ? from.ingested : Arrays.copyOf(from.ingested, size);
        this.writer = from.writer;
        this.securityCount = from.securityCount;
        this.mark = mark;
    }

    /** One event alone, its JSON written. */
    public static EventChunk of(Buffer json, boolean security) {
        Builder one = new Builder(1, EventJson.PLAIN);
        one.add(json.copy().appendByte((byte) '\n').getBytes(), security, null, null, null, -1, null);
        return one.build();
    }

    /** No event: the mark alone, after chunks that went before it. */
    static EventChunk of(ReadMark mark) {
        return new Builder(0, EventJson.PLAIN).build(mark);
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
        return lines.length;
    }

    /** How many events an output takes from this chunk: all of them, or the security events only. */
    public int count(boolean allEvents) {
        return allEvents ? lines.length : securityCount;
    }

    /**
     * Where the source stood after this chunk's lines, or null: an output that writes events says
     * {@link ReadMark#written()} once it has written (or dropped) them.
     */
    public ReadMark mark() {
        return mark;
    }

    /**
     * Writes the JSON of the events that go on {@link Addresses#EVENTS} one by one: the security events, or all of
     * them. Before the chunk is published, on the thread that publishes it.
     */
    void writeForBus(boolean everyEvent) {
        for (int i = 0; i < lines.length; i++) {
            if (lines[i] == null && (everyEvent || security[i])) {
                lines[i] = writer.line(results[i], places[i], ids[i], idNumbers[i], ingested[i]);
                results[i] = null;
                places[i] = null;
                ids[i] = null;
                ingested[i] = null;
            }
        }
    }

    /** The event's JSON, without line feed, as the bus carries it, when written ({@link #writeForBus}); else null. */
    Buffer busJson(int index) {
        return lines[index] == null ? null : EventJson.withoutLineEnd(lines[index]);
    }

    boolean security(int index) {
        return security[index];
    }

    /** Hands each event's JSON to {@code action} in order: all of them, or the security events only. */
    public void forEach(boolean allEvents, Consumer<Buffer> action) {
        for (int i = 0; i < lines.length; i++) {
            if (allEvents || security[i]) {
                action.accept(EventJson.withoutLineEnd(lines[i] != null ? lines[i]
                        : writer.line(results[i], places[i], ids[i], idNumbers[i], ingested[i])));
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

    /**
     * Writes the events (all of them, or the security events only) at the end of {@code block} as JSON lines, each
     * ended by a line feed, on the caller's thread: an event not written yet straight into the block.
     */
    public void writeLines(boolean allEvents, JsonBlock block) {
        for (int i = 0; i < lines.length; i++) {
            if (!allEvents && !security[i]) {
                continue;
            }
            if (lines[i] != null) {
                block.append(lines[i]);
            } else {
                writer.writeLine(results[i], places[i], ids[i], idNumbers[i], ingested[i], block);
            }
        }
    }

    /**
     * Collects a chunk's events as they are prepared. Not thread-safe: one per source thread.
     *
     * <p>A full chunk (a backlog's) takes the builder's arrays as they are, and the next chunk is collected in new
     * ones: arrays reused chunk after chunk would soon be in the old generation, every event stored into them an
     * old-to-young reference for the collector's write barrier to record (with G1, a card queued and refined: per
     * line), and each chunk's arrays copied out and cleared again. A chunk that does not fill them (a live log's few
     * lines) takes copies, and the builder keeps its arrays.
     */
    public static final class Builder {
        private final EventJson writer;
        /** The length of the arrays of the next chunk: the first capacity, or what the chunks grew to since. */
        private int capacity;
        private byte[][] lines;
        private boolean[] security;
        private ParseResult[] results;
        private SourceGeo[] places;
        private String[] ids;
        private long[] idNumbers;
        private Instant[] ingested;
        private int size;
        private int securityCount;

        /** @param writer how the events added without their JSON are written when an output asks for it */
        public Builder(int capacity, EventJson writer) {
            this.writer = writer;
            this.capacity = Math.max(1, capacity);
            allocate(this.capacity);
        }

        private void allocate(int length) {
            lines = new byte[length][];
            security = new boolean[length];
            results = new ParseResult[length];
            places = new SourceGeo[length];
            ids = new String[length];
            idNumbers = new long[length];
            ingested = new Instant[length];
        }

        /** An event whose JSON is to be written, with its {@code event.id} (or null) and {@code event.ingested}. */
        public void add(ParseResult result, boolean isSecurity, SourceGeo place, String id, Instant at) {
            add(null, isSecurity, result, place, id, -1, at);
        }

        /** As above, with {@code id + idNumber} as {@code event.id}, written so where the JSON is written. */
        public void add(ParseResult result, boolean isSecurity, SourceGeo place, String idPrefix, long idNumber,
                        Instant at) {
            add(null, isSecurity, result, place, idPrefix, idNumber, at);
        }

        /** An event whose JSON line is written ({@code line} not null) or is to be written from the rest. */
        private void add(byte[] line, boolean isSecurity, ParseResult result, SourceGeo place, String id,
                         long idNumber, Instant at) {
            if (size == lines.length) {
                int grown = Math.max(4, size * 2);
                capacity = Math.max(capacity, grown);
                lines = Arrays.copyOf(lines, grown);
                security = Arrays.copyOf(security, grown);
                results = Arrays.copyOf(results, grown);
                places = Arrays.copyOf(places, grown);
                ids = Arrays.copyOf(ids, grown);
                idNumbers = Arrays.copyOf(idNumbers, grown);
                ingested = Arrays.copyOf(ingested, grown);
            }
            lines[size] = line;
            security[size] = isSecurity;
            results[size] = result;
            places[size] = place;
            ids[size] = id;
            idNumbers[size] = idNumber;
            ingested[size] = at;
            if (isSecurity) {
                securityCount++;
            }
            size++;
        }

        public int size() {
            return size;
        }

        /** The chunk of what was added; the builder starts empty again. */
        public EventChunk build() {
            return build(null);
        }

        /**
         * The chunk of what was added, with {@code mark} (or null); the builder starts empty again: in new arrays when
         * the chunk took its full ones, else in its own, cleared.
         */
        public EventChunk build(ReadMark mark) {
            EventChunk chunk = new EventChunk(this, size, mark);
            if (size == lines.length) {
                allocate(capacity);
            } else {
                Arrays.fill(lines, 0, size, null);
                Arrays.fill(results, 0, size, null);
                Arrays.fill(places, 0, size, null);
                Arrays.fill(ids, 0, size, null);
                Arrays.fill(ingested, 0, size, null);
            }
            size = 0;
            securityCount = 0;
            return chunk;
        }
    }
}
