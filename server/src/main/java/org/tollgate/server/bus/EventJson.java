package org.tollgate.server.bus;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.InstantSource;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.normalizer.geo.SourceGeo;
import org.tollgate.normalizer.json.EcsJsonWriter;
import org.tollgate.normalizer.json.JsonBlock;
import org.tollgate.normalizer.json.Observer;

/**
 * How this process writes an event as ECS JSON: one reused generator per thread, with the service's observer fields
 * and an {@code event.ingested} taken when the line was handed on (a file's chunk of lines: when its first line was),
 * not when it is written, so the same event is the same bytes whichever thread writes it and whenever: on the bus, in
 * a file, to a SIEM.
 */
public final class EventJson {

    /** Events without observer fields ({@code check}, tests). */
    public static final EventJson PLAIN = new EventJson(null, null);

    private final InstantSource clock;
    private final ThreadLocal<Writer> writers;

    /**
     * @param observer written on every event with {@code ecs.version} and {@code event.ingested}; null for none
     * @param clock    the time of {@code event.ingested}; ignored without an observer
     */
    public EventJson(Observer observer, InstantSource clock) {
        this.clock = observer == null ? null : clock;
        this.writers = ThreadLocal.withInitial(() -> new Writer(observer));
    }

    /** The {@code event.ingested} of a line handed on now; null when events carry none. */
    Instant ingestedNow() {
        return clock == null ? null : clock.instant();
    }

    /** Writes the event as one line of UTF-8 JSON, line feed included, into {@code out} (not flushed). */
    public void writeLine(ParseResult result, SourceGeo place, String id, Instant ingested, OutputStream out) {
        writeLine(result, place, id, -1, ingested, out);
    }

    /** As above, with {@code id + idNumber} as {@code event.id} ({@code idNumber} negative: {@code id} alone). */
    void writeLine(ParseResult result, SourceGeo place, String id, long idNumber, Instant ingested,
                   OutputStream out) {
        Writer writer = writers.get();
        writer.ingested = ingested;
        try {
            writer.json.writeLine(result, place, id, idNumber, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As above, the line written at the end of {@code block}, where it goes out from. */
    void writeLine(ParseResult result, SourceGeo place, String id, long idNumber, Instant ingested, JsonBlock block) {
        Writer writer = writers.get();
        writer.ingested = ingested;
        writer.json.writeLine(result, place, id, idNumber, block);
    }

    /** The event as one line of JSON, line feed included, in an array of its own. */
    byte[] line(ParseResult result, SourceGeo place, String id, long idNumber, Instant ingested) {
        Writer writer = writers.get();
        writer.bytes.reset();
        writeLine(result, place, id, idNumber, ingested, writer.bytes);
        return writer.bytes.toByteArray();
    }

    /** A line of {@link #line} as the bus carries an event: a buffer of the JSON without the line feed. */
    static Buffer withoutLineEnd(byte[] line) {
        return Buffer.buffer(line.length - 1).appendBytes(line, 0, line.length - 1);
    }

    /** One thread's generator, and the instant it writes as {@code event.ingested}, set before each event. */
    private static final class Writer implements InstantSource {
        private final EcsJsonWriter json;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        private Instant ingested;

        Writer(Observer observer) {
            this.json = new EcsJsonWriter(observer, observer == null ? null : this);
        }

        @Override
        public Instant instant() {
            return ingested == null ? Instant.now() : ingested;
        }
    }
}
