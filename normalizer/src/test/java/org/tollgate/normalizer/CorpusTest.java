package org.tollgate.normalizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tollgate.normalizer.message.SecurityNeedles;

/**
 * The golden test: every corpus file is read (fixed zone, reference and clock), every event is written with
 * {@code EcsJsonWriter}, parsed back, and each field its {@code *.expected.jsonl} lists must hold.
 *
 * <p>An expectation is one JSON object per input line: {@code "line"} (1-based), then dotted ECS paths with the value
 * the event must have ({@code null}: the field must be absent), and three special keys: {@code "security": false}
 * (an ordinary log line), {@code "rejected": "UNRECOGNIZED"} (a line kept as a pipeline error, by reason), and
 * {@code "never": [..]} (texts that must not appear anywhere in the event).
 */
class CorpusTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.tollgate.normalizer.Corpus#files")
    void everyLineHoldsItsExpectedFields(String file) {
        byte[] input = Corpus.read(file);
        List<ObjectNode> events = Corpus.toJson(Corpus.normalize(input, Math.max(1, input.length), Corpus.OPTIONS));
        List<ObjectNode> expectations = Corpus.expected(file);

        List<Integer> expectedLines = expectations.stream().map(e -> e.path("line").asInt(-1)).toList();
        List<Integer> inputLines = new ArrayList<>();
        for (int line = 1; line <= events.size(); line++) {
            inputLines.add(line);
        }
        assertThat(expectedLines).as("%s: one expectation per input line, in order", file).isEqualTo(inputLines);

        SoftAssertions soft = new SoftAssertions();
        for (ObjectNode expected : expectations) {
            int line = expected.get("line").asInt();
            check(soft, file, line, expected, events.get(line - 1));
        }
        soft.assertAll();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.tollgate.normalizer.Corpus#files")
    void chunkSizeDoesNotChangeTheEvents(String file) {
        byte[] input = Corpus.read(file);
        List<ObjectNode> whole = Corpus.toJson(Corpus.normalize(input, Math.max(1, input.length), Corpus.OPTIONS));
        for (int chunk : Corpus.CHUNK_SIZES) {
            assertThat(Corpus.toJson(Corpus.normalize(input, chunk, Corpus.OPTIONS)))
                    .as("%s fed in chunks of %d bytes", file, chunk)
                    .isEqualTo(whole);
        }
    }

    /**
     * The banning fast path finds exactly the security events the full path finds, written the same, and counts the
     * lines it builds nothing for as the full path's results would: rejected by reason, packet dump lines.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.tollgate.normalizer.Corpus#files")
    void fastPathFindsTheSameSecurityEvents(String file) {
        byte[] input = Corpus.read(file);
        List<ParseResult> fullResults = Corpus.withSignals(input, 4096, Corpus.OPTIONS);
        List<ParseResult> fullSecurity = new ArrayList<>();
        Map<ParseResult.RejectReason, Long> rejected = new EnumMap<>(ParseResult.RejectReason.class);
        long packetDumpLines = 0;
        for (ParseResult result : fullResults) {
            if (result instanceof ParseResult.Parsed parsed && parsed.event().isSecurity()) {
                fullSecurity.add(result);
            } else if (result instanceof ParseResult.Parsed parsed && parsed.event().packetDump()) {
                packetDumpLines++;
            } else if (result instanceof ParseResult.Rejected rejection) {
                rejected.merge(rejection.reason(), 1L, Long::sum);
            }
        }
        Normalizer fast = new Normalizer(Corpus.OPTIONS);
        List<ParseResult> fastSecurity = new ArrayList<>();
        Corpus.split(input, 4096, (line, truncated) -> fast.normalizeSecurity(line, truncated,
                event -> fastSecurity.add(new ParseResult.Parsed(event))));
        fast.flushSecurity(event -> fastSecurity.add(new ParseResult.Parsed(event)));

        assertThat(Corpus.toJson(fastSecurity)).as(file).isEqualTo(Corpus.toJson(fullSecurity));
        assertThat(fast.skipped().rejected()).as("%s: lines rejected", file).isEqualTo(rejected);
        assertThat(fast.skipped().packetDumpLines()).as("%s: packet dump lines", file).isEqualTo(packetDumpLines);
        assertThat(fast.linesRead()).as("%s: lines read", file)
                .isEqualTo(fullResults.stream().filter(r -> !(r instanceof ParseResult.Parsed p && p.event().isScanSignal())).count());

        // The byte-level noise filter in front of the fast path changes nothing a caller sees, in any chunking.
        FastPathRun unfiltered = FastPathRun.read(input, 4096, Corpus.OPTIONS, null);
        assertThat(unfiltered.events()).as(file).isEqualTo(Corpus.toJson(fastSecurity));
        for (int chunk : Corpus.CHUNK_SIZES) {
            FastPathRun filtered = FastPathRun.read(input, chunk, Corpus.OPTIONS, SecurityNeedles.ALL);
            assertThat(filtered.seen()).as("%s with the noise filter, chunks of %d bytes", file, chunk).isEqualTo(unfiltered);
        }
    }

    /** The equivalence above proves something: the filter does skip lines of the corpus. */
    @Test
    void theNoiseFilterSkipsLinesOfTheCorpus() {
        long filtered = Corpus.files()
                .mapToLong(file -> FastPathRun.read(Corpus.read(file), 4096, Corpus.OPTIONS, SecurityNeedles.ALL).filtered())
                .sum();
        assertThat(filtered).as("corpus lines the noise filter skipped").isPositive();
        System.out.printf("noise filter: %d corpus lines skipped%n", filtered);
    }

    private static void check(SoftAssertions soft, String file, int line, ObjectNode expected, ObjectNode event) {
        String where = file + " line " + line + " (" + Corpus.at(event, "event.original") + ")";
        for (Map.Entry<String, JsonNode> field : expected.properties()) {
            String key = field.getKey();
            JsonNode want = field.getValue();
            switch (key) {
                case "line" -> {
                }
                case "security" -> soft.assertThat(text(event, "event.dataset"))
                        .as("%s: event.dataset", where)
                        .isEqualTo(want.asBoolean() ? "asterisk.security" : "asterisk.log");
                case "rejected" -> {
                    soft.assertThat(text(event, "event.kind")).as("%s: event.kind", where).isEqualTo("pipeline_error");
                    soft.assertThat(text(event, "error.type")).as("%s: error.type", where)
                            .isEqualTo(want.asText().toLowerCase(java.util.Locale.ROOT));
                }
                case "never" -> {
                    String json = event.toString();
                    for (JsonNode text : want) {
                        soft.assertThat(json).as("%s: must not hold %s", where, text).doesNotContain(text.asText());
                    }
                }
                default -> {
                    JsonNode have = Corpus.at(event, key);
                    if (want.isNull()) {
                        soft.assertThat(have).as("%s: %s must be absent", where, key).isNull();
                    } else {
                        soft.assertThat(sameValue(want, have))
                                .as("%s: %s expected %s but was %s", where, key, want, have)
                                .isTrue();
                    }
                }
            }
        }
        // Whatever a file expects: a trusted source always has an address, and a security event is categorized.
        if ("asterisk.security".equals(text(event, "event.dataset"))) {
            soft.assertThat(event.at("/event/category").isArray()).as("%s: event.category", where).isTrue();
            soft.assertThat(event.at("/event/type").isArray()).as("%s: event.type", where).isTrue();
            if (event.at("/asterisk/source_trusted").asBoolean(false)) {
                soft.assertThat(text(event, "source.ip")).as("%s: a trusted source has an address", where).isNotNull();
            }
        }
    }

    private static boolean sameValue(JsonNode want, JsonNode have) {
        if (have == null) {
            return false;
        }
        if (want.isNumber() && have.isNumber()) {
            return want.decimalValue().compareTo(have.decimalValue()) == 0;
        }
        return Objects.equals(want, have);
    }

    private static String text(JsonNode event, String path) {
        JsonNode node = Corpus.at(event, path);
        return node == null ? null : node.asText();
    }
}
