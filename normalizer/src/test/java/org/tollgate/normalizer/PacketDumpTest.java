package org.tollgate.normalizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where a pjproject packet dump ends (pjsip/src/pjsip/sip_transport.c, pjlib/src/pj/log.c): the packet is printed with
 * {@code %.*s}, so a NUL byte ends it early, and the whole log message is cut at PJ_LOG_MAX_SIZE - 1 = 3999 bytes.
 * Real addresses in 192.0.2.0/24, the sender's in 198.51.100.0/24.
 */
class PacketDumpTest {

    private static final String HEADER = "[2026-01-18 17:39:52] ERROR[2288] pjproject: \t       sip_transport.c Error processing %d"
            + " bytes packet from UDP 192.0.2.92:5060 : PJSIP syntax error exception when parsing 'X-Pad' header on line 2 col 6:";
    private static final String REAL = "[2026-01-18 17:39:53] NOTICE[3201] chan_sip.c: Registration from "
            + "'<sip:1@203.0.113.5>' failed for '192.0.2.10:5060' - Wrong password";
    private static final String FORGED = "[2026-01-18 17:39:52] NOTICE[3201] chan_sip.c: Registration from "
            + "'<sip:1@203.0.113.5>' failed for '198.51.100.66:5060' - Wrong password";

    @Test
    void aNulThatCutsTheDumpShortNoLongerSwallowsTheRealLinesAfterIt() {
        // The sender declares 1200 bytes but a NUL after the first line stops the print: the real end marker follows
        // at once, and every line after it is Asterisk's. Read from the declared size, they were packet data: one
        // small packet before each batch of guesses blinded the jails.
        String log = String.format(HEADER, 1200) + "\nINVITE sip:100@203.0.113.5 SIP/2.0\r\n\n-- end of packet.\n"
                + (REAL + "\n").repeat(5);
        List<String> sources = sources(log);
        assertThat(sources).containsExactly("192.0.2.92", "192.0.2.10", "192.0.2.10", "192.0.2.10", "192.0.2.10",
                "192.0.2.10");
    }

    @Test
    void anEndMarkerTheSenderWroteIsPacketWhenTheRealOneSitsWhereTheDeclaredBytesEnd() {
        String packet = "INVITE sip:100@203.0.113.5 SIP/2.0\r\nX-Pad: x\n-- end of packet.\r\n" + FORGED + "\r\n\r\n";
        int size = packet.getBytes(StandardCharsets.UTF_8).length;
        String log = String.format(HEADER, size) + "\n" + packet + "\n-- end of packet.\n" + REAL + "\n";
        assertThat(sources(log)).containsExactly("192.0.2.92", "192.0.2.10");
    }

    @Test
    void aNulAfterAFakeEndMarkerStillKeepsTheForgedLinesOutTheRealEndIsTheLastMarker() {
        // Packet: a fake marker, a forged line, then a NUL: printed, the real marker follows the forged line. The
        // declared end (2000 bytes) shows no marker, so the dump ended at its last early marker, not its first.
        String printed = "INVITE sip:100@203.0.113.5 SIP/2.0\r\n-- end of packet.\r\n" + FORGED + "\r\n";
        String log = String.format(HEADER, 2000) + "\n" + printed + "\n-- end of packet.\n" + (REAL + "\n").repeat(12);
        assertThat(sources(log)).containsExactly("192.0.2.92", "192.0.2.10", "192.0.2.10", "192.0.2.10", "192.0.2.10",
                "192.0.2.10", "192.0.2.10", "192.0.2.10", "192.0.2.10", "192.0.2.10", "192.0.2.10", "192.0.2.10",
                "192.0.2.10");
    }

    @Test
    void theLogBufferCapCountsTheWholeMessageNotOnlyTheDump() {
        // A 5000-byte packet: pj_log cuts the message (sender, "Error processing … :", line feed, packet) at 3999
        // bytes, so the dump is shorter than 4000 by the header's length. Counting only the dump swallowed the lines
        // after it up to 4000 bytes.
        String header = String.format(HEADER, 5000);
        int headerBytes = header.substring(header.indexOf('\t') + 1).getBytes(StandardCharsets.UTF_8).length;
        int budget = 3999 - headerBytes - 1;
        StringBuilder dump = new StringBuilder();
        String padLine = "X-Pad: " + "a".repeat(70) + "\r";
        while (dump.length() + padLine.length() + 1 < budget) {
            dump.append(padLine).append('\n');
        }
        int rest = budget - dump.length() - 7;
        dump.append("X-Cut: ").append("b".repeat(rest));
        assertThat(dump.toString().getBytes(StandardCharsets.UTF_8)).hasSize(budget);
        String log = header + "\n" + dump + "\n" + REAL + "\n" + REAL + "\n";
        assertThat(sources(log)).containsExactly("192.0.2.92", "192.0.2.10", "192.0.2.10");
    }

    @Test
    void linesHeldAfterAnEarlyMarkerGoOnWhenTheInputGoesQuiet() {
        Normalizer normalizer = new Normalizer(Corpus.OPTIONS);
        List<ParseResult> results = new ArrayList<>();
        String log = String.format(HEADER, 3000) + "\nINVITE sip:100@203.0.113.5 SIP/2.0\r\n\n-- end of packet.\n" + REAL;
        for (String line : log.split("\n")) {
            normalizer.normalize(line, false, results::add);
        }
        assertThat(normalizer.holdsLines()).as("the marker came before the declared 3000 bytes").isTrue();
        assertThat(results).as("the header, the packet line and the blank line before the marker").hasSize(3);
        normalizer.flush(results::add);
        assertThat(normalizer.holdsLines()).isFalse();
        assertThat(results).as("the marker, as packet, and the line after it").hasSize(5);
        assertThat(((ParseResult.Parsed) results.get(3)).event().packetDump()).isTrue();
        ParseResult last = results.get(results.size() - 1);
        assertThat(((ParseResult.Parsed) last).event().finding().source().ip()).isEqualTo("192.0.2.10");
        assertThat(last.sequence()).isEqualTo(5);
    }

    private static List<String> sources(String log) {
        byte[] bytes = log.getBytes(StandardCharsets.UTF_8);
        List<String> sources = new ArrayList<>();
        for (ParseResult result : Corpus.normalize(bytes, 7, Corpus.OPTIONS)) {
            if (result instanceof ParseResult.Parsed parsed && parsed.event().finding() != null
                    && parsed.event().finding().source() != null) {
                sources.add(parsed.event().finding().source().ip());
            }
        }
        // The fast path agrees.
        Normalizer fast = new Normalizer(Corpus.OPTIONS);
        List<String> fastSources = new ArrayList<>();
        Corpus.split(bytes, 4096, (line, truncated) -> fast.normalizeSecurity(line, e -> fastSources.add(e.finding().source().ip())));
        fast.flushSecurity(e -> fastSources.add(e.finding().source().ip()));
        assertThat(fastSources).isEqualTo(sources);
        return sources;
    }
}
