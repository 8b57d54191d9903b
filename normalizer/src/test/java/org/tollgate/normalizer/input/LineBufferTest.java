package org.tollgate.normalizer.input;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** A line past the bound keeps its head and tail; the cut splits no JSON escape and no UTF-8 sequence. */
class LineBufferTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String through(LineBuffer buffer, byte[] bytes, int chunk) {
        for (int at = 0; at < bytes.length; at += chunk) {
            buffer.append(bytes, at, Math.min(chunk, bytes.length - at));
        }
        return buffer.take();
    }

    @Test
    void aLineWithinTheBoundIsWhole() {
        LineBuffer buffer = new LineBuffer(16);
        assertThat(through(buffer, "0123456789abcdef".getBytes(StandardCharsets.US_ASCII), 3)).isEqualTo("0123456789abcdef");
        assertThat(buffer.cut()).isFalse();
        assertThat(buffer.length()).as("empty after take").isZero();
    }

    @Test
    void aLongerLineKeepsItsHalvesAroundTheMark() {
        LineBuffer buffer = new LineBuffer(8);
        byte[] bytes = "head-and-a-long-middle-tail".getBytes(StandardCharsets.US_ASCII);
        buffer.append(bytes, 0, bytes.length);
        assertThat(buffer.cut()).isTrue();
        assertThat(buffer.length()).isEqualTo(bytes.length);
        assertThat(buffer.heldBytes()).isEqualTo(8);
        assertThat(buffer.take()).isEqualTo("head" + LineBuffer.CUT + "tail");
    }

    @Test
    void anEscapeAtTheCutIsNotSplit() {
        // The head would end inside \u00e9, the tail begin with the quote a dropped backslash escaped.
        String record = "{\"MESSAGE\":\"ab\\u00e9" + "x".repeat(40) + "\\\"cd\",\"_PID\":\"7\"}";
        String cut = through(new LineBuffer(2 * record.indexOf("\\u00e9") + 8), record.getBytes(StandardCharsets.UTF_8), 5);
        assertThat(cut).contains(LineBuffer.CUT);
        assertThat(parse(cut).get("_PID").asText()).isEqualTo("7");
    }

    /**
     * A JSON record with one long string value (a journald record with a huge MESSAGE), cut anywhere inside that value,
     * still parses; the value is a start of the original, the mark and an end of it, and the other fields are whole.
     */
    @Property(tries = 2000)
    void aJsonRecordCutInsideItsLongValueStillParses(@ForAll("values") String value,
                                                     @ForAll @IntRange(min = 0, max = 600) int room,
                                                     @ForAll @IntRange(min = 1, max = 64) int chunk) throws Exception {
        String before = "{\"__CURSOR\":\"s=1\",\"MESSAGE\":\"";
        String after = "\",\"_PID\":\"4010\",\"_HOSTNAME\":\"pbx1\"}";
        String encoded = JSON.writeValueAsString(value);
        byte[] record = (before + encoded.substring(1, encoded.length() - 1) + after).getBytes(StandardCharsets.UTF_8);
        // Each half holds the fields on its side whole: the cut falls inside the value.
        int half = Math.max(before.length(), after.length()) + room;
        LineBuffer buffer = new LineBuffer(2 * half);
        Assume.that(record.length > 2 * half);
        String line = through(buffer, record, chunk);
        JsonNode parsed = parse(line);
        assertThat(parsed.get("_PID").asText()).isEqualTo("4010");
        assertThat(parsed.get("_HOSTNAME").asText()).isEqualTo("pbx1");
        assertThat(parsed.get("__CURSOR").asText()).isEqualTo("s=1");
        String message = parsed.get("MESSAGE").asText();
        int mark = message.indexOf(LineBuffer.CUT);
        assertThat(mark).isNotNegative();
        assertThat(value).startsWith(message.substring(0, mark).replace("\uFFFD", ""))
                .endsWith(message.substring(mark + LineBuffer.CUT.length()).replace("\uFFFD", ""));
    }

    /** Text with every kind of character JSON escapes, and characters of 2, 3 and 4 UTF-8 bytes. */
    @Provide
    Arbitrary<String> values() {
        return Arbitraries.of("a", "Z", " ", "0", "u", "/", "\"", "\\", "\n", "\t", "\u0001", "\u001f", "\u00e9",
                        "\u2603", "\uD83D\uDE00", "' failed for '", "\\u00")
                .list().ofMinSize(1).ofMaxSize(300).map(parts -> String.join("", parts));
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
