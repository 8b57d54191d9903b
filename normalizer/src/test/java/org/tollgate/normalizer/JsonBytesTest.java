package org.tollgate.normalizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tollgate.normalizer.geo.SourceGeo;
import org.tollgate.normalizer.json.EcsJsonWriter;
import org.tollgate.normalizer.json.Observer;

/**
 * The JSON of events, byte for byte: every corpus file and {@code json-bytes/mixed-sample.log} (lines of the
 * benchmark's generated log: a few of each security action and layout, and its first 150 lines) are read and each
 * result written as {@code tollgate check --json --all} writes it, and as the service writes it (observer fields, a
 * fixed {@code event.ingested}, an {@code event.id}, a source place with a non-ASCII city, a non-ASCII file path). Each
 * JSON line must have the SHA-256 that {@code json-bytes/<input>.digests} holds for it: the digests were taken from
 * the output of the Jackson-based writer, so a writer that changes one byte of any line fails here.
 *
 * <p>{@code -Djson.bytes.write=true} writes the digest files anew (only when the output is meant to change).
 */
class JsonBytesTest {

    private static final String MIXED_SAMPLE = "mixed-sample.log";
    private static final Instant INGESTED = Instant.parse("2026-01-20T12:00:01.5Z");
    private static final Observer NODE = new Observer("pbx1.example.net", "1.2.3").withIp("2001:db8::5");
    private static final Observer HOST = new Observer("pbx-ß.example.net", "1.2.3-\"dev\"");
    private static final SourceGeo PLACE = new SourceGeo("CH", "Switzerland", "EU", "Zürich \"Kreis 1\"", true,
            47.3769, 8.5417, 3303, "Swisscom (Schweiz) AG");
    private static final SourceGeo AS_ONLY = new SourceGeo(null, null, null, null, false, 0, 0, 64496, null);

    static Stream<String> inputs() {
        return Stream.concat(Corpus.files(), Stream.of(MIXED_SAMPLE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inputs")
    void everyJsonLineIsTheSameBytes(String input) throws IOException {
        List<String> digests = digests(json(input));
        Path golden = directory().resolve(input.replace(".log", ".digests"));
        if (Boolean.getBoolean("json.bytes.write")) {
            Path source = Path.of("src/test/resources/json-bytes").resolve(golden.getFileName());
            Files.writeString(source, String.join("\n", digests) + "\n");
            return;
        }
        List<String> expected = Files.readAllLines(golden);
        List<String> lines = lines(json(input));
        for (int i = 0; i < Math.min(expected.size(), digests.size()); i++) {
            assertThat(digests.get(i)).as("%s, JSON line %d: %s", input, i + 1, lines.get(i)).isEqualTo(expected.get(i));
        }
        assertThat(digests).as("%s: JSON lines", input).hasSameSizeAs(expected);
    }

    /** The input's results written three ways, one after the other: plain, as a cluster node, as a lone host. */
    private static byte[] json(String input) {
        byte[] log = input.equals(MIXED_SAMPLE) ? readMixedSample() : Corpus.read(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            EcsJsonWriter plain = new EcsJsonWriter();
            for (ParseResult result : Corpus.withSignals(log, 4096, Corpus.OPTIONS.withPath("/var/log/asterisk/full"))) {
                plain.writeLine(result, out);
            }
            EcsJsonWriter node = new EcsJsonWriter(NODE, () -> INGESTED);
            EcsJsonWriter host = new EcsJsonWriter(HOST, () -> INGESTED);
            List<ParseResult> results =
                    Corpus.withSignals(log, 7, Corpus.OPTIONS.withPath("/var/log/astérisk/full ☎ \"x\""));
            for (ParseResult result : results) {
                boolean security = result instanceof ParseResult.Parsed parsed && parsed.event().isSecurity();
                String id = "full:" + (result.sequence() * 131);
                if (result.sequence() % 2 == 0) {
                    node.writeLine(result, security ? PLACE : null, id, out);
                } else {
                    host.writeLine(result, security ? AS_ONLY : null, null, out);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static List<String> lines(byte[] json) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < json.length; i++) {
            if (json[i] == '\n') {
                lines.add(new String(json, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        assertThat(start).as("the output ends with a line feed").isEqualTo(json.length);
        return lines;
    }

    /** The SHA-256 of each JSON line (without its line feed), in hex. */
    private static List<String> digests(byte[] json) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        List<String> digests = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < json.length; i++) {
            if (json[i] == '\n') {
                sha256.update(json, start, i - start);
                digests.add(HexFormat.of().formatHex(sha256.digest()));
                start = i + 1;
            }
        }
        return digests;
    }

    private static byte[] readMixedSample() {
        try {
            return Files.readAllBytes(directory().resolve(MIXED_SAMPLE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path directory() {
        URL url = JsonBytesTest.class.getResource("/json-bytes");
        if (url == null) {
            throw new IllegalStateException("json-bytes not on the test class path (src/test/resources/json-bytes)");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
