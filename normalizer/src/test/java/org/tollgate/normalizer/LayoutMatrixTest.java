package org.tollgate.normalizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tollgate.normalizer.json.EcsJsonWriter;

/**
 * Every security message of the corpus, taken out of its line and written again in every layout Asterisk and the
 * daemons around it produce: each must read as the same event (action, address, trust, user, reason). The corpus
 * files pin one layout per line; this covers the whole catalog × layout matrix.
 */
class LayoutMatrixTest {

    /** One security message as the corpus line gave it, and the event it read as. */
    record Message(String origin, String level, String file, String function, String callId, String text, String expected) {
        @Override
        public String toString() {
            return origin;
        }
    }

    static Stream<Message> messages() {
        List<Message> messages = new ArrayList<>();
        Corpus.files().filter(f -> !f.equals("bad-input.log")).forEach(file -> {
            List<ObjectNode> events = Corpus.toJson(Corpus.normalize(Corpus.read(file), 4096, Corpus.OPTIONS));
            for (ObjectNode event : events) {
                if (!"asterisk.security".equals(event.at("/event/dataset").asText()) || event.at("/log/level").isMissingNode()
                        || event.at("/log/origin/file/name").isMissingNode()) {
                    continue;
                }
                String file0 = event.at("/log/origin/file/name").asText();
                String function = event.at("/log/origin/function").asText(file0.startsWith("Ext. ") ? "@ from-sip-external" : "fn");
                messages.add(new Message(file + " line " + event.at("/event/sequence").asInt(),
                        event.at("/log/level").asText().toUpperCase(java.util.Locale.ROOT), file0, function,
                        event.at("/asterisk/call_id").asText(null), event.at("/message").asText(), summary(event)));
            }
        });
        assertThat(messages).hasSizeGreaterThan(250);
        return messages.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void aMessageReadsTheSameInEveryLayout(Message m) {
        SoftAssertions soft = new SoftAssertions();
        for (String[] rendered : layouts(m)) {
            byte[] bytes = rendered[1].getBytes(StandardCharsets.UTF_8);
            List<ParseResult> results = Corpus.normalize(bytes, 4096, Corpus.OPTIONS);
            soft.assertThat(results).as("%s as %s: one line", m, rendered[0]).hasSize(1);
            ObjectNode event = Corpus.parse(new EcsJsonWriter().toJson(results.get(0)));
            soft.assertThat(summary(event)).as("%s as %s:%n%s", m, rendered[0], rendered[1]).isEqualTo(m.expected());
        }
        soft.assertAll();
    }

    private static String summary(JsonNode event) {
        return String.join(" | ", text(event, "/event/action"), text(event, "/source/ip"), text(event, "/source/port"),
                text(event, "/asterisk/source_trusted"), text(event, "/asterisk/address_origin"), text(event, "/user/name"),
                text(event, "/event/reason"), text(event, "/asterisk/extension"), text(event, "/asterisk/session_id"),
                text(event, "/asterisk/version_family"));
    }

    private static String text(JsonNode event, String pointer) {
        JsonNode node = event.at(pointer);
        return node.isMissingNode() ? "-" : node.asText();
    }

    /** {name, line} for each layout. */
    private static List<String[]> layouts(Message m) {
        String lvl = m.level();
        String callId = m.callId() == null ? "" : "[" + m.callId() + "]";
        String body = lvl + "[2744]" + callId + ": " + m.file() + ":1234 in " + m.function() + ": " + m.text();
        String console = lvl + "[2744]" + callId + ": " + m.file() + ":1234 " + m.function() + ": " + m.text();
        List<String[]> out = new ArrayList<>();
        out.add(new String[] {"file, default dateformat", "[Jan 18 17:39:50] " + lvl + "[2744]" + callId + " " + m.file() + ": " + m.text()});
        out.add(new String[] {"file, %F %T", "[2026-01-18 17:39:50] " + lvl + "[2744]" + callId + " " + m.file() + ": " + m.text()});
        out.add(new String[] {"file, milliseconds", "[2026-01-18 17:39:50.123] " + lvl + "[2744]" + callId + " " + m.file() + ": " + m.text()});
        out.add(new String[] {"file, ISO with zone", "[2026-01-18T17:39:50.123+0100] " + lvl + "[2744]" + callId + " " + m.file() + ": " + m.text()});
        out.add(new String[] {"file, empty dateformat", "[] " + lvl + "[2744]" + callId + " " + m.file() + ": " + m.text()});
        out.add(new String[] {"file, epoch dateformat", "[1768757990] " + lvl + "[2744]" + callId + " " + m.file() + ": " + m.text()});
        out.add(new String[] {"file, LEVEL [tid]", "[2026-01-18 17:39:50] " + lvl + " [2744]" + callId + " " + m.file() + ": " + m.text()});
        out.add(new String[] {"file, CRLF", "[2026-01-18 17:39:50] " + lvl + "[2744]" + callId + " " + m.file() + ": " + m.text() + "\r"});
        out.add(new String[] {"[plain]", "[2026-01-18 17:39:50] " + console});
        out.add(new String[] {"console, raw ANSI", "[Jan 18 17:39:50] \u001b[1;33m" + lvl + "\u001b[0m[2744]" + callId + ": \u001b[1;37m"
                + m.file() + "\u001b[0m:\u001b[1;37m1234\u001b[0m \u001b[1;37m" + m.function() + "\u001b[0m: " + m.text()});
        out.add(new String[] {"syslog", "Jan 18 17:39:50 pbx asterisk[2350]: " + body});
        out.add(new String[] {"syslog, single-digit day", "Jan  8 17:39:50 pbx asterisk[2350]: " + body});
        out.add(new String[] {"syslog, freepbx", "Jan 18 17:39:50 pbx freepbx[2350]: " + body});
        out.add(new String[] {"syslog, container tag", "Jan 18 17:39:50 dockerhost asterisk/ab12cd[7]: " + body});
        out.add(new String[] {"syslog, RFC 3339", "2026-01-18T17:39:50.123456+01:00 pbx asterisk[2350]: " + body});
        out.add(new String[] {"syslog, double timestamp", "Jan 18 17:39:51 pbx asterisk[2350]: [2026-01-18 17:39:50] " + lvl + "[2744]"
                + callId + " " + m.file() + ": " + m.text()});
        out.add(new String[] {"syslog, captured console", "Jan 18 17:39:51 pbx asterisk[2350]: [Jan 18 17:39:50] " + console});
        out.add(new String[] {"syslog, rsyslog colour", "Jan 18 17:39:51 pbx asterisk[2350]: [Jan 18 17:39:50] #033[1;33m" + lvl
                + "#033[0m[2744]" + callId + ": " + m.file() + ":1234 " + m.function() + ": " + m.text()});
        out.add(new String[] {"RFC 5424", "<133>1 2026-01-18T17:39:50.123Z pbx asterisk 2350 - - " + body});
        out.add(new String[] {"RFC 5424, structured data", "<133>1 2026-01-18T17:39:50Z pbx asterisk 2350 - [meta sequenceId=\"7\"] \uFEFF" + body});
        out.add(new String[] {"journalctl -o cat", body});
        ObjectNode journald = Corpus.JSON.createObjectNode();
        journald.put("__REALTIME_TIMESTAMP", "1768757990000000").put("_HOSTNAME", "pbx").put("SYSLOG_IDENTIFIER", "asterisk")
                .put("_PID", "2350").put("MESSAGE", body);
        out.add(new String[] {"journalctl -o json", journald.toString()});
        ArrayNode bytes = journald.putArray("MESSAGE");
        for (byte b : body.getBytes(StandardCharsets.UTF_8)) {
            bytes.add(b & 0xff);
        }
        out.add(new String[] {"journalctl -o json, MESSAGE as bytes", journald.toString()});
        ObjectNode docker = Corpus.JSON.createObjectNode();
        docker.put("log", "[2026-01-18 17:39:50.123] " + lvl + "[2744]" + callId + " " + m.file() + ": " + m.text() + "\n")
                .put("stream", "stdout").put("time", "2026-01-18T16:39:50.123456789Z");
        out.add(new String[] {"Docker json-file, file format", docker.toString()});
        docker.put("log", "[Jan 18 17:39:50] " + console + "\r\n").put("stream", "stderr");
        out.add(new String[] {"Docker json-file, console", docker.toString()});
        ObjectNode json = Corpus.JSON.createObjectNode();
        json.put("hostname", "pbx").put("timestamp", "2026-01-18 17:39:50.123");
        json.putObject("identifiers").put("lwp", 2744).put("callid", m.callId() == null ? "" : m.callId());
        ObjectNode logmsg = json.putObject("logmsg");
        logmsg.putObject("location").put("filename", m.file()).put("function", m.function()).put("line", 1234);
        logmsg.put("level", lvl).put("message", m.text() + "\n");
        out.add(new String[] {"Asterisk [json]", json.toString()});
        return out;
    }
}
