package org.tollgate.normalizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.tollgate.normalizer.message.SecurityNeedles;
import org.tollgate.normalizer.prefix.PrefixParser;
import org.tollgate.normalizer.prefix.PrefixScan;

/**
 * The byte-level noise filter ({@link Normalizer#skipNoise}) changes nothing the fast path hands on or counts, on logs
 * that mix noise and security lines in every layout, with sender-written text made of the needles themselves, their
 * beginnings, other messages' fixed fragments, non-ASCII, control bytes and colour codes, and runs of the corpus
 * (packet dumps included). And the check can fail: with one needle removed, the same logs show a difference.
 */
class SkipNoiseProperties {

    private static final List<String> CORPUS_FILES = Corpus.files().toList();
    /** What follows the prefix in each corpus line: real security messages among them, and packet text. */
    private static final List<String> CORPUS_MESSAGES = corpusMessages();
    private static final List<String> NOISE = List.of(
            "Executing [1002@from-internal:3] Dial(\"PJSIP/1001-00000001\", \"PJSIP/1002,30\") in new stack",
            "Got  RTP packet from    10.20.0.7:12000 (type 00, seq 000123, ts 000160, len 000160)",
            "Peer '1007' is now Reachable. (12ms / 2000ms)", "Remote UNIX connection",
            "Failed to authenticate on REGISTER to 'sip:trunk@203.0.113.5' (Code: 403)", "Using SIP RTP CoS mark 5",
            "Called PJSIP/1002", "PJSIP/1002-00000002 is ringing", "PJSIP/1002-00000002 answered PJSIP/1001-00000001",
            "Spawn extension (from-internal, 1002, 3) exited non-zero on 'PJSIP/1001-00000001'",
            "Endpoint 1001 is now Reachable", "Added contact 'sip:1001@10.20.0.7:5060' to AOR '1001' with expiration of 3600 seconds",
            "sip_transport.c Dropping 0 bytes packet", "Auto fallthrough, channel 'PJSIP/1001-00000001' status is 'BUSY'",
            "    -- Registration for '442071234567@sip.example.net' timed out, trying again (Attempt #3)",
            "DTMF end '#' received on PJSIP/1020-0000004c, duration 156 ms");

    @Property(tries = 400)
    void theFilterChangesNothing(@ForAll("logs") List<String> lines, @ForAll @IntRange(min = 1, max = 4096) int chunk) {
        byte[] input = join(lines);
        FastPathRun plain = FastPathRun.read(input, 4096, Corpus.OPTIONS, null);
        FastPathRun filtered = FastPathRun.read(input, chunk, Corpus.OPTIONS, SecurityNeedles.ALL);
        assertThat(filtered.seen()).isEqualTo(plain);
        // And with the lines that are plain read from their bytes, uncleaned, as check --json reads them.
        assertThat(FastPathRun.read(input, chunk, Corpus.OPTIONS, SecurityNeedles.ALL, true).seen()).isEqualTo(plain);
        Statistics.label("filter skipped lines").collect(filtered.filtered() > 0);
        Statistics.label("security events").collect(!plain.events().isEmpty());
        Statistics.label("filter skipped lines").coverage(c -> c.check(true).percentage(p -> p > 10));
        Statistics.label("security events").coverage(c -> c.check(true).percentage(p -> p > 20));
    }

    /**
     * A noise line with a new date is skipped too, in either layout, and the year context follows it as the fast path
     * would: the year-less syslog stamp of the attack after it gets the year the skipped lines brought, not the
     * reference's.
     */
    @Example
    void aNoiseLineWithANewDateIsSkippedAndMovesTheYearContext() {
        byte[] input = String.join("\n",
                "[2024-06-01 10:00:00.100] VERBOSE[2290] pbx.c: the first line, a noise line",
                "Jun  1 10:00:01 pbx1 asterisk[2281]: VERBOSE[2290]: pbx.c:1 in f: syslog noise",
                "[2024-06-01 10:00:01.500] VERBOSE[2290] pbx.c: a noise line after the syslog one",
                "Jun  1 10:00:02 pbx1 asterisk[2281]: NOTICE[2290]: chan_sip.c:28912 in handle_request_register: "
                        + "Registration from '<sip:100@203.0.113.5>' failed for '192.0.2.7:5060' - Wrong password",
                "").getBytes(StandardCharsets.UTF_8);
        FastPathRun plain = FastPathRun.read(input, 4096, Corpus.OPTIONS, null);
        FastPathRun filtered = FastPathRun.read(input, 4096, Corpus.OPTIONS, SecurityNeedles.ALL);
        assertThat(filtered.seen()).isEqualTo(plain);
        assertThat(filtered.filtered()).isEqualTo(3);
        assertThat(plain.events()).singleElement()
                .satisfies(event -> assertThat(event.get("@timestamp").asText()).startsWith("2024-06-01T10:00:02"));
    }

    /** A filter broken on purpose (one needle left out) is caught by the property's logs. */
    @Example
    void aFilterWithoutOneOfItsNeedlesIsCaught() {
        for (String needle : List.of("' failed for '", "' logged on from ", "SecurityEvent=\"",
                " failed to authenticate as ", "Endpoint '", "' not found for endpoint '",
                "' rejected because extension not found in context '", "Dropped packet:", "Failed to authenticate user ",
                "Failed to authenticate device ")) {
            SecurityNeedles broken = SecurityNeedles.ALL.without(needle);
            boolean caught = logs().sampleStream().limit(3000).anyMatch(lines -> {
                byte[] input = join(lines);
                return !FastPathRun.read(input, 4096, Corpus.OPTIONS, broken).seen()
                        .equals(FastPathRun.read(input, 4096, Corpus.OPTIONS, null));
            });
            assertThat(caught).as("a filter without \"%s\" makes a difference", needle).isTrue();
        }
    }

    @Provide
    Arbitrary<List<String>> logs() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, generatedLine()),
                Tuple.of(1, corpusRun()),
                Tuple.of(1, droppedPacket()),
                Tuple.of(1, cappedDump())).list().ofMinSize(1).ofMaxSize(40);
    }

    private static byte[] join(List<String> lines) {
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static Arbitrary<String> corpusRun() {
        return Arbitraries.of(CORPUS_FILES).flatMap(file -> {
            List<String> lines = new ArrayList<>();
            Corpus.split(Corpus.read(file), 4096, (line, truncated) -> lines.add(line));
            return Arbitraries.integers().between(0, lines.size() - 1).flatMap(from -> Arbitraries.integers()
                    .between(from + 1, Math.min(lines.size(), from + 30))
                    .map(to -> String.join("\n", lines.subList(from, to))));
        });
    }

    /**
     * pjproject's DEBUG "Dropped packet:" line opens a dump of the packet it copies; here without the TAB its forwarder
     * puts first (with it, the line is never skipped anyway), after a noise line of its date. The mark starts in the
     * message where pjproject's padding puts it, or just before or after the last place it is looked for (40).
     */
    private static Arbitrary<String> droppedPacket() {
        return Combinators.combine(Arbitraries.of("", "\t"), Arbitraries.of("", "\r"), Arbitraries.of(7, 24, 25, 26))
                .as((tab, cr, pad) -> String.join("\n",
                "[2026-01-18 17:39:56.000] VERBOSE[3102] pbx.c: a noise line",
                "[2026-01-18 17:39:56.124] DEBUG[3102] pjproject: " + tab + " ".repeat(pad)
                        + "sip_transport.c Dropped packet:NOTIFY sip:100@203.0.113.5 SIP/2.0" + cr,
                "Via: SIP/2.0/UDP 192.0.2.94:5060;branch=z9hG4bK-4" + cr,
                "[2026-01-18 17:39:56] NOTICE[3110] manager.c: 198.51.100.71 failed to authenticate as 'admin'" + cr,
                cr,
                "-- end of packet."));
    }

    /**
     * A line, now and then ended by carriage returns as a packet copied into the log is (the fast path of
     * {@code check --json} reads it as the plain line before them when that is plain and no dump is open).
     */
    /**
     * A dump of a packet larger than pj_log's buffer, its lines ended by carriage returns, cut exactly where the buffer
     * runs out (as {@code PacketDumpTest} builds it), then Asterisk's own line: the dump's count includes each
     * carriage return, so a count without them would swallow the real line.
     */
    private static Arbitrary<String> cappedDump() {
        return Arbitraries.integers().between(20, 120).map(padding -> {
            String header = "[2026-01-18 17:39:52] ERROR[2288] pjproject: \t       sip_transport.c Error processing 5000"
                    + " bytes packet from UDP 192.0.2.92:5060 : PJSIP syntax error exception when parsing 'X-Pad' header";
            int budget = 3999 - header.substring(header.indexOf('\t') + 1).length() - 1;
            StringBuilder dump = new StringBuilder();
            String padLine = "X-Pad: " + "a".repeat(padding) + "\r";
            while (dump.length() + padLine.length() + 1 + "X-Cut: ".length() < budget) {
                dump.append(padLine).append('\n');
            }
            int rest = budget - dump.length() - "X-Cut: ".length();
            dump.append("X-Cut: ").append("b".repeat(rest));
            return header + "\n" + dump + "\n[2026-01-18 17:39:53] NOTICE[3201] chan_sip.c: Registration from "
                    + "'<sip:1@203.0.113.5>' failed for '192.0.2.10:5060' - Wrong password";
        });
    }

    private static Arbitrary<String> generatedLine() {
        return Combinators.combine(prefix(), Arbitraries.of("", " ", "    -- ", "  == ", "       > ", "\t"), message(),
                        lineEnd())
                .as((prefix, decoration, message, end) -> prefix + decoration + message + end);
    }

    private static Arbitrary<String> lineEnd() {
        return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just("")), Tuple.of(2, Arbitraries.of("\r", "\r\r")),
                Tuple.of(1, Arbitraries.of("#\r", "#0\r", "\t\r", "\u001b[0m\r", "\r \r")));
    }

    private static Arbitrary<String> prefix() {
        Arbitrary<String> file = Combinators.combine(
                Arbitraries.of("2026-01-18", "2026-01-18", "2026-01-18", "2026-01-19", "2025-12-31"),
                Arbitraries.of(" 17:39:50", " 17:39:50.123", " 23:59:59.999", "T17:39:50"),
                Arbitraries.of("VERBOSE", "NOTICE", "WARNING", "ERROR", "DEBUG", "SECURITY", "DTMF", "X"),
                Arbitraries.of("[2290]", "[7]", "[1234567890]", " [12]", "[]"),
                Arbitraries.of("", "", "[C-0000001c]", "[C-", ":"),
                Arbitraries.of(" pbx.c: ", " chan_sip.c: ", " res_pjsip/pjsip_distributor.c: ", " pjproject: ",
                        " pjsip: ", " Ext. 100: ", " res_pjsip_session.c: ", " ", " chan_iax2.c:1234 in f: "))
                .as((date, time, level, thread, callId, module) ->
                        "[" + date + time + "] " + level + thread + callId + module);
        Arbitrary<String> common = Combinators.combine(Arbitraries.integers().between(0, 59),
                        Arbitraries.of("VERBOSE[2290][C-0000001c] pbx.c: ", "DEBUG[2290] res_pjsip_session.c: ",
                                "NOTICE[2290]: chan_sip.c: ", "WARNING[17] pjproject: ", "VERBOSE[5] Ext. 100: "))
                .as((second, rest) -> String.format("[2026-01-18 17:39:%02d.123] %s", second, rest));
        // Through syslog: the stamp a year-less month (the year context follows it too), with what moves the stamp
        // elsewhere (a year after the time, Asterisk's own stamp after the header).
        Arbitrary<String> syslog = Combinators.combine(
                Arbitraries.of("Jan 18", "Jan 18", "Dec 31", "Jun  1", "JAN 18", "Jan 1"),
                Arbitraries.of(" 17:39:51", " 17:39:51.123456", " 23:59:59 2025", " 17:39:51 2026"),
                Arbitraries.of(" pbx1 asterisk[2281]: ", " pbx1 asterisk[2281]: ", " asterisk: ", " pbx1 ",
                        " pbx1 kernel: ", " pbx1 asterisk[2281]: [2026-01-18 17:39:51.123] "),
                Arbitraries.of("NOTICE[2290]: chan_sip.c:28912 in f: ", "VERBOSE[2290][C-0000001c]: pbx.c:1 in g: ",
                        "WARNING[17]: pjproject: ", "SECURITY[2301]: res_security_log.c:96 in h: ", ""))
                .as((date, time, header, body) -> date + time + header + body);
        return Arbitraries.frequencyOf(
                Tuple.of(8, common),
                Tuple.of(6, file),
                Tuple.of(4, syslog),
                Tuple.of(1, Arbitraries.of("Jan 18 17:39:51 pbx1 asterisk[2281]: NOTICE[2290]: chan_sip.c:28912 in f: ",
                        "", "[2026-01-18 17:39:50] ", "[2026-01-18 17:39:50]VERBOSE[1] x.c: ", "{\"MESSAGE\":\"")));
    }

    private static Arbitrary<String> message() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(CORPUS_MESSAGES)),
                Tuple.of(3, Arbitraries.of(NOISE)),
                Tuple.of(2, Combinators.combine(Arbitraries.of(CORPUS_MESSAGES), Arbitraries.integers().between(1, 60),
                        Arbitraries.of("#033[0m", "#033[1;31m", "#011", "#3")).as(SkipNoiseProperties::escapeInNeedle)),
                Tuple.of(4, fragment().list().ofMaxSize(6).map(parts -> String.join("", parts))));
    }

    /** Sender-written text: the needles, their beginnings and other cases, other fixed fragments, bytes that are no text. */
    private static Arbitrary<String> fragment() {
        List<String> needles = SecurityNeedles.ALL.texts();
        return Arbitraries.oneOf(
                Arbitraries.of(needles),
                Arbitraries.of(needles).flatMap(t -> Arbitraries.integers().between(1, t.length()).map(k -> t.substring(0, k))),
                Arbitraries.of(needles).map(t -> t.toLowerCase(Locale.ROOT)),
                // A needle cut by an escape that cleaning takes out (or turns into a TAB): found only in the clean line.
                Arbitraries.of(needles).flatMap(t -> Arbitraries.integers().between(1, t.length() - 1).flatMap(k ->
                        Arbitraries.of("#033[0m", "#033[1;31m", "#011", "#3").map(e -> t.substring(0, k) + e + t.substring(k)))),
                Arbitraries.of("192.0.2.7", "198.51.100.9:5060", "[2001:db8::66]:5060", "'", "\"", " - ", "(", ")", ": ",
                        "sip_transport", "Dropping 512 bytes packet from UDP 192.0.2.7:5060 : ", "Error processing ",
                        "-- end of packet.", "Wrong password", "' failed for '", "é", "\u0000", "\u001b[31m", "#033[0m",
                        "#011", "#0", "#", "#3)", "##011", "#1#033[", "\r", "\t", "\uFFFD", " ", "[", "]", "]: "),
                Arbitraries.strings().ascii().ofMaxLength(8));
    }

    /**
     * {@code message} with {@code escape} put inside its first needle, {@code at} bytes into it (or at its last byte):
     * a security message whose needle only cleaning brings back (an rsyslog escape is taken out or becomes a TAB).
     */
    private static String escapeInNeedle(String message, int at, String escape) {
        for (String needle : SecurityNeedles.ALL.texts()) {
            int start = message.indexOf(needle);
            if (start >= 0) {
                int cut = start + Math.min(at, needle.length() - 1);
                return message.substring(0, cut) + escape + message.substring(cut);
            }
        }
        return message + escape;
    }

    private static List<String> corpusMessages() {
        PrefixParser parser = new PrefixParser();
        PrefixScan scan = new PrefixScan();
        List<String> messages = new ArrayList<>();
        for (String line : Corpus.allLines()) {
            parser.scan(LineCleaner.clean(line), scan);
            String text = scan.text();
            messages.add(text.substring(Math.min(scan.messageStart(), text.length())));
        }
        return messages;
    }
}
