package org.tollgate.normalizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.tollgate.normalizer.input.LineSplitter;
import org.tollgate.normalizer.json.EcsJsonWriter;

/**
 * Reading plain lines from their bytes ({@link Normalizer#normalizePlain}: no decoding, no {@link LineCleaner}) gives
 * the results of decoding every line and reading it with {@link Normalizer#normalize(String, boolean, java.util.function.Consumer)},
 * equal as records and as the JSON written, on the logs {@link SkipNoiseProperties} draws (every layout, sender-written
 * needles, non-ASCII, control bytes, colour codes, rsyslog's escapes, CRs, packet dumps, corpus runs) cut in chunks of
 * any size, and on every corpus file. And the check can fail: a caller that says a line is plain when it is not is
 * caught.
 */
class PlainLinesProperties {

    /** What one read hands on, and how many lines took the plain path. */
    private record Run(List<ParseResult> results, String json, long plainLines) {
    }

    @Property(tries = 400)
    void readingPlainLinesFromTheirBytesChangesNothing(@ForAll("logs") List<String> lines,
                                                       @ForAll @IntRange(min = 1, max = 4096) int chunk) {
        byte[] input = join(lines);
        Run decoded = read(input, chunk, Shortcut.NONE);
        Run plain = read(input, chunk, Shortcut.PLAIN);
        assertThat(events(plain.results())).isEqualTo(events(decoded.results()));
        assertThat(plain.json()).isEqualTo(decoded.json());
        Statistics.label("plain lines").collect(plain.plainLines() > 0);
        Statistics.label("lines not plain").collect(plain.plainLines() < decoded.results().size());
        Statistics.label("plain lines").coverage(c -> c.check(true).percentage(p -> p > 30));
        Statistics.label("lines not plain").coverage(c -> c.check(true).percentage(p -> p > 20));
    }

    @Example
    void everyCorpusFileReadsTheSameWithPlainLinesFromTheirBytes() {
        Corpus.files().forEach(file -> {
            byte[] input = Corpus.read(file);
            for (int chunk : new int[] {4096, 61}) {
                Run decoded = read(input, chunk, Shortcut.NONE);
                Run plain = read(input, chunk, Shortcut.PLAIN);
                assertThat(plain.json()).as(file).isEqualTo(decoded.json());
                assertThat(events(plain.results())).as(file).isEqualTo(events(decoded.results()));
            }
        });
    }

    /** A caller that hands every whole line to the plain path, plain or not, makes a difference the logs show. */
    @Example
    void aCallerThatCallsEveryLinePlainIsCaught() {
        boolean caught = logs().sampleStream().limit(2000).anyMatch(lines -> {
            byte[] input = join(lines);
            return !read(input, 4096, Shortcut.EVERY_LINE).json().equals(read(input, 4096, Shortcut.NONE).json());
        });
        assertThat(caught).isTrue();
    }

    @Provide
    Arbitrary<List<String>> logs() {
        return new SkipNoiseProperties().logs();
    }

    private enum Shortcut { NONE, PLAIN, EVERY_LINE }

    private static Run read(byte[] input, int chunk, Shortcut shortcut) {
        Normalizer normalizer = new Normalizer(Corpus.OPTIONS);
        List<ParseResult> results = new ArrayList<>();
        long[] plainLines = {0};
        LineSplitter.ByteLines byteLines = switch (shortcut) {
            case NONE -> null;
            case PLAIN -> (bytes, from, to, plain) -> {
                boolean read = normalizer.normalizePlain(bytes, from, to, plain, results::add);
                plainLines[0] += read ? 1 : 0;
                return read;
            };
            case EVERY_LINE -> (bytes, from, to, plain) -> normalizer.normalizePlain(bytes, from, to, true, results::add);
        };
        Corpus.split(input, chunk, (line, truncated) -> normalizer.normalize(line, truncated, results::add), byteLines);
        normalizer.flush(results::add);
        EcsJsonWriter writer = new EcsJsonWriter();
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        try {
            for (ParseResult result : results) {
                writer.writeLine(result, json);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Run(results, json.toString(StandardCharsets.UTF_8), plainLines[0]);
    }

    /**
     * The events and rejections, without what a result says it knows of its text ({@link ParseResult.Parsed#asciiText}:
     * known only of a line read from its bytes).
     */
    private static List<Object> events(List<ParseResult> results) {
        return results.stream().map(r -> r instanceof ParseResult.Parsed parsed ? parsed.event() : r).toList();
    }

    private static byte[] join(List<String> lines) {
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
