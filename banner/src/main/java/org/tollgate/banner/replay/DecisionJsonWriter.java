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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.tollgate.banner.jail.Evidence;
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
 * leaves both out. A ban published by the service ({@link #writeBan}) also has its end ({@code event.end}) and, where
 * the jail kept them, what led to it: the user names tried ({@code related.user}), what failed
 * ({@code tollgate.failure_actions}) and the log lines ({@code tollgate.matches}, fail2ban's {@code <matches>}, each
 * cut to {@value #LONGEST_MATCH} characters). The target is not closed: the caller owns it.
 */
public final class DecisionJsonWriter implements Consumer<Decision>, Flushable, Closeable {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    /** Longest log line a ban carries in {@code tollgate.matches}; longer ones are cut. */
    public static final int LONGEST_MATCH = 2000;

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
        write(decision, null, null, Evidence.NONE);
    }

    /** Writes one line for a ban or unban made by hand, not by a jail, with {@code reason} as its {@code event.reason}. */
    public void writeManual(Decision decision, String reason) throws IOException {
        write(decision, Objects.requireNonNull(reason, "reason"), null, Evidence.NONE);
    }

    /**
     * Writes one line for a ban with its end ({@code null}: permanent) and what led to it; {@code reason} is null for
     * a jail's ban, the {@code event.reason} of one made by hand.
     */
    public void writeBan(Decision decision, String reason, Instant end, Evidence evidence) throws IOException {
        write(decision, reason, end, Objects.requireNonNull(evidence, "evidence"));
    }

    /** {@code reason} is null for a jail's decision. */
    private void write(Decision decision, String reason, Instant end, Evidence evidence) throws IOException {
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
        if (end != null) {
            generator.writeStringField("end", end.toString());
        }
        generator.writeEndObject();
        generator.writeObjectFieldStart("source");
        generator.writeStringField("ip", decision.ip());
        generator.writeEndObject();
        if (!evidence.users().isEmpty()) {
            generator.writeObjectFieldStart("related");
            strings("user", evidence.users());
            generator.writeEndObject();
        }
        generator.writeObjectFieldStart("tollgate");
        generator.writeStringField("jail", decision.jail());
        generator.writeNumberField("failures", decision.failures());
        generator.writeNumberField("bantime", decision.bantimeSeconds());
        if (reason != null) {
            generator.writeBooleanField("manual", true);
        }
        if (!evidence.failures().isEmpty()) {
            strings("failure_actions", evidence.actions());
            List<String> matches = new ArrayList<>();
            for (String line : evidence.lines()) {
                matches.add(line.length() > LONGEST_MATCH ? line.substring(0, LONGEST_MATCH) : line);
            }
            strings("matches", matches);
        }
        generator.writeEndObject();
        generator.writeEndObject();
        generator.writeRaw('\n');
    }

    private void strings(String field, java.util.Collection<String> values) throws IOException {
        generator.writeArrayFieldStart(field);
        for (String value : values) {
            generator.writeString(value);
        }
        generator.writeEndArray();
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
