package org.tollgate.normalizer.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.LongRange;

/**
 * {@link JsonOut}, the writer of {@link EcsJsonWriter}'s bytes, against Jackson's {@code UTF8JsonGenerator} (what it
 * replaced, with the same defaults) on arbitrary text: control characters, quotes, backslashes, DEL, Latin-1 and
 * other non-ASCII characters, U+2028/U+2029, U+FFFD, '?', surrogates paired, alone and reversed, and strings longer
 * than the writer's first buffer. Each must come out as the same bytes, and read back as the text written.
 */
class JsonOutProperties {

    private static final JsonFactory JACKSON = JsonFactory.builder().build();
    private static final ObjectMapper READER = new ObjectMapper();
    private static final byte[] NAME = EncodedOnce.name("n");
    private static final byte[] LIST = EncodedOnce.name("list");
    private static final byte[] ORIGINAL = EncodedOnce.name("original");

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<Character> special = Arbitraries.of('"', '\\', '/', '?', '\u007f', '\u0080', '\u00ff', '\u0100',
                '\u07ff', '\u0800', '\u2028', '\u2029', '\ufffd', '\uffff', '\ud83d', '\ude00', '\ud800', '\udfff',
                '\t', '\n', '\r', '\b', '\f', '\u0000', '\u001b', '\u001f');
        Arbitrary<Character> chars = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.chars().range(' ', '~')),
                Tuple.of(3, special),
                Tuple.of(1, Arbitraries.chars().range('\u0000', '\u00ff')),
                Tuple.of(1, Arbitraries.chars()));
        Arbitrary<String> pairs = Arbitraries.of("\ud83d\ude00", "\udbff\udfff", "\ud800\udc00");
        Arbitrary<String> pieces = Arbitraries.frequencyOf(
                Tuple.of(10, chars.map(String::valueOf)),
                Tuple.of(1, pairs));
        return Arbitraries.frequencyOf(
                Tuple.of(20, pieces.list().ofMaxSize(60).map(p -> String.join("", p))),
                Tuple.of(1, pieces.list().ofMinSize(3000).ofMaxSize(5000).map(p -> String.join("", p))),
                Tuple.of(3, Arbitraries.strings().ascii().ofMaxLength(80)));
    }

    @Property(tries = 3000)
    void aStringIsWrittenAsJacksonWritesIt(@ForAll("texts") String text) throws IOException {
        JsonOut out = new JsonOut();
        out.startObject();
        out.name(NAME);
        out.value(text);
        out.name(LIST);
        out.startArray();
        out.value(text);
        out.value("plain");
        out.value(text);
        out.endArray();
        out.endObject();

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator json = JACKSON.createGenerator(bytes, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeFieldName("n");
            json.writeString(text);
            json.writeFieldName("list");
            json.writeStartArray();
            json.writeString(text);
            json.writeString("plain");
            json.writeString(text);
            json.writeEndArray();
            json.writeEndObject();
        }
        assertThat(bytes(out)).isEqualTo(bytes.toByteArray());

        JsonNode back = READER.readTree(bytes(out));
        assertThat(back.get("n").textValue()).isEqualTo(text);
        assertThat(back.get("list").get(2).textValue()).isEqualTo(text);
    }

    /** A string and a number after it (a file source's event.id) are the bytes of the string they make. */
    @Property(tries = 3000)
    void aStringAndANumberAreTheBytesOfTheStringTheyMake(@ForAll("texts") String prefix,
                                                         @ForAll @LongRange(min = 0) long number) throws IOException {
        JsonOut parts = new JsonOut();
        parts.startObject();
        parts.field(NAME, prefix, number);
        parts.field(LIST, "plain");
        parts.endObject();
        JsonOut whole = new JsonOut();
        whole.startObject();
        whole.field(NAME, prefix + number);
        whole.field(LIST, "plain");
        whole.endObject();

        assertThat(bytes(parts)).isEqualTo(bytes(whole));
        assertThat(READER.readTree(bytes(parts)).get("n").textValue()).isEqualTo(prefix + number);
    }

    /**
     * A text written after the string it may end with (a line's original after its message) is the bytes that text
     * makes alone, as bytes and as text: whether it ends with the kept string or not, equals it, splits a surrogate
     * pair where the kept string starts, or outgrows the buffer in between.
     */
    @Property(tries = 4000)
    void aTextEndingWithTheKeptStringIsWrittenAsItIsAlone(@ForAll("texts") String head, @ForAll("texts") String tail,
                                                         @ForAll("texts") String between,
                                                         @ForAll @net.jqwik.api.constraints.IntRange(max = 3) int shape,
                                                         @ForAll boolean asText) throws IOException {
        String kept = switch (shape) {
            case 0 -> "\ude00" + tail; // the original splits a pair where the kept string starts
            case 1 -> between; // mostly not a suffix
            default -> tail;
        };
        String original = switch (shape) {
            case 0 -> head + "\ud83d" + kept;
            case 3 -> tail;
            default -> head + tail;
        };
        JsonOut reused = new JsonOut();
        JsonOut alone = new JsonOut();
        reused.reset(asText);
        alone.reset(asText);
        reused.startObject();
        alone.startObject();
        reused.keptField(NAME, kept);
        alone.field(NAME, kept);
        reused.field(LIST, between);
        alone.field(LIST, between);
        reused.fieldEndingWithKept(ORIGINAL, original);
        alone.field(ORIGINAL, original);
        reused.endObject();
        alone.endObject();

        assertThat(bytes(reused)).isEqualTo(bytes(alone));
        assertThat(reused.text()).isEqualTo(alone.text());
        assertThat(READER.readTree(bytes(reused)).get("original").textValue()).isEqualTo(original);
    }

    /** Nothing kept since the last reset: the text is written whole. */
    @Example
    void aResetForgetsTheKeptString() throws IOException {
        JsonOut out = new JsonOut();
        out.startObject();
        out.keptField(NAME, "message");
        out.endObject();
        out.reset();
        out.startObject();
        out.fieldEndingWithKept(ORIGINAL, "a message");
        out.endObject();
        assertThat(out.text()).isEqualTo("{\"original\":\"a message\"}");
    }

    @Property(tries = 3000)
    void textEncodedOnceIsWhatJacksonsSerializedStringWrites(@ForAll("texts") String text) throws IOException {
        byte[] ours = EncodedOnce.quoted(text);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean refused = false;
        try (JsonGenerator json = JACKSON.createGenerator(bytes, JsonEncoding.UTF8)) {
            json.writeString(new SerializedString(text));
        } catch (IllegalArgumentException lone) {
            refused = true; // Jackson refuses a lone surrogate here; we write it as an escape
        }
        if (refused) {
            assertThat(hasLoneSurrogate(text)).isTrue();
        } else {
            assertThat(ours).isEqualTo(bytes.toByteArray());
        }
        assertThat(READER.readTree(ours).textValue()).isEqualTo(text);
        byte[] named = EncodedOnce.name(text);
        assertThat(named).startsWith(ours).endsWith((byte) ':').hasSize(ours.length + 1);
    }

    @Property(tries = 2000)
    void asTextAStringIsWhatJacksonsCharacterGeneratorWrote(@ForAll("texts") String text) throws IOException {
        JsonOut out = new JsonOut();
        out.reset(true);
        out.startArray();
        out.value(text);
        out.value("plain");
        out.endArray();
        java.io.StringWriter chars = new java.io.StringWriter();
        try (JsonGenerator json = JACKSON.createGenerator(chars)) {
            json.writeStartArray();
            json.writeString(text);
            json.writeString("plain");
            json.writeEndArray();
        }
        if (hasLoneSurrogate(text)) {
            // Jackson put the lone surrogate into the text as it is, which no UTF-8 can carry; here it is an escape.
            assertThat(READER.readTree(out.text()).get(0).textValue()).isEqualTo(text);
        } else {
            assertThat(out.text()).isEqualTo(chars.toString());
        }
    }

    /**
     * A member ({@link JsonOut#field(byte[], String)}, the writer's most used call, with its own copy of the plain
     * run), first in its object and after another, in a line and as text, as Jackson writes it.
     */
    @Property(tries = 3000)
    void aMemberIsWrittenAsJacksonWritesIt(@ForAll("texts") String text, @ForAll boolean asText) throws IOException {
        JsonOut out = new JsonOut();
        out.reset(asText);
        out.startObject();
        out.field(NAME, text);
        out.field(LIST, "plain");
        out.field(ORIGINAL, text);
        out.endObject();

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        java.io.StringWriter chars = new java.io.StringWriter();
        try (JsonGenerator json = asText ? JACKSON.createGenerator(chars)
                : JACKSON.createGenerator(bytes, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("n", text);
            json.writeStringField("list", "plain");
            json.writeStringField("original", text);
            json.writeEndObject();
        }
        if (!asText) {
            assertThat(Arrays.copyOf(out.bytes(), out.size())).isEqualTo(bytes.toByteArray());
        } else if (!hasLoneSurrogate(text)) {
            assertThat(out.text()).isEqualTo(chars.toString());
        }
        assertThat(READER.readTree(out.text()).get("original").textValue()).isEqualTo(text);
    }

    /**
     * ASCII text of any kind (control characters, quotes, backslashes, '?', DEL, escapes in every place and in runs,
     * strings longer than the buffer) copied as bytes and escaped from there ({@link JsonOut#asciiField}, a message
     * kept and an original that may end with it) is what the full path ({@link JsonOut#field(byte[], String)},
     * Jackson's bytes above) writes: whether the original ends with the message or not, all but a character of it, or
     * equals it.
     */
    @Property(tries = 4000)
    void anAsciiMemberIsWrittenAsAnyMemberIs(@ForAll("asciiTexts") String head, @ForAll("asciiTexts") String message,
                                             @ForAll @net.jqwik.api.constraints.IntRange(max = 4) int shape,
                                             @ForAll boolean asText) throws IOException {
        String original = switch (shape) {
            case 0 -> head + message;
            case 1 -> message;
            case 2 -> head;
            case 3 -> message.isEmpty() ? head : head + "\u007f" + message.substring(1); // all but the first character
            default -> message.isEmpty() ? head : head + message.substring(0, message.length() - 1) + "~";
        };
        JsonOut ascii = new JsonOut();
        JsonOut any = new JsonOut();
        for (JsonOut out : List.of(ascii, any)) {
            out.reset(asText);
            out.startObject();
        }
        ascii.asciiKeptField(NAME, message);
        any.field(NAME, message);
        for (JsonOut out : List.of(ascii, any)) {
            out.field(LIST, head);
        }
        ascii.asciiFieldEndingWithKept(ORIGINAL, original);
        any.field(ORIGINAL, original);
        ascii.asciiField(LIST, head);
        any.field(LIST, head);
        ascii.endObject();
        any.endObject();

        assertThat(bytes(ascii)).isEqualTo(bytes(any));
        assertThat(READER.readTree(bytes(ascii)).get("original").textValue()).isEqualTo(original);
    }

    @Provide
    Arbitrary<String> asciiTexts() {
        Arbitrary<Character> chars = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.chars().range(' ', '~')),
                Tuple.of(3, Arbitraries.of('"', '\\', '?', '\t', '\u007f', '\u0000', '\n', '\u001f')),
                Tuple.of(1, Arbitraries.chars().range('\u0000', '\u007f')));
        return Arbitraries.frequencyOf(
                Tuple.of(20, chars.list().ofMaxSize(80).map(JsonOutProperties::join)),
                Tuple.of(2, Arbitraries.of('"', '\\', '\t').list().ofMaxSize(40).map(JsonOutProperties::join)),
                Tuple.of(1, chars.list().ofMinSize(3000).ofMaxSize(9000).map(JsonOutProperties::join)));
    }

    private static String join(List<Character> chars) {
        StringBuilder text = new StringBuilder(chars.size());
        chars.forEach(text::append);
        return text.toString();
    }

    @Property(tries = 1000)
    void numbersAndBooleansAreWrittenAsJacksonWritesThem(@ForAll long whole, @ForAll double real,
                                                         @ForAll boolean bool) throws IOException {
        JsonOut out = new JsonOut();
        out.startArray();
        out.value(whole);
        out.value(real);
        out.value(bool);
        out.endArray();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator json = JACKSON.createGenerator(bytes, JsonEncoding.UTF8)) {
            json.writeStartArray();
            json.writeNumber(whole);
            json.writeNumber(real);
            json.writeBoolean(bool);
            json.writeEndArray();
        }
        assertThat(bytes(out)).isEqualTo(bytes.toByteArray());
    }

    @Example
    void extremesOfNumbers() throws IOException {
        for (long whole : List.of(0L, -1L, 9L, 10L, -10L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1)) {
            numbersAndBooleansAreWrittenAsJacksonWritesThem(whole, 0.0, true);
        }
        for (double real : List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0,
                Double.MIN_VALUE, Double.MAX_VALUE, 1e7, 1e-3, 47.3769)) {
            numbersAndBooleansAreWrittenAsJacksonWritesThem(1, real, false);
        }
    }

    @Property(tries = 2000)
    void instantsOneWriterAfterAnotherAreIsoInUtc(@ForAll @LongRange(min = -62_167_219_200L, max = 253_402_300_799L)
                                                   long second, @ForAll("nanos") int nano) {
        IsoInstant instants = new IsoInstant();
        byte[] out = new byte[IsoInstant.LENGTH + 4];
        for (Instant instant : List.of(Instant.ofEpochSecond(second, nano), Instant.ofEpochSecond(second, 0),
                Instant.ofEpochSecond(second, 999_000_000), Instant.ofEpochSecond(second + 1, 0),
                Instant.ofEpochSecond(second + 1, nano), Instant.ofEpochSecond(second - 86_400, nano),
                Instant.ofEpochSecond(second + 60, nano), Instant.ofEpochSecond(second, nano))) {
            int end = instants.write(instant, out, 2);
            if (end < 0) {
                assertThat(instant.toString()).matches("[-+].*"); // a year outside 0000-9999
            } else {
                assertThat(new String(out, 2, end - 2, StandardCharsets.US_ASCII)).isEqualTo(instant.toString());
            }
        }
    }

    @Provide
    Arbitrary<Integer> nanos() {
        return Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(0, 999).map(n -> n * 1_000_000),
                Arbitraries.integers().between(0, 999_999).map(n -> n * 1_000),
                Arbitraries.integers().between(0, 999_999_999));
    }

    @Example
    void yearsOutsideFourDigitsAreLeftToInstantToString() {
        IsoInstant instants = new IsoInstant();
        byte[] out = new byte[IsoInstant.LENGTH];
        assertThat(instants.write(Instant.parse("2026-01-18T17:39:50Z"), out, 0)).isEqualTo(20);
        assertThat(instants.write(Instant.parse("+10000-01-01T00:00:00Z"), out, 0)).isEqualTo(-1);
        assertThat(instants.write(Instant.parse("-0001-12-31T23:59:59Z"), out, 0)).isEqualTo(-1);
        assertThat(instants.write(Instant.parse("2026-01-18T17:39:50Z"), out, 0)).isEqualTo(20);
        JsonOut json = new JsonOut();
        json.value(Instant.parse("+10000-01-01T00:00:00Z"), instants);
        assertThat(json.text()).isEqualTo("\"+10000-01-01T00:00:00Z\"");
    }

    @Example
    void aLoneSurrogateInTextEncodedOnceIsAnEscapeWhereJacksonThrows() {
        assertThat(new String(EncodedOnce.quoted("a\ud83db"), StandardCharsets.UTF_8)).isEqualTo("\"a\\uD83Db\"");
        assertThatThrownBy(() -> {
            try (JsonGenerator json = JACKSON.createGenerator(new ByteArrayOutputStream(), JsonEncoding.UTF8)) {
                json.writeString(new SerializedString("a\ud83db"));
            }
        }).isInstanceOf(IllegalArgumentException.class);
    }

    private static boolean hasLoneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] bytes(JsonOut out) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        out.writeTo(bytes);
        return bytes.toByteArray();
    }
}
