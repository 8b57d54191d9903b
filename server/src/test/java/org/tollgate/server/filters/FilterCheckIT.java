package org.tollgate.server.filters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.banner.jail.Failure;
import org.tollgate.normalizer.AsteriskEvent;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.normalizer.address.IpLiteral;
import org.tollgate.normalizer.prefix.Layout;
import org.tollgate.server.check.LogChecker;
import org.tollgate.server.bus.FailureFromEvent;

/**
 * The fail2ban filters of filters/ with the real fail2ban-regex: over their own samples (filters/check.sh), and over
 * the normalizer's corpus, where the normalizer says what each line is. Every corpus line the normalizer counts as a
 * failure with a trusted source must be matched with that address, and no other line may be matched, except where
 * fail2ban's engine cannot follow (filters/README.md, "What fail2ban cannot do"): lines inside a pjproject packet
 * dump, JSON records, and lines longer than Tollgate reads. Prints the recall and precision of this filter and of
 * the fail2ban package's own asterisk filter over the corpus.
 */
class FilterCheckIT {

    private static final Path FILTERS = Path.of("..", "filters");
    private static final Path CORPUS = Path.of("..", "normalizer", "src", "test", "resources", "corpus");
    private static final Path FAIL2BAN = Path.of("/etc/fail2ban");
    private static final Set<Layout> JSON_RECORDS = Set.of(Layout.JOURNALD_JSON, Layout.DOCKER_JSON,
            Layout.ASTERISK_JSON);

    @TempDir
    Path work;

    @Test
    void failToBanRegexAgreesWithEverySample() throws Exception {
        Process process = new ProcessBuilder(List.of("bash", "check.sh"))
                .directory(FILTERS.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("check.sh finished").isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).containsPattern("\\d+ passed, 0 failed");
    }

    @Test
    void theFilterBansWhatTheNormalizerTrustsOnItsCorpusAndNothingElse() throws Exception {
        assumeTrue(Files.isRegularFile(FAIL2BAN.resolve("filter.d/common.conf")),
                "fail2ban is not installed (Debian: apt-get install fail2ban; .ci/run installs it)");
        List<CorpusLine> corpus = corpus();
        Path all = work.resolve("corpus.log");
        try (var out = Files.newOutputStream(all)) {
            for (CorpusLine line : corpus) {
                out.write(line.raw);
                out.write('\n');
            }
        }
        Path conf = work.resolve("conf");
        Files.createDirectories(conf.resolve("filter.d"));
        Files.copy(FAIL2BAN.resolve("filter.d/common.conf"), conf.resolve("filter.d/common.conf"));
        for (String name : List.of("asterisk.conf", "asterisk-patched.conf")) {
            Files.copy(FILTERS.resolve(name), conf.resolve("filter.d").resolve(name));
        }
        Map<String, Set<String>> ours = fail2banRegex(conf, all, "asterisk");

        List<String> problems = new ArrayList<>();
        int limits = 0;
        for (CorpusLine line : corpus) {
            Set<String> got = ours.getOrDefault(line.text, Set.of());
            if (!line.checkable()) {
                limits++;
                continue;
            }
            if (line.expected != null && !got.equals(Set.of(line.expected))) {
                problems.add(line.where() + ": the normalizer bans " + line.expected + ", the filter "
                        + (got.isEmpty() ? "nothing" : got) + ": " + line.text);
            } else if (line.expected == null && !got.isEmpty()) {
                problems.add(line.where() + ": the normalizer bans nothing, the filter " + got + ": " + line.text);
            }
        }
        Score score = Score.of(corpus, ours);
        System.out.printf("filters/asterisk.conf over the corpus: %s%n", score);
        System.out.printf("  %d lines left out of the check (packet dumps, JSON records, over 64 KiB, control bytes, kernel lines)%n",
                limits);
        Path stock = stockFilter();
        if (stock == null) {
            System.out.println("  the fail2ban package's asterisk filter: not measured (changed or not installed)");
        } else {
            Files.copy(stock, conf.resolve("filter.d/stock-asterisk.conf"));
            System.out.printf("the fail2ban package's filter.d/asterisk.conf over the corpus: %s%n",
                    Score.of(corpus, fail2banRegex(conf, all, "stock-asterisk")));
        }
        assertThat(problems).isEmpty();
        assertThat(score.matched).as("lines matched").isGreaterThan(100);
    }

    /** One corpus line: its bytes, its text, and what the normalizer makes of it. */
    private static final class CorpusLine {
        final String file;
        final int number;
        final byte[] raw;
        final String text;
        final boolean clean;
        String expected;
        boolean packetDump;
        boolean truncated;
        boolean kernel;
        Layout layout;

        /**
         * {@code raw} as in the file, its line feed left out (carriage returns before it kept, as fail2ban gets them);
         * the text, the key to fail2ban's matches, without them.
         */
        CorpusLine(String file, int number, byte[] raw) {
            this.file = file;
            this.number = number;
            this.raw = raw;
            int length = raw.length;
            while (length > 0 && raw[length - 1] == '\r') {
                length--;
            }
            String decoded = decode(Arrays.copyOf(raw, length));
            this.clean = decoded != null && decoded.chars().noneMatch(c -> c < 0x20 && c != '\t' && c != 0x1b)
                    && raw.length <= 64 * 1024;
            this.text = decoded == null ? new String(raw, 0, length, StandardCharsets.UTF_8) : decoded;
        }

        /** A line fail2ban reads as Tollgate does: text, not in a dump, not a JSON record. */
        boolean checkable() {
            return clean && !packetDump && !truncated && !isJson(layout) && !kernel;
        }

        String where() {
            return file + ":" + number;
        }
    }

    /** Recall and precision against the normalizer's trusted failures. */
    private record Score(int failures, int found, int wrong, int matched, int readable, int foundReadable) {

        static Score of(List<CorpusLine> corpus, Map<String, Set<String>> matches) {
            int failures = 0;
            int found = 0;
            int wrong = 0;
            int matched = 0;
            int readable = 0;
            int foundReadable = 0;
            for (CorpusLine line : corpus) {
                if (line.kernel) {
                    continue;
                }
                Set<String> got = matches.getOrDefault(line.text, Set.of());
                boolean right = line.expected != null && got.equals(Set.of(line.expected));
                if (line.expected != null) {
                    failures++;
                    found += right ? 1 : 0;
                    if (!isJson(line.layout)) {
                        readable++;
                        foundReadable += right ? 1 : 0;
                    }
                }
                if (!got.isEmpty()) {
                    matched++;
                    wrong += right ? 0 : 1;
                }
            }
            return new Score(failures, found, wrong, matched, readable, foundReadable);
        }

        @Override
        public String toString() {
            return String.format("recall %.1f%% (%d of %d trusted failures with the same address; %.1f%%, %d of %d,"
                    + " without the JSON records), precision %.1f%% (%d of %d matches right)",
                    100.0 * found / failures, found, failures, 100.0 * foundReadable / readable, foundReadable,
                    readable, 100.0 * (matched - wrong) / Math.max(1, matched), matched - wrong, matched);
        }
    }

    /** Every line of every corpus file with the normalizer's verdict, read as {@code tollgate check} reads a file. */
    private static List<CorpusLine> corpus() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> logs = Files.newDirectoryStream(CORPUS, "*.log")) {
            logs.forEach(files::add);
        }
        files.sort(null);
        List<CorpusLine> lines = new ArrayList<>();
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            List<CorpusLine> ofFile = new ArrayList<>();
            int start = 0;
            for (int i = 0; i <= bytes.length; i++) {
                if (i == bytes.length ? start < bytes.length : bytes[i] == '\n') {
                    byte[] raw = Arrays.copyOfRange(bytes, start, i);
                    ofFile.add(new CorpusLine(file.getFileName().toString(), ofFile.size() + 1, raw));
                    start = i + 1;
                }
            }
            LogChecker checker = new LogChecker(LogChecker.options(ZoneOffset.UTC, false));
            checker.check(file.toString(), null, result -> {
                CorpusLine line = ofFile.get((int) result.sequence() - 1);
                if (result instanceof ParseResult.Parsed parsed) {
                    AsteriskEvent event = parsed.event();
                    line.layout = event.prefix().layout();
                    line.packetDump = event.packetDump();
                    line.truncated = event.truncated();
                    // The shield's drop lines come from the kernel, not Asterisk: no Asterisk filter is meant for them.
                    line.kernel = "kernel".equals(event.prefix().program());
                    Failure failure = FailureFromEvent.of(event);
                    if (failure != null && failure.sourceTrusted()) {
                        line.expected = failure.sourceIp();
                    }
                }
            }, quiet, false);
            lines.addAll(ofFile);
        }
        return lines;
    }

    /** The addresses fail2ban-regex takes from each line it matches, by the line's text. */
    private static Map<String, Set<String>> fail2banRegex(Path conf, Path log, String filter) throws Exception {
        Process process = new ProcessBuilder(List.of("fail2ban-regex", "-c", conf.toString(), "--timezone=UTC",
                "-o", "<ip>\t<msg>", log.toString(), filter))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("fail2ban-regex finished").isTrue();
        assertThat(process.exitValue()).as("fail2ban-regex exit code").isZero();
        Map<String, Set<String>> matches = new HashMap<>();
        for (String row : new String(output, StandardCharsets.UTF_8).split("\n")) {
            int tab = row.indexOf('\t');
            if (tab > 0) {
                String ip = IpLiteral.canonical(row.substring(0, tab));
                String text = row.substring(tab + 1);
                while (text.endsWith("\r")) {
                    text = text.substring(0, text.length() - 1);
                }
                matches.computeIfAbsent(text, t -> new LinkedHashSet<>()).add(ip == null ? row.substring(0, tab) : ip);
            }
        }
        return matches;
    }

    /** The fail2ban package's own filter.d/asterisk.conf, when it is the file the package shipped. */
    private static Path stockFilter() throws Exception {
        Path filter = FAIL2BAN.resolve("filter.d/asterisk.conf");
        if (!Files.isRegularFile(filter)) {
            return null;
        }
        Process process = new ProcessBuilder(List.of("dpkg-query", "-W", "-f=${Conffiles}", "fail2ban"))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String conffiles = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(1, TimeUnit.MINUTES) || process.exitValue() != 0) {
            return null;
        }
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(filter)));
        Map<String, String> sums = new TreeMap<>();
        for (String line : conffiles.split("\n")) {
            String[] parts = line.strip().split("\\s+");
            if (parts.length >= 2) {
                sums.put(parts[0], parts[1]);
            }
        }
        return md5.equals(sums.get(filter.toString())) ? filter : null;
    }

    private static boolean isJson(Layout layout) {
        return layout != null && JSON_RECORDS.contains(layout);
    }

    private static String decode(byte[] raw) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
