package org.tollgate.server.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading for security events on two threads ({@link ScanAhead}) gives what reading on one gives, byte for byte and
 * count for count: over every corpus log (packet dumps, syslog year changes, bad input, every layout) run together
 * several times, so lines cross the reads' boundaries, with lines cut at the length limit among them.
 */
class ScanAheadTest {

    /** Events as JSON and every count of the summary, from one checker. */
    private record Run(String events, String summary) {
    }

    @Test
    void twoThreadsGiveWhatOneGives(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("all.log");
        Files.write(log, input());
        assertThat(Files.size(log)).isGreaterThan(4L * LogChecker.READ_BYTES);

        Run one = run(log.toString(), null, false);
        Run two = run(log.toString(), null, true);

        assertThat(one.events()).contains("\"auth-failed\"");
        assertThat(one.summary()).contains("packetDumpLines=").doesNotContain("packetDumpLines=0,")
                .doesNotContain("truncatedLines=0,");
        assertThat(two).isEqualTo(one);
    }

    /** From a pipe, read in the small pieces a pipe gives. */
    @Test
    void fromStandardInputInSmallReadsToo() throws IOException {
        byte[] input = input();
        Run one = run("-", new Trickle(input), false);
        Run two = run("-", new Trickle(input), true);
        assertThat(two).isEqualTo(one);
    }

    private static Run run(String name, InputStream stdin, boolean scanAhead) throws IOException {
        LogChecker checker = new LogChecker(LogChecker.options(ZoneOffset.UTC, false), true, false, scanAhead);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonLines json = new JsonLines(out, false);
        checker.check(name, stdin, json, json, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                false);
        json.flush();
        CheckSummary s = checker.summary();
        String summary = "lines=" + s.lines() + ", events=" + s.events() + ", security=" + s.securityEvents()
                + ", unparsed=" + s.unparsed() + ", byAction=" + s.byAction() + ", rejected=" + s.rejected()
                + ", packetDumpLines=" + s.packetDumpLines() + ", truncatedLines=" + s.truncatedLines()
                + ", trusted=" + s.trustedSources() + ", untrusted=" + s.untrustedSources()
                + ", scanSignals=" + s.scanSignals() + ", addresses=" + s.addresses() + ", via=" + s.viaSources()
                + ", patched=" + s.patchedLines() + ", headerOnly=" + s.headerOnlyAuthFailures()
                + ", unreadable=" + s.unreadableSources() + ", ambiguous=" + s.ambiguousSources();
        return new Run(out.toString(StandardCharsets.UTF_8), summary);
    }

    /** The corpus logs and the samples, three times over, with lines over the length limit between the rounds. */
    private static byte[] input() throws IOException {
        List<Path> logs;
        try (Stream<Path> files = Files.list(Path.of("../normalizer/src/test/resources/corpus"))) {
            logs = files.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        }
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        for (int round = 0; round < 3; round++) {
            for (Path log : logs) {
                input.writeBytes(Files.readAllBytes(log));
            }
            input.writeBytes(Files.readAllBytes(Path.of("src/test/resources/sample-full.log")));
            input.writeBytes(Files.readAllBytes(Path.of("../samples/asterisk-full.log")));
            // A packet's lines in the shape of noise lines: inside a dump, they are read as the dump's.
            input.writeBytes(("[2026-01-18 17:39:52] ERROR[2288] pjproject: \t       sip_transport.c Error processing 203"
                    + " bytes packet from UDP 192.0.2.90:5060 : PJSIP syntax error exception when parsing 'Via' header on"
                    + " line 2 col 1:\n"
                    + "OPTIONS sip:100@203.0.113.5 SIP/2.0\n"
                    + "[2026-01-18 17:39:52] VERBOSE[2290] pbx.c: packet text in the shape of a noise line\n"
                    + "Jan 18 17:39:52 pbx1 asterisk[2281]: VERBOSE[2290]: pbx.c:1 in f: packet text, syslog's shape\n"
                    + "-- end of packet.\n").getBytes(StandardCharsets.UTF_8));
            String padding = "x".repeat(100_000 * (round + 1));
            input.writeBytes(("[2026-01-18 17:39:50] NOTICE[2290] chan_sip.c: Registration from '<sip:100@203.0.113.5>'"
                    + " failed for '192.0.2." + (10 + round) + ":5060' - Wrong password " + padding + "\n"
                    + "[2026-01-18 17:39:50] VERBOSE[2290] pbx.c: noise " + padding + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        return input.toByteArray();
    }

    /** A pipe's reads: a few kilobytes at a time, of varying size. */
    private static final class Trickle extends ByteArrayInputStream {
        private int reads;

        Trickle(byte[] bytes) {
            super(bytes);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, 1 + (reads++ * 7919) % 9000));
        }
    }
}
