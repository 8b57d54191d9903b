package org.tollgate.banner.replay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Writes each {@link Decision} as one line of ECS-shaped JSON:
 *
 * <pre>{"@timestamp":"2026-01-18T17:39:50Z","event":{"kind":"alert","action":"ban","category":["intrusion_detection"],
 * "type":["denied"]},"source":{"ip":"192.0.2.10"},"tollgate":{"jail":"sip-auth","failures":5,"bantime":10800}}</pre>
 *
 * An unban is {@code "kind":"event","action":"unban","type":["allowed"]}: the address is let through again (ECS lists
 * allowed, denied and info as the types of intrusion_detection), not an alert. A ban or an unban made by hand
 * ({@link #writeManual}) also has {@code event.reason} and {@code "tollgate":{"manual":true}}; a jail's decision
 * leaves both out. The target is not closed: the caller owns it.
 */
public final class DecisionJsonWriter implements Consumer<Decision>, Flushable, Closeable {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private final JsonGenerator generator;

    public DecisionJsonWriter(Writer out) throws IOException {
        this.generator = lines(FACTORY.createGenerator(out));
    }

    /** Writes UTF-8 to {@code out}. */
    public DecisionJsonWriter(OutputStream out) throws IOException {
        this.generator = lines(FACTORY.createGenerator(out));
    }

    /** No separator between objects: each line ends with its own newline instead. */
    private static JsonGenerator lines(JsonGenerator generator) {
        generator.setRootValueSeparator(null);
        return generator;
    }

    /** Writes one line for {@code decision}. */
    public void write(Decision decision) throws IOException {
        write(decision, null);
    }

    /** Writes one line for a ban or unban made by hand, not by a jail, with {@code reason} as its {@code event.reason}. */
    public void writeManual(Decision decision, String reason) throws IOException {
        write(decision, Objects.requireNonNull(reason, "reason"));
    }

    /** {@code reason} is null for a jail's decision. */
    private void write(Decision decision, String reason) throws IOException {
        boolean ban = decision.kind() == Decision.Kind.BAN;
        generator.writeStartObject();
        generator.writeStringField("@timestamp", decision.timestamp().toString());
        generator.writeObjectFieldStart("event");
        generator.writeStringField("kind", ban ? "alert" : "event");
        generator.writeStringField("action", decision.kind().action());
        generator.writeArrayFieldStart("category");
        generator.writeString("intrusion_detection");
        generator.writeEndArray();
        generator.writeArrayFieldStart("type");
        generator.writeString(ban ? "denied" : "allowed");
        generator.writeEndArray();
        if (reason != null) {
            generator.writeStringField("reason", reason);
        }
        generator.writeEndObject();
        generator.writeObjectFieldStart("source");
        generator.writeStringField("ip", decision.ip());
        generator.writeEndObject();
        generator.writeObjectFieldStart("tollgate");
        generator.writeStringField("jail", decision.jail());
        generator.writeNumberField("failures", decision.failures());
        generator.writeNumberField("bantime", decision.bantimeSeconds());
        if (reason != null) {
            generator.writeBooleanField("manual", true);
        }
        generator.writeEndObject();
        generator.writeEndObject();
        generator.writeRaw('\n');
    }

    /** {@link #write}, with an I/O failure rethrown unchecked, for use as a replay's consumer. */
    @Override
    public void accept(Decision decision) {
        try {
            write(decision);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the decision for " + decision.ip(), e);
        }
    }

    @Override
    public void flush() throws IOException {
        generator.flush();
    }

    /** Flushes; leaves the target open. */
    @Override
    public void close() throws IOException {
        generator.close();
    }
}
