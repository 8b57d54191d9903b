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
 * 203.0.113.1 to .254), so that with {@code maxretry 1} every line is one ban. The set is watched by
 * {@code bench/set-watch.py} (started, and answering, before the first line is written), told each address as its
 * line is written: it asks the kernel through one netlink socket about every address written and not yet seen, every
 * 200 µs while one waits, and sleeps otherwise, and says when it first found each in the set. The latency of a line
 * is that moment minus the moment just before the line's {@code write}: an upper bound, late by at most one round.
 * Both moments are {@code CLOCK_MONOTONIC} ({@link System#nanoTime()} on Linux, the watcher's
 * {@code time.monotonic_ns()}), so the written moments in the TSV also line up with other processes' own timings.
 * The watcher used to be an {@code ipset -} asked by a thread of this JVM: two processes woken per question, a core
 * loaded beside the daemon measured; a netlink question is two system calls of one process.
 *
 * <p>Run it inside the daemon's network namespace, so that {@code ipset} sees that namespace's sets:
 * <pre>
 * ip netns exec NS java -cp bench/target/benchmarks.jar org.tollgate.bench.BanLatency --log FILE --set SET \
 *     [--count 200] [--rate 10] [--warmup 10] [--settle 15] [--label NAME] [--out FILE.tsv] [--watcher set-watch.py]
 * </pre>
 * {@code --warmup} lines (from 192.0.2.100 on) go first at the same rate and are not counted. Prints one line:
 * {@code RESULT label=… lines=… banned=… median_ms=… p90_ms=… p99_ms=… max_ms=… first_ms=…}.
 */
public final class BanLatency {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT);
    private static final int MAX_COUNT = 2 * 254;

    private final Path log;
    private final String set;
    private final double rate;
    private final long settleNanos;
    private final List<String> warm = new ArrayList<>();
    private final List<String> measured = new ArrayList<>();
    private final long[] written;
    private volatile int writtenCount;
    private final Map<String, Long> firstSeen = new ConcurrentHashMap<>();
    /** Counted down once the watcher has answered its first question. */
    private final java.util.concurrent.CountDownLatch pollerReady = new java.util.concurrent.CountDownLatch(1);
    private volatile String pollFailure;
    private final Path watcher;
    private PrintStream watch;

    private BanLatency(Path log, String set, int count, double rate, int warmup, long settleNanos, Path watcher) {
        this.log = log;
        this.watcher = watcher;
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
        Path watcher = Path.of(options.getOrDefault("watcher", "bench/set-watch.py"));
        BanLatency run = new BanLatency(log, set, count, rate, warmup, settle, watcher);
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
        Process watching = new ProcessBuilder("python3", watcher.toString(), set)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        watch = new PrintStream(watching.getOutputStream(), false, StandardCharsets.US_ASCII);
        Thread poller = new Thread(() -> collect(watching), "set-watch-reader");
        poller.setDaemon(true);
        poller.start();
        // The watcher's own start (a process) must not be timed as the first ban's latency.
        if (!pollerReady.await(30, TimeUnit.SECONDS) || pollFailure != null) {
            watching.destroy();
            throw new IllegalStateException(pollFailure != null ? pollFailure : watcher + " did not answer within 30 s");
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
                watch.print(measured.get(i) + "\n");
                watch.flush();
            }
        }
        long deadline = System.nanoTime() + settleNanos;
        while (System.nanoTime() < deadline && pollFailure == null
                && !measured.stream().allMatch(firstSeen::containsKey)) {
            Thread.sleep(10);
        }
        watch.close();
        poller.join(5_000);
        watching.destroy();
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

    /** Reads the watcher's "ready" and "<ip> <monotonic ns>" lines until it ends. */
    private void collect(Process watching) {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(watching.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.equals("ready")) {
                    pollerReady.countDown();
                    continue;
                }
                int space = line.indexOf(' ');
                firstSeen.putIfAbsent(line.substring(0, space), Long.parseLong(line.substring(space + 1)));
            }
            if (watching.waitFor() != 0 && pollFailure == null) {
                pollFailure = watcher + " ended with exit code " + watching.exitValue()
                        + " (is the set there, and is this the daemon's network namespace?)";
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            pollFailure = "watching set " + set + " failed: " + e;
        } finally {
            pollerReady.countDown();
        }
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
