package org.tollgate.normalizer.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tollgate.normalizer.Normalizer;
import org.tollgate.normalizer.NormalizerOptions;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.normalizer.geo.SourceGeo;

class EcsJsonWriterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final NormalizerOptions OPTIONS = new NormalizerOptions(ZoneOffset.UTC,
            Instant.parse("2026-01-20T00:00:00Z"), false, "/var/log/asterisk/messages",
            Clock.fixed(Instant.parse("2026-01-20T12:00:00Z"), ZoneOffset.UTC));

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "2026-01-18T17:39:50Z",
        "2026-01-18T17:39:50.100Z",
        "2026-01-18T17:39:50.123456Z",
        "2026-01-18T17:39:50.123456789Z",
        "1970-01-01T00:00:00Z",
        "2000-02-29T23:59:59.999Z",
        "9999-12-31T23:59:59Z",
    })
    void instantsAreIsoUtcInTheFewestFractionDigits(String instant) {
        assertThat(IsoInstant.format(Instant.parse(instant))).isEqualTo(instant);
    }

    @Test
    void instantsOutsideFourDigitYearsStillFormat() {
        assertThat(Instant.parse(IsoInstant.format(Instant.parse("+10000-01-01T00:00:00Z")))).isEqualTo(Instant.parse("+10000-01-01T00:00:00Z"));
        assertThat(IsoInstant.format(Instant.parse("1969-12-31T23:59:59.500Z"))).isEqualTo("1969-12-31T23:59:59.500Z");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"WARNING, warning", "VERBOSE, verbose", "DEBUG, debug", "NOTICE, notice", "notice, notice", "Debug, debug",
        "SECURITY, security", "LOCAL7, local7"})
    void levelsAreLowerCaseWhetherAsteriskKnowsThemOrNot(String level, String expected) {
        assertThat(new String(EcsNames.level(level), StandardCharsets.UTF_8)).isEqualTo("\"" + expected + "\"");
    }

    @Test
    void eventsFromTwoFilesEachCarryTheirOwnPath() throws Exception {
        EcsJsonWriter writer = new EcsJsonWriter();
        String line = "[2026-01-18 17:39:50] NOTICE[2744] chan_sip.c: hello";
        for (String path : new String[] {"/var/log/asterisk/messages", "/var/log/asterisk/full", "/var/log/asterisk/messages"}) {
            Normalizer normalizer = new Normalizer(OPTIONS.withPath(path));
            assertThat(JSON.readTree(writer.toJson(normalizer.normalize(line))).at("/log/file/path").asText())
                    .isEqualTo(path);
        }
    }

    @Test
    void aSecurityEventHasEcsCategorizationAndTheAsteriskFields() throws Exception {
        ParseResult result = new Normalizer(OPTIONS).normalize("[2026-01-18 17:39:50] NOTICE[2744] chan_sip.c: "
                + "Registration from '\"1001\" <sip:1001@203.0.113.5>' failed for '[2001:db8::44]:5062' - Wrong password");
        JsonNode event = JSON.readTree(new EcsJsonWriter().toJson(result));
        assertThat(event.at("/@timestamp").asText()).isEqualTo("2026-01-18T17:39:50Z");
        assertThat(event.at("/event/kind").asText()).isEqualTo("event");
        assertThat(event.at("/event/category/0").asText()).isEqualTo("authentication");
        assertThat(event.at("/event/type/0").asText()).isEqualTo("start");
        assertThat(event.at("/event/outcome").asText()).isEqualTo("failure");
        assertThat(event.at("/event/sequence").asLong()).isEqualTo(1);
        assertThat(event.at("/source/ip").asText()).isEqualTo("2001:db8::44");
        assertThat(event.at("/source/address").asText()).isEqualTo("2001:db8::44");
        assertThat(event.at("/source/port").asInt()).isEqualTo(5062);
        assertThat(event.at("/network/type").asText()).isEqualTo("ipv6");
        assertThat(event.at("/network/protocol").asText()).isEqualTo("sip");
        assertThat(event.at("/related/ip/0").asText()).isEqualTo("2001:db8::44");
        assertThat(event.at("/related/user/0").asText()).isEqualTo("1001");
        assertThat(event.at("/log/file/path").asText()).isEqualTo("/var/log/asterisk/messages");
        assertThat(event.at("/log/level").asText()).isEqualTo("notice");
        assertThat(event.at("/asterisk/source_trusted").asBoolean()).isTrue();
        assertThat(event.at("/asterisk/address_origin").asText()).isEqualTo("transport");
    }

    @Test
    void aRejectedLineIsAPipelineErrorThatKeepsTheRawLine() throws Exception {
        ParseResult result = new Normalizer(OPTIONS).normalize("hello \"world\"");
        JsonNode event = JSON.readTree(new EcsJsonWriter().toJson(result));
        assertThat(event.at("/event/kind").asText()).isEqualTo("pipeline_error");
        assertThat(event.at("/event/original").asText()).isEqualTo("hello \"world\"");
        assertThat(event.at("/error/type").asText()).isEqualTo("unrecognized");
        assertThat(event.at("/error/message").asText()).isEqualTo("/var/log/asterisk/messages line 1: no Asterisk layout or message recognised");
        assertThat(event.at("/@timestamp").asText()).as("the clock, before any stamp").isEqualTo("2026-01-20T12:00:00Z");
        assertThat(event.has("source")).isFalse();
    }

    @Test
    void writeLineIsOneUtf8LineOfJson() throws Exception {
        ParseResult result = new Normalizer(OPTIONS).normalize("[2026-01-18 17:39:50] NOTICE[2744] chan_sip.c: "
                + "Registration from '<sip:J\u00fcrgen\u2603@203.0.113.5>' failed for '192.0.2.10:5060' - Wrong password\u2028");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new EcsJsonWriter().writeLine(result, out);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).endsWith("\n");
        assertThat(text.substring(0, text.length() - 1)).doesNotContain("\n");
        JsonNode event = JSON.readTree(text);
        assertThat(event.at("/user/name").asText()).isEqualTo("J\u00fcrgen\u2603");
        assertThat(JSON.readTree(new EcsJsonWriter().toJson(result))).isEqualTo(event);
    }

    @Test
    void writeLineHandsEachLineOnWithoutFlushingTheTarget() throws Exception {
        Normalizer normalizer = new Normalizer(OPTIONS);
        int[] flushes = {0};
        ByteArrayOutputStream out = new ByteArrayOutputStream() {
            @Override
            public void flush() {
                flushes[0]++;
            }
        };
        EcsJsonWriter writer = new EcsJsonWriter();
        writer.writeLine(normalizer.normalize("[2026-01-18 17:39:50] NOTICE[2744] chan_sip.c: Registration from "
                + "'<sip:100@203.0.113.5>' failed for '192.0.2.10:5060' - Wrong password"), out);
        int afterFirst = out.size();
        writer.writeLine(normalizer.normalize("[2026-01-18 17:39:51] VERBOSE[2744] pbx.c: Executing [100@default:1] "
                + "Answer(\"SIP/100-00000001\", \"\") in new stack"), out);

        assertThat(afterFirst).as("the first line is in the target at once").isPositive();
        assertThat(out.toString(StandardCharsets.UTF_8).split("\n")).hasSize(2);
        assertThat(flushes[0]).as("the caller flushes its target, not the writer").isZero();
    }

    @Test
    void aServiceWriterAddsObserverEcsVersionAndIngestTimeToEveryEvent() throws Exception {
        Instant ingested = Instant.parse("2026-01-20T12:00:01.250Z");
        EcsJsonWriter writer = new EcsJsonWriter(new Observer("pbx1.example.net", "1.2.3"), () -> ingested);
        Normalizer normalizer = new Normalizer(OPTIONS);
        for (String line : new String[] {"[2026-01-18 17:39:50] NOTICE[2744] chan_sip.c: hello",
                "[2026-01-18 17:39:50] NOTICE[2744] chan_sip.c: Registration from '<sip:100@192.0.2.9>' failed for "
                        + "'203.0.113.45:5071' - Wrong password"}) {
            JsonNode event = JSON.readTree(writer.toJson(normalizer.normalize(line)));
            assertThat(event.at("/event/ingested").asText()).isEqualTo("2026-01-20T12:00:01.250Z");
            assertThat(event.at("/ecs/version").asText()).isEqualTo(Observer.ECS_VERSION);
            assertThat(event.at("/observer/hostname").asText()).isEqualTo("pbx1.example.net");
            assertThat(event.at("/observer/product").asText()).isEqualTo("Tollgate");
            assertThat(event.at("/observer/vendor").asText()).isEqualTo("Tollgate");
            assertThat(event.at("/observer/version").asText()).isEqualTo("1.2.3");
            assertThat(event.at("/observer").has("ip")).as("no address outside a cluster").isFalse();
        }
        assertThat(JSON.readTree(new EcsJsonWriter().toJson(normalizer.normalize("hello"))).has("observer")).isFalse();
        EcsJsonWriter node = new EcsJsonWriter(new Observer("pbx1.example.net", "1.2.3").withIp("10.0.0.5"),
                () -> ingested);
        JsonNode event = JSON.readTree(node.toJson(normalizer.normalize("[2026-01-18 17:39:50] NOTICE[2744] chan_sip.c:"
                + " hello")));
        assertThat(event.at("/observer/ip").asText()).as("a cluster node's address").isEqualTo("10.0.0.5");
        assertThat(event.at("/observer/hostname").asText()).isEqualTo("pbx1.example.net");
    }

    @Test
    void geoAndAsGoIntoTheSourceObjectOnlyWhereKnown() throws Exception {
        Normalizer normalizer = new Normalizer(OPTIONS);
        ParseResult result = normalizer.normalize("[2026-01-18 17:39:50] NOTICE[2744] chan_sip.c: Registration from "
                + "'<sip:100@192.0.2.9>' failed for '203.0.113.45:5071' - Wrong password");
        SourceGeo geo = new SourceGeo("DE", "Germany", "EU", "Berlin", true, 52.52, 13.405, 64500, "Example Net");
        JsonNode source = JSON.readTree(new EcsJsonWriter().toJson(result, geo)).get("source");
        assertThat(source.at("/ip").asText()).isEqualTo("203.0.113.45");
        assertThat(source.at("/geo/country_iso_code").asText()).isEqualTo("DE");
        assertThat(source.at("/geo/country_name").asText()).isEqualTo("Germany");
        assertThat(source.at("/geo/continent_code").asText()).isEqualTo("EU");
        assertThat(source.at("/geo/city_name").asText()).isEqualTo("Berlin");
        assertThat(source.at("/geo/location/lat").asDouble()).isEqualTo(52.52);
        assertThat(source.at("/geo/location/lon").asDouble()).isEqualTo(13.405);
        assertThat(source.at("/as/number").asLong()).isEqualTo(64500);
        assertThat(source.at("/as/organization/name").asText()).isEqualTo("Example Net");

        SourceGeo asOnly = SourceGeo.NONE.withAs(new SourceGeo(null, null, null, null, false, 0, 0, 64501, null));
        JsonNode partial = JSON.readTree(new EcsJsonWriter().toJson(result, asOnly)).get("source");
        assertThat(partial.has("geo")).isFalse();
        assertThat(partial.at("/as/number").asLong()).isEqualTo(64501);
        assertThat(partial.at("/as").has("organization")).isFalse();
        assertThat(JSON.readTree(new EcsJsonWriter().toJson(result, SourceGeo.NONE)).get("source").has("geo")).isFalse();
    }
}
