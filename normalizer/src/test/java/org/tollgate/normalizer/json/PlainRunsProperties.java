package org.tollgate.normalizer.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * The writer's shortcuts in escaping ({@link PlainRuns}: plain runs found eight bytes at a time, a line's original
 * told to end with its message by comparing bytes eight at a time) against a plain escaper written here character by
 * character from the rules in {@link JsonOut}'s comment, on hostile text: long plain runs with a control byte, a quote,
 * a backslash, a {@code ?}, DEL, a Latin-1 or other non-ASCII character, U+2028, a surrogate (paired or alone) at every
 * place in an eight-byte word, and text decoded from bytes that are not UTF-8.
 */
class PlainRunsProperties {

    private static final byte[] MESSAGE = EncodedOnce.name("message");
    private static final byte[] ORIGINAL = EncodedOnce.name("original");
    private static final char[] HOSTILE = {'"', '\\', '?', '\u0000', '\u0001', '\u001f', '\t', '\n', '\r', '\b',
        '\f', '\u007f', '\u0080', '\u00e9', '\u00ff', '\u0100', '\u2028', '\u2029', '\ufffd', '\ud83d', '\ude00',
        '\u4e00', ' ', '~', '!', '#', '[', ']', '>', '@', 'A'};

    @Provide
    Arbitrary<String> hostile() {
        Arbitrary<String> plain = Arbitraries.strings().withCharRange(' ', '~').excludeChars('"', '\\', '?')
                .ofMaxLength(40);
        Arbitrary<String> one = Arbitraries.of(new String(HOSTILE).chars().mapToObj(c -> String.valueOf((char) c))
                .toList());
        Arbitrary<String> notUtf8 = Arbitraries.bytes().array(byte[].class).ofMaxSize(24)
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8));
        Arbitrary<String> piece = Arbitraries.frequencyOf(
                Tuple.of(6, plain), Tuple.of(4, one), Tuple.of(1, notUtf8), Tuple.of(1, Arbitraries.just("\ud83d\ude00")));
        return piece.list().ofMaxSize(12).map(pieces -> String.join("", pieces));
    }

    /** A string written as a member's value is what the plain escaper makes of it. */
    @Property(tries = 5000)
    void aStringIsWhatThePlainEscaperWrites(@ForAll("hostile") String text) {
        JsonOut out = new JsonOut();
        out.startObject();
        out.field(MESSAGE, text);
        out.endObject();
        assertThat(bytes(out)).isEqualTo(("{\"message\":" + reference(text) + "}").getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * An original written after the message it may end with is what the plain escaper makes of it: ending with the
     * message or with another string, with a message a character longer or shorter, or not ASCII, or with a character
     * Latin-1 lacks where the message has a {@code ?} (the same bytes when the text is encoded to Latin-1).
     */
    @Property(tries = 5000)
    void anOriginalAfterItsMessageIsWhatThePlainEscaperWrites(@ForAll("hostile") String head,
                                                              @ForAll("hostile") String message,
                                                              @ForAll("hostile") String other,
                                                              @ForAll @IntRange(max = 5) int shape) {
        String original = switch (shape) {
            case 0 -> head + message;
            case 1 -> head + other;
            case 2 -> message.isEmpty() ? head : head + message.substring(1);
            case 3 -> head + "\u4e00" + message;
            case 4 -> head + message.replace('?', '\u4e00');
            default -> message;
        };
        JsonOut out = new JsonOut();
        out.startObject();
        out.keptField(MESSAGE, message);
        out.fieldEndingWithKept(ORIGINAL, original);
        out.endObject();
        assertThat(bytes(out)).isEqualTo(("{\"message\":" + reference(message) + ",\"original\":" + reference(original)
                + "}").getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The end of a plain run found by words is the one found byte by byte, from any start to any end. */
    @Property(tries = 5000)
    void aRunEndsWhereTheBytesSay(@ForAll("hostile") String text, @ForAll @IntRange(max = 50) int from,
                                  @ForAll @IntRange(max = 50) int cut) {
        byte[] latin1 = text.getBytes(StandardCharsets.ISO_8859_1);
        int start = Math.min(from, latin1.length);
        int end = Math.max(start, latin1.length - cut);
        int expected = start;
        while (expected < end && PlainRuns.plain(latin1[expected])) {
            expected++;
        }
        assertThat(PlainRuns.end(latin1, start, end)).isEqualTo(expected);
    }

    @Property(tries = 3000)
    void bytesAreTheSameWhereArraysSaySo(@ForAll("hostile") String a, @ForAll("hostile") String b,
                                         @ForAll @IntRange(max = 20) int from) {
        byte[] left = (a + b).getBytes(StandardCharsets.ISO_8859_1);
        byte[] right = (from % 2 == 0 ? b : a + b).getBytes(StandardCharsets.ISO_8859_1);
        int length = Math.min(right.length, left.length) - Math.min(from, Math.min(right.length, left.length));
        int leftFrom = left.length - length;
        int rightFrom = right.length - length;
        assertThat(PlainRuns.same(left, leftFrom, right, rightFrom, length))
                .isEqualTo(Arrays.equals(left, leftFrom, left.length, right, rightFrom, right.length));
    }

    /**
     * The plain escaper, character by character: {@code "} and {@code \} after a backslash; {@code \b \t \n \f \r};
     * other characters below U+0020 and each surrogate as {@code \\uXXXX} (upper-case hex); any other character as
     * its UTF-8 bytes. Returned as a string of those bytes, one character a byte.
     */
    static String reference(String text) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\b' -> json.append("\\b");
                case '\t' -> json.append("\\t");
                case '\n' -> json.append("\\n");
                case '\f' -> json.append("\\f");
                case '\r' -> json.append("\\r");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c)) {
                        json.append(String.format("\\u%04X", (int) c));
                    } else {
                        json.append(new String(String.valueOf(c).getBytes(StandardCharsets.UTF_8),
                                StandardCharsets.ISO_8859_1));
                    }
                }
            }
        }
        return json.append('"').toString();
    }

    private static byte[] bytes(JsonOut out) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            out.writeTo(bytes);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return bytes.toByteArray();
    }

    /** The reference itself on a few known strings, so that it cannot agree with the writer by being wrong alike. */
    @Property(tries = 1)
    void theReferenceWritesKnownStrings() {
        assertThat(List.of(reference("a\"b\\c"), reference("\u0001\t"), reference("\u00e9\u2028"),
                reference("\ud83d\ude00"))).containsExactly("\"a\\\"b\\\\c\"", "\"\\u0001\\t\"", "\"\u00c3\u00a9\u00e2\u0080\u00a8\"",
                "\"\\uD83D\\uDE00\"");
    }
}
