package org.tollgate.normalizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.tollgate.normalizer.input.LineSplitter;
import org.tollgate.normalizer.json.EcsJsonWriter;

/**
 * The test corpus under {@code src/test/resources/corpus/}: real-looking Asterisk log files ({@code *.log}), each with
 * the fields its events must hold beside it ({@code *.expected.jsonl}), and the fixed way they are read.
 */
final class Corpus {

    /** When the corpus files were last written: year-less stamps take their year from it. */
    static final Instant REFERENCE = Instant.parse("2026-01-20T00:00:00Z");
    /** The time for lines that come before any stamp. */
    static final Instant NOW = Instant.parse("2026-01-20T12:00:00Z");
    static final NormalizerOptions OPTIONS =
            new NormalizerOptions(ZoneOffset.UTC, REFERENCE, false, null, Clock.fixed(NOW, ZoneOffset.UTC));

    /** Chunk sizes the input is fed in: byte by byte, an odd size that splits lines and UTF-8 sequences, a page. */
    static final int[] CHUNK_SIZES = {1, 7, 4096};

    static final ObjectMapper JSON = new ObjectMapper();

    private Corpus() {
    }

    static Path directory() {
        URL url = Corpus.class.getResource("/corpus");
        if (url == null) {
            throw new IllegalStateException("corpus directory not on the test class path (src/test/resources/corpus)");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The corpus log files, by name ({@code layouts.log}, …). */
    static Stream<String> files() {
        try (Stream<Path> listing = Files.list(directory())) {
            List<String> names = listing.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".log"))
                    .sorted()
                    .toList();
            if (names.isEmpty()) {
                throw new IllegalStateException("no *.log files in " + directory());
            }
            return names.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] read(String file) {
        try {
            return Files.readAllBytes(directory().resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every line of every corpus file, decoded as the splitter decodes it. */
    static List<String> allLines() {
        List<String> lines = new ArrayList<>();
        files().forEach(file -> split(read(file), 4096, (line, truncated) -> lines.add(line)));
        return lines;
    }

    static void split(byte[] input, int chunkSize, LineSplitter.LineConsumer consumer) {
        split(input, chunkSize, consumer, null);
    }

    /** As {@link #split(byte[], int, LineSplitter.LineConsumer)}, offering whole lines' bytes to {@code shortcut} first. */
    static void split(byte[] input, int chunkSize, LineSplitter.LineConsumer consumer, LineSplitter.ByteLines shortcut) {
        LineSplitter splitter = new LineSplitter(LineSplitter.DEFAULT_MAX_LINE_BYTES, consumer, shortcut);
        for (int offset = 0; offset < input.length; offset += chunkSize) {
            splitter.feed(input, offset, Math.min(chunkSize, input.length - offset));
        }
        splitter.finish();
    }

    /**
     * The results of reading {@code input} fed in chunks of {@code chunkSize} bytes, one per line: scanner signals
     * (events made from several lines, after the line that completes them) are left out; {@link #withSignals} keeps them.
     */
    static List<ParseResult> normalize(byte[] input, int chunkSize, NormalizerOptions options) {
        List<ParseResult> results = withSignals(input, chunkSize, options);
        results.removeIf(r -> r instanceof ParseResult.Parsed p && p.event().isScanSignal());
        return results;
    }

    /** Every result of reading {@code input}, scanner signals included. */
    static List<ParseResult> withSignals(byte[] input, int chunkSize, NormalizerOptions options) {
        Normalizer normalizer = new Normalizer(options);
        List<ParseResult> results = new ArrayList<>();
        split(input, chunkSize, (line, truncated) -> normalizer.normalize(line, truncated, results::add));
        normalizer.flush(results::add);
        return results;
    }

    /** Each result written by {@link EcsJsonWriter} and parsed back. */
    static List<ObjectNode> toJson(List<ParseResult> results) {
        EcsJsonWriter writer = new EcsJsonWriter();
        List<ObjectNode> events = new ArrayList<>(results.size());
        for (ParseResult result : results) {
            events.add(parse(writer.toJson(result)));
        }
        return events;
    }

    /** {@code text} with control characters, C1 controls and U+FFFD shown as {@code \\uXXXX}: for test names. */
    static String visible(String text) {
        StringBuilder shown = new StringBuilder(text.length());
        text.chars().forEach(c -> shown.append(c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0xfffd
                ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return shown.toString();
    }

    /** A SIP URI user part as pjsip prints it: unreserved and user-unreserved characters as they are, the rest %-escaped. */
    static String escapeUser(String user) {
        StringBuilder out = new StringBuilder();
        for (byte b : user.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-_.!~*'()&=+$,;?/".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    static ObjectNode parse(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            if (!(node instanceof ObjectNode object)) {
                throw new AssertionError("not a JSON object: " + json);
            }
            return object;
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    /** The expectations beside {@code file}: one object per input line. */
    static List<ObjectNode> expected(String file) {
        String name = file.substring(0, file.length() - ".log".length()) + ".expected.jsonl";
        Path path = directory().resolve(name);
        if (!Files.exists(path)) {
            throw new AssertionError(file + " has no " + name + " beside it");
        }
        try {
            List<ObjectNode> expected = new ArrayList<>();
            int number = 0;
            for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    expected.add(parse(line));
                } catch (AssertionError e) {
                    throw new AssertionError(name + " line " + number + ": " + e.getMessage(), e);
                }
            }
            return expected;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The node at a dotted ECS path ({@code source.ip}, {@code @timestamp}), or null when absent. */
    static JsonNode at(JsonNode event, String dottedPath) {
        JsonNode node = event;
        for (String part : dottedPath.split("\\.")) {
            if (node == null || !node.isObject()) {
                return null;
            }
            node = node.get(part);
        }
        return node == null || node.isNull() ? null : node;
    }

    /** Every leaf field of an event as a dotted path; arrays count as the field that holds them. */
    static List<String> fieldNames(JsonNode event) {
        List<String> names = new ArrayList<>();
        collect(event, "", names);
        return names;
    }

    private static void collect(JsonNode node, String prefix, List<String> names) {
        if (node.isObject() && (prefix.isEmpty() || node.size() > 0)) {
            // An empty object is reported under its own name: it is a field with no value.
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                collect(e.getValue(), prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), names);
            }
        } else {
            names.add(prefix);
        }
    }
}
