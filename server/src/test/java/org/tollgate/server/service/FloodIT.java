package org.tollgate.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.normalizer.address.IpLiteral;
import org.tollgate.server.TollgateService;
import org.tollgate.server.config.TollgateConfig;
import org.tollgate.testkit.TollgateYaml;
import org.tollgate.testkit.Waits;

/**
 * Floods, written to the log at a steady rate while the service reads it. Memory and bans are asserted; speed is
 * not (the figures are printed).
 *
 * <ul>
 *   <li>Lines: about 100,000 a second for 15 seconds (90% noise, 10% failures from 2,000 addresses). The heap stays
 *   bounded, every line is read, and an attacker that starts in the middle is banned.</li>
 *   <li>New addresses: 16,667 a second for 10 seconds, each failure from an address not seen before (a million in a
 *   minute with {@code -Dflood.seconds=60}), against a jail that tracks {@value #MAX_TRACKED}. The jail never tracks
 *   more, forgets the least recently seen first, the heap after a collection stays small, and an attacker in the
 *   middle is banned.</li>
 * </ul>
 *
 * <p>The full minute: {@code ./mvnw -B -ntp -pl server -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=FloodIT -Dflood.seconds=60}.
 */
class FloodIT {

    private static final Integer SECONDS = Integer.getInteger("flood.seconds");
    private static final int LINES_PER_SECOND = 100_000;
    /** A million in a minute. */
    private static final int NEW_ADDRESSES_PER_SECOND = 16_667;
    private static final int MAX_TRACKED = 100_000;
    private static final int MAXRETRY = 3;
    private static final String ATTACKER = "192.0.2.77";

    @TempDir
    Path dir;

    private static String stamp() {
        return FailureLog.stamp();
    }

    private static String failure(String ip, String callId) {
        return FailureLog.line(ip, callId);
    }

    /** Line {@code n} of the first flood: 90% noise, 10% failures from 2,000 addresses (50 each in 15 s: banned). */
    private static String noiseOrFailure(int n) {
        if (n % 10 != 0) {
            return "[" + stamp() + "] VERBOSE[2300][C-0000001c] pbx.c: Executing [100@from-internal:1] "
                    + "Dial(\"PJSIP/101-00000001\", \"PJSIP/102,30\") in new stack\n";
        }
        int address = n / 10 % 2000;
        return failure(address < 256 ? "198.51.100." + address : "2001:db8:f::" + Integer.toHexString(address), "f" + n);
    }

    /** Heap in use now. */
    private static long heapUsed() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** Sleeps until {@code second + 1} seconds after {@code startNanos}: the writer keeps its rate, never more. */
    private static void pace(long startNanos, int second) throws InterruptedException {
        long behind = TimeUnit.SECONDS.toNanos(second + 1) - (System.nanoTime() - startNanos);
        if (behind > 0) {
            TimeUnit.NANOSECONDS.sleep(behind);
        }
    }

    /**
     * Writes {@code perSecond} lines a second for {@code seconds} seconds, the {@code n}th being {@code line.apply(n)},
     * and the lines of {@code middle} halfway; returns how many lines it wrote. Keeps the heap's peak in
     * {@code maxUsed[0]}.
     */
    private static long flood(Path log, int seconds, int perSecond, IntFunction<String> line, List<String> middle,
                              long[] maxUsed) throws IOException, InterruptedException {
        long written = 0;
        try (BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
            long start = System.nanoTime();
            int n = 0;
            for (int second = 0; second < seconds; second++) {
                for (int i = 0; i < perSecond; i++, n++) {
                    out.write(line.apply(n));
                    written++;
                }
                if (second == seconds / 2) {
                    for (String text : middle) {
                        out.write(text);
                        written++;
                    }
                }
                out.flush();
                maxUsed[0] = Math.max(maxUsed[0], heapUsed());
                pace(start, second);
            }
        }
        return written;
    }

    /** Waits until the service read {@code written} lines and its jails counted every failure. */
    private static void awaitRead(TollgateService service, long written, long[] maxUsed) throws InterruptedException {
        Waits.until(() -> {
            maxUsed[0] = Math.max(maxUsed[0], heapUsed());
            return service.linesRead() >= written;
        }, Duration.ofMinutes(5), () -> "read " + service.linesRead() + " of " + written + " lines");
        service.awaitDrained(Waits.PATIENCE.toMillis());
    }

    @Test
    void aFloodKeepsMemoryBoundedAndBansFlowing() throws Exception {
        int seconds = SECONDS == null ? 15 : SECONDS;
        Path log = dir.resolve("full");
        Files.writeString(log, "");
        TollgateConfig file = TollgateConfig.parse(
                InProcessService.followingLog(log, dir.resolve("state.db"), dir.resolve("events.jsonl"), 5),
                "tollgate.yaml");
        TollgateService service = InProcessService.start(file);
        List<JsonNode> bans = InProcessService.bansPublished(service);
        long[] maxUsed = {0};
        // A new attacker in the middle of the flood.
        List<String> middle = List.of(0, 1, 2, 3, 4).stream().map(i -> failure(ATTACKER, "mid" + i)).toList();
        long written = flood(log, seconds, LINES_PER_SECOND, FloodIT::noiseOrFailure, middle, maxUsed);
        awaitRead(service, written, maxUsed);
        try {
            assertThat(service.linesRead()).as("lines read").isEqualTo(written);
            List<String> banned = bans.stream().map(ban -> ban.at("/source/ip").asText()).toList();
            assertThat(banned).as("the attacker who started mid-flood is banned").contains(ATTACKER);
            assertThat(banned.size()).as("the flood's attackers are banned").isGreaterThanOrEqualTo(2000);
            System.gc();
            long settled = heapUsed();
            System.out.printf("flood: %d lines in %d s, %d bans, heap peak %d MiB, after GC %d MiB%n", written,
                    seconds, banned.size(), maxUsed[0] >> 20, settled >> 20);
            // Bounded: nothing in the pipeline grows with the number of lines read.
            assertThat(settled).as("heap after the flood").isLessThan(256L << 20);
        } finally {
            service.stop();
        }
    }

    @Test
    void newAddressesAreForgottenOldestFirstWithinTheBoundAndAnAttackerIsStillBanned() throws Exception {
        int seconds = SECONDS == null ? 10 : SECONDS;
        int total = seconds * NEW_ADDRESSES_PER_SECOND;
        Path log = dir.resolve("full");
        Files.writeString(log, "");
        int port = InProcessService.freeLoopbackPort();
        TollgateConfig file = TollgateConfig.parse(TollgateYaml.following(log).state(dir.resolve("state.db"))
                .jsonl(dir.resolve("events.jsonl"), null).api(port)
                .jail("sip-auth", "maxretry: " + MAXRETRY, "findtime: 1h", "bantime: 1h", "maxtracked: " + MAX_TRACKED,
                        "ignoreself: false", "actions:", "  - type: log").text(),
                "tollgate.yaml");
        System.gc();
        long before = heapUsed();
        TollgateService service = InProcessService.start(file, true);
        List<JsonNode> bans = InProcessService.bansPublished(service);
        long[] maxUsed = {0};
        try {
            List<String> middle = List.of(0, 1, 2).subList(0, MAXRETRY).stream()
                    .map(i -> failure(ATTACKER, "mid" + i)).toList();
            long written = flood(log, seconds, NEW_ADDRESSES_PER_SECOND, n -> failure(flooder(n), "n" + n), middle,
                    maxUsed);
            awaitRead(service, written, maxUsed);
            long afterFlood = written;
            System.gc();
            long settled = heapUsed();
            URI metrics = URI.create("http://127.0.0.1:" + port + "/metrics");
            long tracked = metric(metrics, "tollgate_jail_tracked_addresses");
            long evictions = metric(metrics, "tollgate_jail_evictions_total");

            // Each flooder failed once. Two more failures from one still tracked make three, a ban; from one
            // forgotten, two: none. The newest are written first, so the others' return evicts none of them.
            int newestOut = total - MAX_TRACKED - 1_000;
            int oldestIn = total - MAX_TRACKED + 1_000;
            try (BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
                for (int again : new int[] {total - 1, oldestIn, 0, newestOut}) {
                    for (int i = 0; i < MAXRETRY - 1; i++) {
                        out.write(failure(flooder(again), "again" + again + "-" + i));
                        written++;
                    }
                }
            }
            awaitRead(service, written, maxUsed);

            // Drained means the jails made their bans; their messages reach this test's consumer a moment later.
            Waits.eventually(() -> assertThat(bans.stream().map(ban -> ban.at("/source/ip").asText()))
                    .as("the newest are still tracked").contains(flooder(total - 1), flooder(oldestIn)));
            List<String> banned = bans.stream().map(ban -> ban.at("/source/ip").asText()).toList();
            System.out.printf("new-address flood: %d addresses in %d s (maxtracked %d): %d tracked, %d evicted; heap "
                            + "before %d MiB, peak %d MiB, after the flood and a GC %d MiB; process peak RSS (VmHWM, "
                            + "this test JVM) %d MiB; %d lines in all%n", total, seconds, MAX_TRACKED, tracked,
                    evictions, before >> 20, maxUsed[0] >> 20, settled >> 20, peakRssKib() >> 10, afterFlood);
            assertThat(tracked).as("addresses tracked").isEqualTo(MAX_TRACKED);
            assertThat(evictions).as("addresses forgotten").isGreaterThanOrEqualTo(total - MAX_TRACKED);
            assertThat(banned).as("the attacker in the middle of the flood is banned").contains(ATTACKER);
            assertThat(banned).as("the newest are still tracked")
                    .contains(flooder(total - 1), flooder(oldestIn));
            assertThat(banned).as("the oldest were forgotten first")
                    .doesNotContain(flooder(0), flooder(newestOut));
            assertThat(settled - before).as("heap the flood left, after a collection")
                    .isLessThan(256L << 20);
        } finally {
            service.stop();
        }
    }

    /** The {@code n}th flooding address, in 2001:db8::/32, canonical (as a ban names it). */
    private static String flooder(int n) {
        return IpLiteral.canonical("2001:db8:1:" + Integer.toHexString(n >>> 16) + ":" + Integer.toHexString(n & 0xffff)
                + "::1");
    }

    /** The one sample of {@code name} on the metrics page. */
    private static long metric(URI metrics, String name) throws IOException, InterruptedException {
        String page = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build()
                .send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher sample = Pattern.compile("(?m)^" + name + "\\{[^}]*} (\\d+)").matcher(page);
        assertThat(sample.find()).as("%s on the metrics page", name).isTrue();
        return Long.parseLong(sample.group(1));
    }

    /** The peak resident set of this JVM, in KiB, from /proc/self/status. */
    private static long peakRssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }
}
