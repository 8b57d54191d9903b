package org.tollgate.server.output;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.tollgate.normalizer.Normalizer;
import org.tollgate.normalizer.NormalizerOptions;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.normalizer.json.EcsJsonWriter;

/** Real-looking Asterisk lines for the output tests, normalized the way the service does. */
public final class ForwardFixtures {

    /** A pjsip auth failure, a dialplan VERBOSE line, a From name planting {@code "outcome":"success"}, an IPv6
     * failure with non-ASCII text, an ERROR line, an AMI wrong password, an AMI login. */
    public static final String LINES = "forward/security-and-other-lines.log";
    /** Display names and dialplan text in several scripts, an emoji, quotes, backslashes, a tab, ANSI escapes. */
    public static final String NON_ASCII = "jsonl/non-ascii-and-escapes.log";

    private ForwardFixtures() {
    }

    static List<String> lines() {
        return lines(LINES);
    }

    static List<String> lines(String resource) {
        try (InputStream in = ForwardFixtures.class.getClassLoader().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<ParseResult> results() {
        return results(LINES);
    }

    /** The lines of {@code resource} normalized in order, as one file source would. */
    public static List<ParseResult> results(String resource) {
        Normalizer normalizer = new Normalizer(NormalizerOptions.defaults().withZone(ZoneOffset.UTC));
        List<ParseResult> results = new ArrayList<>();
        for (String line : lines(resource)) {
            results.add(normalizer.normalize(line));
        }
        return results;
    }

    /** Each line's ECS JSON, as it travels on the event bus. */
    static List<Buffer> json() {
        return json(LINES);
    }

    /** Each line's ECS JSON of {@code resource}, as it travels on the event bus. */
    public static List<Buffer> json(String resource) {
        EcsJsonWriter writer = new EcsJsonWriter();
        return results(resource).stream().map(result -> Buffer.buffer(writer.toJson(result))).toList();
    }

    /** The events as the jsonl output writes them: each buffer's bytes and a '\n'. */
    public static byte[] asLines(List<Buffer> events) {
        Buffer all = Buffer.buffer();
        events.forEach(event -> all.appendBuffer(event).appendByte((byte) '\n'));
        return all.getBytes();
    }
}
