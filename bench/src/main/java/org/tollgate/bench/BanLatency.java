package org.tollgate.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures how long a banning daemon takes from an Asterisk failure line being written to the attacker's address
 * being in its ipset: the latency driver of {@code bench/side-by-side.sh}, the same for Tollgate and fail2ban.
 *
 * <p>The main thread appends PJSIP {@code Request 'REGISTER' from … failed for '<ip>:5060' (callid: …) - Failed to
 * authenticate} lines at a steady rate, one {@code write} each, each from a new address (198.51.100.1 to .254, then
 * 203.0.113.1 to .254), so that with {@code maxretry 1} every line is one ban. A poller thread keeps one
 * {@code ipset -} running (started, and answering, before the first line is written) (interactive mode: one command per line, no process started per question) and asks it
 * {@code test <set> <ip>} for every address written and not yet seen, round after round with
 * {@value #POLL_GAP_MICROS} µs between rounds. The latency of a line is the moment the first "is in set" answer
 * arrived minus the moment just before the line's {@code write}: an upper bound, late by at most one round (round
 * times are printed with the figures). Both moments come from {@link System#nanoTime()}, {@code CLOCK_MONOTONIC} on
 * Linux, so the written moments in the TSV also line up with other processes' own timings.
 *
 * <p>Run it inside the daemon's network namespace, so that {@code ipset} sees that namespace's sets:
 * <pre>
 * ip netns exec NS java -cp bench/target/benchmarks.jar org.tollgate.bench.BanLatency --log FILE --set SET \
 *     [--count 200] [--rate 10] [--warmup 10] [--settle 15] [--label NAME] [--out FILE.tsv]
 * </pre>
 * {@code --warmup} lines (from 192.0.2.100 on) go first at the same rate and are not counted. Prints one line:
 * {@code RESULT label=… lines=… banned=… median_ms=… p90_ms=… p99_ms=… max_ms=… first_ms=… round_median_ms=… round_p99_ms=…}.
 */
public final class BanLatency {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT);
    private static final int MAX_COUNT = 2 * 254;
    private static final long POLL_GAP_MICROS = 200;
    /** Questions the poller asks about an address never written before the first line. */
    private static final int WARM_QUESTIONS = 500;

    private final Path log;
    private final String set;
    private final double rate;
    private final long settleNanos;
    private final List<String> warm = new ArrayList<>();
    private final List<String> measured = new ArrayList<>();
    private final long[] written;
    private volatile int writtenCount;
    private final Map<String, Long> firstSeen = new ConcurrentHashMap<>();
    private final List<Long> roundNanos = new ArrayList<>();
    private volatile boolean polling = true;
    /** Counted down once the poller's {@code ipset -} has answered its first question. */
    private final java.util.concurrent.CountDownLatch pollerReady = new java.util.concurrent.CountDownLatch(1);
    private volatile String pollFailure;

    private BanLatency(Path log, String set, int count, double rate, int warmup, long settleNanos) {
        this.log = log;
        this.set = set;
        this.rate = rate;
        this.settleNanos = settleNanos;
        for (int i = 0; i < warmup; i++) {
            warm.add("192.0.2." + (100 + i));
        }
        for (int i = 0; i < count; i++) {
            measured.add(address(i));
        }
        this.written = new long[count];
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        Path log = Path.of(require(options, "log"));
        String set = require(options, "set");
        int count = Integer.parseInt(options.getOrDefault("count", "200"));
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("--count: expected 1 to " + MAX_COUNT + " (one new address per line), was "
                    + count);
        }
        double rate = Double.parseDouble(options.getOrDefault("rate", "10"));
        if (!(rate > 0 && rate <= 1000)) {
            throw new IllegalArgumentException("--rate: expected lines per second, 0 < rate <= 1000, was " + rate);
        }
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "10"));
        if (warmup < 0 || warmup > 100) {
            throw new IllegalArgumentException("--warmup: expected 0 to 100, was " + warmup);
        }
        long settle = TimeUnit.SECONDS.toNanos(Long.parseLong(options.getOrDefault("settle", "15")));
        BanLatency run = new BanLatency(log, set, count, rate, warmup, settle);
        long[] latencies = run.measure();
        if (options.containsKey("out")) {
            run.writeTsv(Path.of(options.get("out")), latencies);
        }
        System.out.println(run.summary(options.getOrDefault("label", set), latencies));
    }

    /** Writes the lines, waits for every address or the settle time; returns nanoseconds per line, -1 when never seen. */
    private long[] measure() throws Exception {
        String present = listed();
        for (String ip : measured) {
            if (present.contains(" " + ip + " ") || present.contains(" " + ip + "\n")) {
                throw new IllegalStateException(ip + " is in set " + set + " before the run: start from an empty set");
            }
        }
        Thread poller = new Thread(this::poll, "set-poller");
        poller.setDaemon(true);
        poller.start();
        // The poller's own start (a process, and this JVM's first) must not be timed as the first ban's latency.
        if (!pollerReady.await(30, TimeUnit.SECONDS) || pollFailure != null) {
            throw new IllegalStateException(pollFailure != null ? pollFailure : "ipset - did not answer within 30 s");
        }

        long period = (long) (1e9 / rate);
        try (FileChannel out = FileChannel.open(log, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            long start = System.nanoTime() + period;
            int n = 0;
            for (String ip : warm) {
                waitUntil(start + n++ * period);
                append(out, ip, "warm-" + n);
            }
            for (int i = 0; i < measured.size(); i++) {
                waitUntil(start + n++ * period);
                written[i] = append(out, measured.get(i), "lat-" + (i + 1));
                writtenCount = i + 1;
            }
        }
        long deadline = System.nanoTime() + settleNanos;
        while (System.nanoTime() < deadline && pollFailure == null
                && !measured.stream().allMatch(firstSeen::containsKey)) {
            Thread.sleep(10);
        }
        polling = false;
        poller.join(5_000);
        if (pollFailure != null) {
            throw new IllegalStateException(pollFailure);
        }
        long[] latencies = new long[measured.size()];
        for (int i = 0; i < latencies.length; i++) {
            Long seen = firstSeen.get(measured.get(i));
            latencies[i] = seen == null ? -1 : seen - written[i];
        }
        return latencies;
    }

    /** One line, one {@code write}; returns the moment just before it. */
    private static long append(FileChannel out, String ip, String callId) throws IOException {
        String line = "[" + STAMP.format(LocalDateTime.now()) + "] NOTICE[2290] res_pjsip/pjsip_distributor.c: "
                + "Request 'REGISTER' from '<sip:100@203.0.113.5>' failed for '" + ip + ":5060' (callid: " + callId
                + ") - Failed to authenticate\n";
        ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII));
        long before = System.nanoTime();
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
        return before;
    }

    /** Asks {@code ipset -} about every address written and not yet seen, round after round, until told to stop. */
    private void poll() {
        Process ipset;
        try {
            ipset = new ProcessBuilder("ipset", "-").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            pollFailure = "cannot start ipset: " + e.getMessage();
            pollerReady.countDown();
            return;
        }
        // test answers on stderr, unbuffered, one line each: "<ip> is in set <set>." or "<ip> is NOT in set <set>."
        try (PrintStream ask = new PrintStream(ipset.getOutputStream(), false, StandardCharsets.US_ASCII);
             BufferedReader answers = new BufferedReader(
                     new InputStreamReader(ipset.getErrorStream(), StandardCharsets.US_ASCII))) {
            // Questions before the first line is written, through the same code as the rounds': the process is up and
            // answering, and this JVM's first run of that code is not timed as the first ban's latency.
            for (int i = 0; i < WARM_QUESTIONS; i++) {
                inSet(ask, answers, "192.0.2.255");
            }
            pollerReady.countDown();
            while (polling) {
                long round = System.nanoTime();
                int asked = 0;
                for (int i = 0, n = writtenCount; i < n; i++) {
                    String ip = measured.get(i);
                    if (firstSeen.containsKey(ip)) {
                        continue;
                    }
                    boolean in = inSet(ask, answers, ip);
                    long answered = System.nanoTime();
                    asked++;
                    if (in) {
                        firstSeen.putIfAbsent(ip, answered);
                    }
                }
                if (asked > 0) {
                    synchronized (roundNanos) {
                        roundNanos.add(System.nanoTime() - round);
                    }
                }
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(POLL_GAP_MICROS));
            }
        } catch (IOException e) {
            pollFailure = "polling set " + set + " failed: " + e.getMessage();
        } finally {
            pollerReady.countDown();
            ipset.destroy();
        }
    }

    /** One {@code test <set> <ip>} through the poller's {@code ipset -}. */
    private boolean inSet(PrintStream ask, BufferedReader answers, String ip) throws IOException {
        ask.print("test " + set + " " + ip + "\n");
        ask.flush();
        String answer = answers.readLine();
        if (answer == null) {
            throw new IOException("ipset - exited");
        }
        if (answer.contains(" is in set ")) {
            return true;
        }
        if (!answer.contains(" is NOT in set ")) {
            throw new IOException("ipset: " + answer + " (is the set there, and is this the daemon's network namespace?)");
        }
        return false;
    }

    /** {@code ipset save <set>}: fails when the set is not there. */
    private String listed() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("ipset", "save", set).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("ipset save " + set + " failed: " + output.strip()
                    + " (is the daemon running, and is this its network namespace?)");
        }
        return output;
    }

    private String summary(String label, long[] latencies) {
        long[] seen = Arrays.stream(latencies).filter(l -> l >= 0).sorted().toArray();
        long[] rounds;
        synchronized (roundNanos) {
            rounds = roundNanos.stream().mapToLong(Long::longValue).sorted().toArray();
        }
        StringBuilder line = new StringBuilder("RESULT label=").append(label)
                .append(" lines=").append(latencies.length).append(" banned=").append(seen.length);
        if (seen.length > 0) {
            line.append(" median_ms=").append(ms(percentile(seen, 50)))
                    .append(" p90_ms=").append(ms(percentile(seen, 90)))
                    .append(" p99_ms=").append(ms(percentile(seen, 99)))
                    .append(" max_ms=").append(ms(seen[seen.length - 1]));
        }
        if (latencies.length > 0 && latencies[0] >= 0) {
            line.append(" first_ms=").append(ms(latencies[0])); // the first measured line: with --warmup 0, the first ban
        }
        if (rounds.length > 0) {
            line.append(" round_median_ms=").append(ms(percentile(rounds, 50)))
                    .append(" round_p99_ms=").append(ms(percentile(rounds, 99)));
        }
        return line.toString();
    }

    private void writeTsv(Path file, long[] latencies) throws IOException {
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
            out.println("line\tsource_ip\tlatency_ms\twritten_nanotime");
            for (int i = 0; i < latencies.length; i++) {
                out.println((i + 1) + "\t" + measured.get(i) + "\t" + (latencies[i] < 0 ? "-" : ms(latencies[i]))
                        + "\t" + written[i]);
            }
        }
    }

    /** Nearest rank. */
    static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
    }

    /** The i-th measured address: 198.51.100.1 to .254, then 203.0.113.1 to .254. */
    static String address(int i) {
        return i < 254 ? "198.51.100." + (i + 1) : "203.0.113." + (i - 253);
    }

    private static void waitUntil(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("expected --name value pairs, was '" + args[i] + "'");
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    private static String require(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }
}
