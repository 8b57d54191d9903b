package org.tollgate.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.tollgate.banner.jail.Failure;
import org.tollgate.banner.jail.JailSettings;
import org.tollgate.banner.jail.JailStats;
import org.tollgate.banner.jail.Jails;

/**
 * The heap a jail needs to track many addresses: one jail with the shipped defaults (maxretry 5, findtime 10 minutes,
 * counting attempts, {@code maxtracked} 1,000,000) is fed one failed attempt from each of N distinct addresses, none
 * banned, so every address is tracked with its window and its attempt id; then the heap in use after full
 * collections, minus the heap in use before, over N.
 *
 * <pre>
 * java -Xmx256m -cp bench/target/benchmarks.jar org.tollgate.bench.TrackedAddressMemory [addresses]
 * </pre>
 *
 * The addresses are IPv6 in 2001:db8::/32 ({@code 2001:db8:1:2a3f::7}, 17-19 characters): longer strings than most
 * IPv4 attackers' (7-15), so the figure is on the high side. Run with {@code -Xmx256m}: an OutOfMemoryError is the
 * answer "does not fit". Prints one {@code RESULT} line.
 */
public final class TrackedAddressMemory {

    private TrackedAddressMemory() {
    }

    public static void main(String[] args) {
        int addresses = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Instant start = Instant.parse("2026-01-18T17:00:00Z");
        InstantSource clock = InstantSource.fixed(start);
        JailSettings settings = JailSettings.builder("sip-auth").maxretry(5).findtime(Duration.ofMinutes(10))
                .bantime(Duration.ofHours(1)).ignoreself(false).build();
        long before = usedAfterGc();
        Jails jails = Jails.of(List.of(settings), clock);
        for (int i = 0; i < addresses; i++) {
            String ip = "2001:db8:" + Integer.toHexString(1 + (i >>> 16)) + ':' + Integer.toHexString(i & 0xffff) + "::7";
            Instant at = start.plusMillis(i % 600_000);
            if (!jails.offer(new Failure(at, ip, "auth-failed", true, "100", null, "pjsip:" + i + "-call")).isEmpty()) {
                throw new IllegalStateException("a single failure banned " + ip);
            }
        }
        long after = usedAfterGc();
        JailStats stats = jails.stats().get(0);
        long used = after - before;
        System.out.printf("RESULT addresses=%d tracked=%d evictions=%d heap_used_mb=%.1f bytes_per_address=%d max_heap_mb=%d%n",
                addresses, stats.tracked(), stats.evictions(), used / 1048576.0, used / Math.max(1, stats.tracked()),
                Runtime.getRuntime().maxMemory() / 1048576);
        if (jails.stats().isEmpty()) {
            throw new AssertionError("keeps the jails reachable until here");
        }
    }

    private static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 4; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
