package org.tollgate.normalizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.tollgate.normalizer.input.LineSplitter;
import org.tollgate.normalizer.json.EcsJsonWriter;

/** No input makes the normalizer, the splitter or the writer throw, and every result is valid JSON. */
class NormalizerProperties {

    private static final List<String> CORPUS_LINES = Corpus.allLines();
    /** Only a line read in more than linear time takes this long. */
    private static final Duration HANG = Duration.ofMinutes(1);
    private final EcsJsonWriter writer = new EcsJsonWriter();

    @Property(tries = 500)
    void anyTextIsRead(@ForAll @StringLength(max = 300) String line) {
        readAll(List.of(line));
    }

    @Property(tries = 300)
    void anyBytesAreSplitAndRead(@ForAll @Size(max = 3000) byte[] bytes, @ForAll @IntRange(min = 1, max = 300) int chunk) {
        List<String> lines = new ArrayList<>();
        List<Boolean> truncated = new ArrayList<>();
        LineSplitter splitter = new LineSplitter(256, (line, cut) -> {
            lines.add(line);
            truncated.add(cut);
        });
        for (int offset = 0; offset < bytes.length; offset += chunk) {
            splitter.feed(bytes, offset, Math.min(chunk, bytes.length - offset));
            assertThat(splitter.heldBytes()).isLessThanOrEqualTo(256);
        }
        splitter.finish();
        int lineFeeds = 0;
        for (byte b : bytes) {
            lineFeeds += b == '\n' ? 1 : 0;
        }
        boolean unfinished = bytes.length > 0 && bytes[bytes.length - 1] != '\n';
        assertThat(lines).hasSize(lineFeeds + (unfinished ? 1 : 0));
        Normalizer normalizer = new Normalizer(Corpus.OPTIONS);
        List<ParseResult> results = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            normalizer.normalize(lines.get(i), truncated.get(i), results::add);
        }
        normalizer.flush(results::add);
        assertThat(results).hasSize(lines.size());
        for (int i = 0; i < results.size(); i++) {
            assertThat(results.get(i).sequence()).as("results in input order").isEqualTo(i + 1);
            writeAndParse(results.get(i));
        }
    }

    @Property(tries = 1000)
    void mutatedCorpusLinesAreRead(@ForAll @Size(min = 1, max = 6) List<@From("mutatedCorpusLines") String> lines) {
        readAll(lines);
    }

    /**
     * Read in time linear in the line: a scan that went back over the line for each character would take many
     * minutes on the longest of these lines, past {@link #HANG}, which a linear scan (milliseconds) never nears on
     * however busy a machine. The time is not otherwise asserted.
     */
    @Property(tries = 30)
    void hugeLinesAreRead(@ForAll("hugeLines") String line) {
        assertTimeoutPreemptively(HANG, () -> readAll(List.of(line)), () -> "a line of " + line.length() + " chars");
    }

    @Property(tries = 300)
    void linesWithNulAndInvalidUtf8AreRead(@ForAll("corpusLines") String line, @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 255) Integer> junk,
                                            @ForAll @IntRange(min = 0, max = 1000) int at) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        int position = Math.min(at, bytes.length);
        byte[] mutated = new byte[bytes.length + junk.size()];
        System.arraycopy(bytes, 0, mutated, 0, position);
        for (int i = 0; i < junk.size(); i++) {
            mutated[position + i] = (byte) (int) junk.get(i);
        }
        System.arraycopy(bytes, position, mutated, position + junk.size(), bytes.length - position);
        List<String> decoded = new ArrayList<>();
        Corpus.split(mutated, 5, (l, cut) -> decoded.add(l));
        readAll(decoded);
    }

    /**
     * A plain line (printable ASCII and TABs) read from its bytes gives events whose text is flagged ASCII only when it
     * is ({@link ParseResult.Parsed#asciiText}): a JSON layout's message, decoded from {@code \\u} escapes or a byte
     * array, may be anything. Such an event's JSON, its message and original copied as bytes, is the bytes written
     * when nothing is known of the text.
     */
    @Property(tries = 1500)
    void plainLinesFlaggedAsciiAreWrittenAsAnyText(
            @ForAll @Size(min = 1, max = 6) List<@From("plainLines") String> lines) throws java.io.IOException {
        Normalizer normalizer = new Normalizer(Corpus.OPTIONS);
        List<ParseResult> results = new ArrayList<>();
        for (String line : lines) {
            byte[] bytes = line.getBytes(StandardCharsets.ISO_8859_1);
            assertThat(normalizer.normalizePlain(bytes, 0, bytes.length, true, results::add)).isTrue();
        }
        normalizer.flush(results::add);
        for (ParseResult result : results) {
            if (!(result instanceof ParseResult.Parsed parsed) || !parsed.asciiText()) {
                continue;
            }
            assertThat(isAscii(parsed.event().message()) && isAscii(parsed.event().original()))
                    .as("flagged ASCII: %s", parsed.event().original()).isTrue();
            java.io.ByteArrayOutputStream flagged = new java.io.ByteArrayOutputStream();
            java.io.ByteArrayOutputStream unknown = new java.io.ByteArrayOutputStream();
            writer.writeLine(parsed, flagged);
            writer.writeLine(new ParseResult.Parsed(parsed.event()), unknown);
            assertThat(flagged.toString(StandardCharsets.UTF_8)).isEqualTo(unknown.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * Corpus lines, mutated, made plain: every other character as a {@code \\u} escape (which a JSON layout decodes),
     * and JSON-layout lines whose message is such escapes or a byte array of any bytes.
     */
    @Provide
    Arbitrary<String> plainLines() {
        Arbitrary<String> hostile = Arbitraries.strings().ofMaxLength(20).map(NormalizerProperties::plain);
        Arbitrary<List<Integer>> anyBytes = Arbitraries.integers().between(0, 255).list().ofMaxSize(12);
        Arbitrary<String> journald = Combinators.combine(hostile, anyBytes).as((text, bytes) ->
                "{\"__REALTIME_TIMESTAMP\":\"1768758003000000\",\"_HOSTNAME\":\"pbx\","
                        + "\"SYSLOG_IDENTIFIER\":\"asterisk\",\"_PID\":\"2350\",\"MESSAGE\":"
                        + (bytes.isEmpty() ? "\"NOTICE[3402]: chan_sip.c: " + text + "\"}"
                        : bytes.toString().replace(" ", "") + "}"));
        Arbitrary<String> asterisk = hostile.map(text -> "{\"hostname\":\"pbx\",\"timestamp\":\"2026-01-18 17:40:04\","
                + "\"logmsg\":{\"level\":\"NOTICE\",\"message\":\"Host 192.0.2.10 failed " + text + "\"}}");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, mutatedCorpusLines().map(NormalizerProperties::plain)),
                net.jqwik.api.Tuple.of(2, journald),
                net.jqwik.api.Tuple.of(2, asterisk));
    }

    /** {@code text} with every character but printable ASCII and TAB as a JSON escape, and no {@code #0}. */
    private static String plain(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\t' || c >= ' ' && c < 0x7f) {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString().replace("#0", "#\\u0030");
    }

    private static boolean isAscii(String text) {
        return text.chars().allMatch(c -> c < 0x80);
    }

    @Provide
    Arbitrary<String> corpusLines() {
        return Arbitraries.of(CORPUS_LINES);
    }

    @Provide
    Arbitrary<String> hugeLines() {
        Arbitrary<String> filler = Arbitraries.strings().ofMinLength(1).ofMaxLength(40);
        return Combinators.combine(corpusLines(), filler, Arbitraries.integers().between(20_000, 1_100_000))
                .as((line, piece, length) -> {
                    StringBuilder out = new StringBuilder(length + line.length());
                    out.append(line, 0, Math.min(line.length(), 60));
                    while (out.length() < length) {
                        out.append(piece);
                    }
                    return out.append(line).toString();
                });
    }

    /** A corpus line with one to four edits: a cut, a deletion, an insertion of random or structural text, a repeat. */
    @Provide
    Arbitrary<String> mutatedCorpusLines() {
        Arbitrary<String> inserts = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(12),
                Arbitraries.of("'", "\"", "[", "]", ":", " ", "\t", "\u001b[", "#033[", "#011", "\u0000", "\uFFFD", "\r",
                        "' - ", "' failed for '", "' (", ") to extension '", "(callid: ", ") - ", "\",RemoteAddress=\"",
                        "IPV6/UDP/", "/", "[C-", "]: ", "NOTICE[", " in ", "-- end of packet.", "{", "}", "\\", "::", "%"));
        Arbitrary<Edit> edits = Combinators.combine(
                Arbitraries.integers().between(0, 3), Arbitraries.doubles().between(0, 1), Arbitraries.doubles().between(0, 1), inserts)
                .as(Edit::new);
        return Combinators.combine(corpusLines(), edits.list().ofMinSize(1).ofMaxSize(4)).as((line, list) -> {
            String mutated = line;
            for (Edit edit : list) {
                mutated = edit.apply(mutated);
            }
            return mutated;
        });
    }

    private record Edit(int kind, double where, double span, String text) {
        String apply(String line) {
            int at = (int) (where * line.length());
            int end = Math.min(line.length(), at + (int) (span * 12));
            return switch (kind) {
                case 0 -> line.substring(0, at);
                case 1 -> line.substring(0, at) + line.substring(end);
                case 2 -> line.substring(0, at) + text + line.substring(at);
                default -> line.substring(0, end) + line.substring(at);
            };
        }
    }

    private void readAll(List<String> lines) {
        Normalizer normalizer = new Normalizer(Corpus.OPTIONS);
        Normalizer fast = new Normalizer(Corpus.OPTIONS);
        for (String line : lines) {
            ParseResult result = normalizer.normalize(line);
            writeAndParse(result);
            AsteriskEvent event = fast.normalizeSecurity(line);
            if (event != null) {
                assertThat(event.finding()).isNotNull();
                writeAndParse(new ParseResult.Parsed(event));
            }
            if (result instanceof ParseResult.Rejected rejected) {
                assertThat(rejected.raw().length()).isLessThanOrEqualTo(Normalizer.MAX_REJECTED_KEPT);
            }
        }
    }

    private void writeAndParse(ParseResult result) {
        String json = writer.toJson(result);
        assertThat(Corpus.parse(json).at("/event/sequence").asLong()).isEqualTo(result.sequence());
    }
}
