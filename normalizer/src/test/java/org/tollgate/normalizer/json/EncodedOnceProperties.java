package org.tollgate.normalizer.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.tollgate.normalizer.Normalizer;
import org.tollgate.normalizer.NormalizerOptions;
import org.tollgate.normalizer.ParseResult;

/**
 * The shortcuts of the writer that copy bytes encoded once instead of writing each part of a line ({@link
 * JsonOut#members(byte[])}, {@link JsonOut#fieldEndingWithNumber}) and the number writer's division, each against the
 * plain path on hostile text ({@link JsonOutProperties#texts}: control characters, quotes, backslashes, non-ASCII,
 * surrogates paired and alone): the same bytes, in a line and as text, as the first member and after another.
 */
class EncodedOnceProperties {

    private static final ObjectMapper READER = new ObjectMapper();
    private static final byte[] NAME = EncodedOnce.name("n");
    private static final byte[] OTHER = EncodedOnce.name("o");
    private static final byte[] LAST = EncodedOnce.name("z");
    private static final NormalizerOptions OPTIONS = new NormalizerOptions(ZoneOffset.UTC,
            Instant.parse("2026-01-20T00:00:00Z"), false, "/var/log/asterisk/messages",
            Clock.fixed(Instant.parse("2026-01-20T12:00:00Z"), ZoneOffset.UTC));
    private static final List<String> LINES = List.of(
            "[2026-01-18 17:39:50] NOTICE[2744] chan_sip.c: Registration from '<sip:100@192.0.2.9>' failed for "
                    + "'203.0.113.45:5071' - Wrong password",
            "[2026-01-18 17:39:50] NOTICE[2744] chan_sip.c: hello",
            "not a line of Asterisk's");

    @Provide
    Arbitrary<String> texts() {
        return new JsonOutProperties().texts();
    }

    /** Members encoded once are the bytes their calls write, first in an object or after another member. */
    @Property(tries = 2000)
    void membersEncodedOnceAreTheBytesOfTheirCalls(@ForAll("texts") String a, @ForAll("texts") String b,
                                                  @ForAll boolean first, @ForAll boolean asText) throws IOException {
        byte[] run = EncodedOnce.members(json -> {
            json.startObject(NAME);
            json.field(NAME, EncodedOnce.quoted(a));
            json.field(OTHER, EncodedOnce.quoted(b));
            json.endObject();
            json.field(OTHER, EncodedOnce.quoted(a));
        });
        JsonOut once = new JsonOut();
        JsonOut calls = new JsonOut();
        for (JsonOut out : List.of(once, calls)) {
            out.reset(asText);
            out.startObject();
            if (!first) {
                out.field(OTHER, b);
            }
            if (out == once) {
                out.members(run);
            } else {
                out.startObject(NAME);
                out.field(NAME, EncodedOnce.quoted(a));
                out.field(OTHER, EncodedOnce.quoted(b));
                out.endObject();
                out.field(OTHER, EncodedOnce.quoted(a));
            }
            out.field(LAST, a);
            out.endObject();
        }
        assertThat(bytes(once)).isEqualTo(bytes(calls));
        assertThat(READER.readTree(bytes(once)).at("/n/o").textValue()).isEqualTo(b);
    }

    /**
     * A name and the start of a string encoded once, then a number: the bytes of the string and the number written
     * as they come, in a line and as text; none encoded for a text whose bytes differ between the two (a surrogate).
     */
    @Property(tries = 3000)
    void aStringEncodedOnceThenANumberIsTheFieldItStandsFor(@ForAll("texts") String prefix,
                                                           @ForAll @LongRange(min = 0) long number,
                                                           @ForAll boolean first, @ForAll boolean asText)
            throws IOException {
        byte[] open = EncodedOnce.openString(NAME, prefix);
        boolean surrogate = prefix.chars().anyMatch(c -> Character.isSurrogate((char) c));
        assertThat(open == null).isEqualTo(surrogate);
        if (open == null) {
            return;
        }
        JsonOut once = new JsonOut();
        JsonOut plain = new JsonOut();
        for (JsonOut out : List.of(once, plain)) {
            out.reset(asText);
            out.startObject();
            if (!first) {
                out.field(OTHER, prefix);
            }
            if (out == once) {
                out.fieldEndingWithNumber(open, number);
            } else {
                out.field(NAME, prefix, number);
            }
            out.endObject();
        }
        assertThat(bytes(once)).isEqualTo(bytes(plain));
        assertThat(READER.readTree(bytes(once)).get("n").textValue()).isEqualTo(prefix + number);
    }

    /**
     * Strings that come again as the same objects, as new objects of the same text, or as other text of the same
     * hash ("Aa", "BB", "C#": three for the two slots of a hash), each written as a plain field writes it, in a line
     * and as text.
     */
    @Property(tries = 1000)
    void aStringEncodedOnceForItsFieldIsWhatThePlainFieldWrites(@ForAll("texts") String a, @ForAll("texts") String b,
                                                               @ForAll boolean asText) throws IOException {
        EncodedStrings encoded = new EncodedStrings(NAME);
        List<String> texts = List.of(a, b, "Aa", a, new String(a.toCharArray()), "BB", b, "Aa", a + b, "BB", a,
                "C#", "Aa", "BB", "C#", "BB", b, a);
        JsonOut once = new JsonOut();
        JsonOut plain = new JsonOut();
        for (JsonOut out : List.of(once, plain)) {
            out.reset(asText);
            out.startArray();
            for (String text : texts) {
                out.startObject();
                out.field(OTHER, b);
                if (out == once) {
                    encoded.write(out, text);
                } else {
                    out.field(NAME, text);
                }
                out.endObject();
            }
            out.endArray();
        }
        assertThat(bytes(once)).isEqualTo(bytes(plain));
        assertThat(READER.readTree(bytes(once)).get(0).get("n").textValue()).isEqualTo(a);
    }

    @Property(tries = 5000)
    void aTenthIsTheQuotientByTen(@ForAll @IntRange(min = 0) int value) {
        assertThat(JsonOut.tenth(value)).isEqualTo(value / 10);
    }

    @Example
    void aTenthAtTheEdges() {
        for (int value : new int[] {0, 9, 10, 11, 99, 100, 65_535, 65_536, 81_919, 81_920, 999_999_999,
            1_000_000_000, 1_073_741_823, 1_073_741_824, 2_147_483_639, 2_147_483_640, Integer.MAX_VALUE}) {
            aTenthIsTheQuotientByTen(value);
        }
    }

    /**
     * A service writer's lines, with a hostile observer and a file source's id prefix that changes (the same text in
     * another string, then other text), read back as the values given, in a line and as text.
     */
    @Property(tries = 300)
    void aServiceWritersObserverAndIdAreTheValuesGiven(@ForAll("texts") String hostname,
                                                       @ForAll("texts") String version, @ForAll("texts") String ip,
                                                       @ForAll("texts") String idPrefix,
                                                       @ForAll("texts") String otherPrefix,
                                                       @ForAll @LongRange(min = 0) long offset) throws IOException {
        Instant ingested = Instant.parse("2026-01-20T12:00:01.250Z");
        EcsJsonWriter writer = new EcsJsonWriter(new Observer(hostname, version, ip), () -> ingested);
        Normalizer normalizer = new Normalizer(OPTIONS);
        for (String line : LINES) {
            ParseResult result = normalizer.normalize(line);
            for (String prefix : List.of(idPrefix, new String(idPrefix.toCharArray()), otherPrefix, idPrefix)) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                writer.writeLine(result, null, prefix, offset, bytes);
                JsonNode event = READER.readTree(bytes.toByteArray());
                assertThat(event.at("/event/id").textValue()).isEqualTo(prefix + offset);
                assertThat(event.at("/observer/hostname").textValue()).isEqualTo(hostname);
                assertThat(event.at("/observer/version").textValue()).isEqualTo(version);
                assertThat(event.at("/observer/ip").textValue()).isEqualTo(ip);
                assertThat(event.at("/ecs/version").textValue()).isEqualTo(Observer.ECS_VERSION);
                assertThat(event.at("/event/ingested").textValue()).isEqualTo("2026-01-20T12:00:01.250Z");
                assertThat(event.at("/event/kind").textValue()).isIn("event", "pipeline_error");
            }
            JsonNode asText = READER.readTree(writer.toJson(result));
            assertThat(asText.at("/observer/hostname").textValue()).isEqualTo(hostname);
        }
    }

    private static byte[] bytes(JsonOut out) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        out.writeTo(bytes);
        return bytes.toByteArray();
    }
}
