package org.tollgate.banner.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DecisionJsonWriterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Decision BAN = new Decision(Decision.Kind.BAN, Instant.parse("2026-01-18T17:39:50Z"),
            "192.0.2.10", "sip-auth", 5, 10800);
    private static final Decision UNBAN = new Decision(Decision.Kind.UNBAN, Instant.parse("2026-01-18T20:39:50.250Z"),
            "2001:db8::7", "sip-auth", 5, 10800);

    @Test
    void writesOneEcsObjectPerLine() throws Exception {
        StringWriter out = new StringWriter();
        try (DecisionJsonWriter writer = new DecisionJsonWriter(out)) {
            writer.write(BAN);
            writer.accept(UNBAN);
        }

        String[] lines = out.toString().split("\n", -1);
        assertThat(lines).hasSize(3);
        assertThat(lines[2]).isEmpty();
        assertThat(JSON.readTree(lines[0])).isEqualTo(JSON.readTree("""
                {"@timestamp":"2026-01-18T17:39:50Z",
                 "event":{"kind":"alert","action":"ban","category":["intrusion_detection"],"type":["denied"]},
                 "source":{"ip":"192.0.2.10"},
                 "tollgate":{"jail":"sip-auth","failures":5,"bantime":10800}}"""));

        JsonNode unban = JSON.readTree(lines[1]);
        assertThat(unban.path("@timestamp").asText()).isEqualTo("2026-01-18T20:39:50.250Z");
        assertThat(unban.path("event").path("kind").asText()).isEqualTo("event");
        assertThat(unban.path("event").path("action").asText()).isEqualTo("unban");
        assertThat(unban.path("event").path("type").get(0).asText()).isEqualTo("allowed");
        assertThat(unban.path("source").path("ip").asText()).isEqualTo("2001:db8::7");
        assertThat(unban.path("tollgate").path("bantime").asLong()).isEqualTo(10800);
    }

    @Test
    void aDecisionMadeByHandSaysSoWithAReason() throws Exception {
        StringWriter out = new StringWriter();
        try (DecisionJsonWriter writer = new DecisionJsonWriter(out)) {
            writer.writeManual(BAN, "banned by hand");
        }

        assertThat(JSON.readTree(out.toString())).isEqualTo(JSON.readTree("""
                {"@timestamp":"2026-01-18T17:39:50Z",
                 "event":{"kind":"alert","action":"ban","category":["intrusion_detection"],"type":["denied"],
                          "reason":"banned by hand"},
                 "source":{"ip":"192.0.2.10"},
                 "tollgate":{"jail":"sip-auth","failures":5,"bantime":10800,"manual":true}}"""));
    }

    @Test
    void leavesTheStreamOpenAndWritesUtf8() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DecisionJsonWriter writer = new DecisionJsonWriter(out);
        writer.write(BAN);
        writer.close();
        out.write('x'); // still open

        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).endsWith("}\nx");
        assertThat(JSON.readTree(text.substring(0, text.length() - 1)).path("tollgate").path("jail").asText())
                .isEqualTo("sip-auth");
    }
}
