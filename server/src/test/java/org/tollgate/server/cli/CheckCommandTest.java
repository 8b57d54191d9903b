package org.tollgate.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.testkit.OverlongLines;
import org.tollgate.testkit.Waits;

class CheckCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    private static String sample() {
        return Path.of("src/test/resources/sample-full.log").toString();
    }

    private List<JsonNode> jsonLines() throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (String line : console.stdout().split("\n")) {
            if (!line.isBlank()) {
                events.add(JSON.readTree(line));
            }
        }
        return events;
    }

    @Test
    void jsonWritesOneEventPerSecurityLine() throws Exception {
        int exit = TollgateCommand.execute("check", "--json", "--zone", "UTC", sample());

        assertThat(exit).isZero();
        List<JsonNode> events = jsonLines();
        assertThat(events).hasSize(33);
        JsonNode first = events.get(0);
        assertThat(first.at("/event/action").asText()).isEqualTo("auth-failed");
        assertThat(first.at("/source/ip").asText()).isEqualTo("203.0.113.45");
        assertThat(first.at("/source/port").asInt()).isEqualTo(5071);
        assertThat(first.at("/asterisk/source_trusted").asBoolean()).isTrue();
        assertThat(first.at("/event/sequence").asLong()).isEqualTo(13);
        assertThat(first.at("/@timestamp").asText()).isEqualTo("2026-11-20T21:14:11.105Z");
        assertThat(console.stderr())
                .contains("Lines: 72 read, 33 security events, 0 unparsed")
                .contains("call-rejected-unknown-extension      6");
    }

    /**
     * Without {@code --all}, noise lines are skipped from their bytes before they are decoded: the events are the
     * security events of reading every line, byte for byte, and the summary is the same.
     */
    @Test
    void securityEventsAloneAreTheSecurityEventsOfEveryLineWithTheSameSummary() throws Exception {
        for (String log : List.of(sample(), Path.of("../samples/asterisk-full.log").toString())) {
            String[] fast = run(log, "check", "--json", "--zone", "UTC", log);
            String[] all = run(log, "check", "--json", "--all", "--zone", "UTC", log);
            List<String> security = new ArrayList<>();
            for (String line : all[0].split("\n")) {
                String dataset = line.isBlank() ? "" : JSON.readTree(line).at("/event/dataset").asText();
                if (dataset.equals("asterisk.security")) {
                    security.add(line);
                }
            }
            assertThat(fast[0].lines().toList()).as(log).isNotEmpty().isEqualTo(security);
            assertThat(fast[1].replaceAll("\\(\\d+ lines/s\\)", "")).as(log)
                    .isEqualTo(all[1].replaceAll("\\(\\d+ lines/s\\)", ""));
        }
    }

    /** Stdout and stderr of one command, which must succeed. */
    private String[] run(String log, String... args) {
        int out = console.stdout().length();
        int err = console.stderr().length();
        assertThat(TollgateCommand.execute(args)).as(log).isZero();
        return new String[] {console.stdout().substring(out), console.stderr().substring(err)};
    }

    @Test
    void allWritesEveryLineIncludingUnreadOnes() throws Exception {
        int exit = TollgateCommand.execute("check", "--json", "--all", "--zone", "UTC", sample());

        assertThat(exit).isZero();
        List<JsonNode> events = jsonLines();
        assertThat(events).hasSize(72);
        assertThat(events).filteredOn(e -> e.at("/event/kind").asText().equals("pipeline_error")).hasSize(1);
        assertThat(events).filteredOn(e -> e.at("/event/dataset").asText().equals("asterisk.log")).hasSize(30);
        // The sample's Dial, answered and hangup lines are call events.
        assertThat(events).filteredOn(e -> e.at("/event/dataset").asText().equals("asterisk.call")).hasSize(9);
    }

    @Test
    void jsonGoesOutInBlocksNotALineAtATime() {
        int[] writes = {0};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream console = System.out;
        System.setOut(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                writes[0]++;
                bytes.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writes[0]++;
                bytes.write(b, off, len);
            }
        }, true));
        try {
            assertThat(TollgateCommand.execute("check", "--json", "--all", "--zone", "UTC", sample())).isZero();
        } finally {
            System.setOut(console);
        }

        assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).hasSize(72);
        assertThat(writes[0]).as("writes for 72 lines").isLessThanOrEqualTo(2);
    }

    @Test
    void jsonFromAPipeThatGoesQuietIsWrittenWithoutWaitingForTheEnd() throws Exception {
        PipedOutputStream feed = new PipedOutputStream();
        InputStream stdin = System.in;
        System.setIn(new PipedInputStream(feed, 1 << 16));
        int[] exit = {-1};
        Thread check = new Thread(() -> exit[0] = TollgateCommand.execute("check", "--json", "--zone", "UTC", "-"));
        try {
            check.start();
            feed.write(("[2026-01-18 17:39:50] NOTICE[2744] chan_sip.c: Registration from '<sip:100@203.0.113.5>'"
                    + " failed for '192.0.2.10:5060' - Wrong password\n").getBytes(StandardCharsets.UTF_8));
            feed.flush();
            Waits.until("the event on stdout while stdin stays open",
                    () -> console.stdout().contains("\"192.0.2.10\""));
            feed.close();
            check.join(Waits.PATIENCE.toMillis());
        } finally {
            System.setIn(stdin);
        }

        assertThat(check.isAlive()).isFalse();
        assertThat(exit[0]).isZero();
        assertThat(jsonLines()).hasSize(1);
    }

    @Test
    void tableNamesEachSecurityEvent() {
        int exit = TollgateCommand.execute("check", "--zone", "UTC", sample());

        assertThat(exit).isZero();
        String table = console.stdout();
        assertThat(table.lines()).hasSize(34); // header + 33 events
        assertThat(table).contains("198.51.100.23:5070").contains("[2001:db8:bad::7]:5060");
    }

    @Test
    void theSummaryGivesAttemptsAndLinesPerAddressAndWhatItAssumedAboutChanSip(@TempDir Path dir) throws Exception {
        // One PJSIP typo (NOTICE + ChallengeResponseFailed, one Call-ID), then two AMI logins with a nonexistent user
        // (two NOTICEs each), and one chan_sip InvalidPassword.
        String log = String.join("\n",
                "[2026-01-18 17:40:01] NOTICE[2290] res_pjsip/pjsip_distributor.c: Request 'REGISTER' from "
                        + "'<sip:1001@203.0.113.5>' failed for '192.0.2.70:5060' (callid: t1) - Failed to authenticate",
                "[2026-01-18 17:40:01] SECURITY[2289] res_security_log.c: SecurityEvent=\"ChallengeResponseFailed\","
                        + "EventTV=\"2026-01-18T17:40:01.010+0000\",Severity=\"Error\",Service=\"PJSIP\",EventVersion=\"1\","
                        + "AccountID=\"1001\",SessionID=\"t1\",LocalAddress=\"IPV4/UDP/192.0.2.1/5060\","
                        + "RemoteAddress=\"IPV4/UDP/192.0.2.70/5060\",Challenge=\"1768758001/0d4a\",Response=\"00ff\","
                        + "ExpectedResponse=\"\"",
                "[2026-01-18 17:41:00] NOTICE[3110] manager.c: 192.0.2.71 tried to authenticate with nonexistent user 'admin'",
                "[2026-01-18 17:41:00] NOTICE[3110] manager.c: 192.0.2.71 failed to authenticate as 'admin'",
                "[2026-01-18 17:41:09] NOTICE[3110] manager.c: 192.0.2.71 tried to authenticate with nonexistent user 'root'",
                "[2026-01-18 17:41:09] NOTICE[3110] manager.c: 192.0.2.71 failed to authenticate as 'root'",
                "[2026-01-18 17:42:00] SECURITY[2289] res_security_log.c: SecurityEvent=\"InvalidPassword\","
                        + "EventTV=\"2026-01-18T17:42:00.000+0000\",Severity=\"Error\",Service=\"SIP\",EventVersion=\"2\","
                        + "AccountID=\"1001\",SessionID=\"0x7f3a2c0012c0\",LocalAddress=\"IPV4/UDP/192.0.2.1/5060\","
                        + "RemoteAddress=\"IPV4/UDP/192.0.2.72/5060\"", "");
        Path file = dir.resolve("full");
        java.nio.file.Files.writeString(file, log);

        int exit = TollgateCommand.execute("check", "--zone", "UTC", file.toString());

        assertThat(exit).isZero();
        List<String> rows = console.stderr().lines().map(String::trim).toList();
        assertThat(rows).contains("192.0.2.71                                      2        4",
                "192.0.2.70                                      1        2");
        assertThat(console.stderr()).contains("Assumed: 1 chan_sip security events (Service=\"SIP\") name p->sa");
    }

    @Test
    void unreadableInputExitsTwoAndTheOthersAreStillRead(@TempDir Path dir) {
        int exit = TollgateCommand.execute("check", "--json", dir.resolve("missing.log").toString(), sample());

        assertThat(exit).isEqualTo(CheckCommand.EXIT_UNREADABLE);
        assertThat(console.stderr()).contains("missing.log: no such file");
        assertThat(console.stdout().lines()).hasSize(33);
    }

    @Test
    void unpatchedChanSipLinesEndWithAPatchHint(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("messages");
        java.nio.file.Files.writeString(log,
                "[Sep  8 11:28:35] NOTICE[4021][C-0000001c] chan_sip.c: Failed to authenticate device \"1001\" <sip:1001@203.0.113.5>;tag=as1b2c3d4e\n");

        int exit = TollgateCommand.execute("check", log.toString());

        assertThat(exit).isZero();
        assertThat(console.stdout()).contains("auth-failed").contains("NO");
        assertThat(console.stderr()).contains("Hint: 1 chan_sip 'Failed to authenticate' lines")
                .contains("patches/");
    }

    /** Failure lines with a From header of 1 MiB: shown with their address, marked truncated. */
    @Test
    void aMegabyteLineKeepsItsAddress(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("full");
        Files.writeString(log, OverlongLines.pjsip() + "\n" + OverlongLines.chanSip() + "\n");

        int exit = TollgateCommand.execute("check", "--json", "--zone", "UTC", log.toString());

        assertThat(exit).isZero();
        List<JsonNode> events = jsonLines();
        assertThat(events).extracting(e -> e.at("/source/ip").asText())
                .containsExactly(OverlongLines.PJSIP_SOURCE, OverlongLines.CHAN_SIP_SOURCE);
        assertThat(events).allSatisfy(e -> assertThat(e.at("/asterisk/truncated").asBoolean()).isTrue());
        assertThat(console.stderr()).contains("Lines: 2 read, 2 security events");
    }
}
