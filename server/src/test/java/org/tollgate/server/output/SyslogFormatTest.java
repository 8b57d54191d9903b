package org.tollgate.server.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SyslogFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-11-20T21:14:18.042Z"));
    /** RFC 5424 section 6: HEADER SP STRUCTURED-DATA [SP MSG], with NILVALUE for MSGID and STRUCTURED-DATA. */
    private static final Pattern RFC5424 = Pattern.compile(
            "<(\\d{1,3})>1 (\\S+) (\\S{1,255}) (\\S{1,48}) (\\S{1,128}) - - (.*)", Pattern.DOTALL);

    private static final int LOCAL0 = 16;

    @Test
    void headerCarriesPriorityTimeHostAppAndPidThenTheEventAsJson() throws Exception {
        SyslogFormat format = new SyslogFormat(LOCAL0, "pbx1.example.net", 4242, CLOCK);
        Buffer json = ForwardFixtures.json().get(0);

        String message = format.message(json).toString(StandardCharsets.UTF_8);

        Matcher header = RFC5424.matcher(message);
        assertThat(header.matches()).as(message).isTrue();
        assertThat(header.group(1)).isEqualTo("132"); // local0 (16) * 8 + warning (4)
        assertThat(header.group(2)).isEqualTo("2026-11-20T21:14:18.042Z");
        assertThat(header.group(3)).isEqualTo("pbx1.example.net");
        assertThat(header.group(4)).isEqualTo("tollgate");
        assertThat(header.group(5)).isEqualTo("4242");
        JsonNode event = JSON.readTree(header.group(6));
        assertThat(event.at("/source/ip").asText()).isEqualTo("203.0.113.45");
        assertThat(event.at("/event/action").asText()).isEqualTo("auth-failed");
    }

    @Test
    void timestampAlwaysHasMillisecondsAndZ() {
        SyslogFormat format = new SyslogFormat(LOCAL0, "pbx1", 1,
                InstantSource.fixed(Instant.parse("2026-01-02T03:04:05Z")));
        assertThat(format.message(Buffer.buffer("{}")).toString()).startsWith("<134>1 2026-01-02T03:04:05.000Z ");
    }

    @Test
    void severityOfEachFixtureEventComesFromItsOutcomeAndLevel() {
        List<Buffer> events = ForwardFixtures.json();
        // auth failure (notice), VERBOSE, planted "success"/"debug" in a From name (still a notice failure),
        // IPv6 failure, ERROR, AMI wrong password (security level), AMI login (security level, success)
        assertThat(events.stream().map(SyslogFormat::severity).toList())
                .containsExactly(4, 6, 4, 4, 3, 4, 5);
    }

    @Test
    void severityTable() {
        assertThat(SyslogFormat.severity("failure", "notice")).isEqualTo(SyslogFormat.WARNING);
        assertThat(SyslogFormat.severity("failure", "error")).isEqualTo(SyslogFormat.ERROR);
        assertThat(SyslogFormat.severity("failure", "debug")).isEqualTo(SyslogFormat.WARNING);
        assertThat(SyslogFormat.severity("failure", null)).isEqualTo(SyslogFormat.WARNING);
        assertThat(SyslogFormat.severity("success", "security")).isEqualTo(SyslogFormat.NOTICE);
        assertThat(SyslogFormat.severity("unknown", "warning")).isEqualTo(SyslogFormat.WARNING);
        assertThat(SyslogFormat.severity(null, "verbose")).isEqualTo(SyslogFormat.INFORMATIONAL);
        assertThat(SyslogFormat.severity(null, "dtmf")).isEqualTo(SyslogFormat.DEBUG);
        assertThat(SyslogFormat.severity(null, "crit")).isEqualTo(SyslogFormat.CRITICAL);
        assertThat(SyslogFormat.severity(null, "something-else")).isEqualTo(SyslogFormat.INFORMATIONAL);
        assertThat(SyslogFormat.severity(null, null)).isEqualTo(SyslogFormat.INFORMATIONAL);
    }

    @Test
    void priorityIsFacilityTimesEightPlusSeverity() {
        Buffer error = ForwardFixtures.json().get(4);
        assertThat(new SyslogFormat(SyslogFormat.FACILITIES.get("kern"), "h", 1, CLOCK).message(error).toString())
                .startsWith("<3>1 ");
        assertThat(new SyslogFormat(SyslogFormat.FACILITIES.get("auth"), "h", 1, CLOCK).message(error).toString())
                .startsWith("<35>1 ");
        assertThat(new SyslogFormat(SyslogFormat.FACILITIES.get("local7"), "h", 1, CLOCK).message(error).toString())
                .startsWith("<187>1 ");
        assertThat(SyslogFormat.FACILITIES).hasSize(24).containsEntry("local0", 16).containsEntry("authpriv", 10);
        assertThatThrownBy(() -> new SyslogFormat(24, "h", 1, CLOCK)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hostNameIsCutToPrintableAsciiOrNil() {
        assertThat(SyslogFormat.headerField("pbx 1\u00e9\t.example", 255)).isEqualTo("pbx1.example");
        assertThat(SyslogFormat.headerField("", 255)).isEqualTo("-");
        assertThat(SyslogFormat.headerField(null, 255)).isEqualTo("-");
        assertThat(SyslogFormat.headerField("x".repeat(300), 255)).hasSize(255);
        assertThat(new SyslogFormat(LOCAL0, null, 7, CLOCK).message(Buffer.buffer("{}")).toString())
                .isEqualTo("<134>1 2026-11-20T21:14:18.042Z - tollgate 7 - - {}");
    }

    @Test
    void octetCountingCountsBytesNotCharacters() {
        Buffer json = ForwardFixtures.json().get(3); // "Müller – Ωmega 東京"
        Buffer message = new SyslogFormat(LOCAL0, "pbx1", 1, CLOCK).message(json);
        String framed = SyslogFormat.octetCounted(message).toString(StandardCharsets.UTF_8);

        int space = framed.indexOf(' ');
        int length = Integer.parseInt(framed.substring(0, space));
        byte[] rest = framed.substring(space + 1).getBytes(StandardCharsets.UTF_8);
        assertThat(length).isEqualTo(rest.length).isEqualTo(message.length())
                .isGreaterThan(framed.length() - space - 1);
        assertThat(framed.substring(space + 1)).startsWith("<132>1 ").doesNotEndWith("\n");
    }

    @Test
    void consecutiveOctetCountedFramesSplitBackIntoTheMessages() throws Exception {
        SyslogFormat format = new SyslogFormat(LOCAL0, "pbx1", 1, CLOCK);
        Buffer stream = Buffer.buffer();
        List<Buffer> events = ForwardFixtures.json();
        events.forEach(json -> stream.appendBuffer(SyslogFormat.octetCounted(format.message(json))));

        int at = 0;
        for (Buffer json : events) {
            int space = at;
            while (stream.getByte(space) != ' ') {
                space++;
            }
            int length = Integer.parseInt(stream.getString(at, space));
            Matcher header = RFC5424.matcher(stream.getString(space + 1, space + 1 + length, "UTF-8"));
            assertThat(header.matches()).isTrue();
            assertThat(JSON.readTree(header.group(6))).isEqualTo(JSON.readTree(json.getBytes()));
            at = space + 1 + length;
        }
        assertThat(at).isEqualTo(stream.length());
    }

    @Test
    void cutNeverSplitsAUtf8Sequence() {
        Buffer text = Buffer.buffer("ab東京", "UTF-8"); // a b E6 9D B1 E4 BA AC
        assertThat(SyslogFormat.cut(text, 100)).isSameAs(text);
        assertThat(SyslogFormat.cut(text, 8).toString()).isEqualTo("ab東京");
        assertThat(SyslogFormat.cut(text, 7).toString()).isEqualTo("ab東");
        assertThat(SyslogFormat.cut(text, 6).toString()).isEqualTo("ab東");
        assertThat(SyslogFormat.cut(text, 5).toString()).isEqualTo("ab東");
        assertThat(SyslogFormat.cut(text, 4).toString()).isEqualTo("ab");
        assertThat(SyslogFormat.cut(text, 2).toString()).isEqualTo("ab");
        assertThat(SyslogFormat.cut(text, 1).toString()).isEqualTo("a");
    }
}
