package org.tollgate.banner.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.tollgate.banner.jail.Ban;

/**
 * 10,000 bans from documentation space only: all of 198.51.100.0/24 and 203.0.113.0/24 (508 IPv4) and the rest from
 * 2001:db8:1::/48, and one action's way through them, each step timed and asserted to take all of them. Timings are
 * printed for information; no test asserts on them.
 */
final class BulkBans {

    static final int COUNT = 10_000;

    private final FirewallAction action;
    private final List<Ban> bans = tenThousand();
    private final String label;

    /** The 10,000 bans through {@code action}, already set up; timings are printed under {@code type}. */
    BulkBans(String type, FirewallAction action) {
        this.action = action;
        this.label = type + ": %s " + bans.size() + " (" + ipv4(bans) + " IPv4)";
    }

    /** Bans all in one call, finds none missing, tears the action down (all missing), then sets it up and bans all. */
    void banLoseAndRestore() throws Exception {
        assertThat(time("ban", () -> action.ban(bans)).applied()).hasSize(COUNT);
        assertThat(time("missing() over", () -> action.missing(bans))).isEmpty();
        action.tearDown();
        assertThat(action.missing(bans)).hasSize(COUNT);
        BanOutcome restored = time("restore (setUp + ban) of", () -> {
            action.setUp();
            return action.ban(bans);
        });
        assertThat(restored.applied()).hasSize(COUNT);
    }

    /** Bans all once more; {@code step} says why, such as {@code ban again (refresh timeouts)}. */
    void banAgain(String step) throws Exception {
        assertThat(time(step, () -> action.ban(bans)).applied()).hasSize(COUNT);
    }

    void unban() throws Exception {
        assertThat(time("unban", () -> action.unban(bans)).applied()).hasSize(COUNT);
    }

    private <T> T time(String step, Step<T> run) throws Exception {
        return timed(String.format(label, step), run);
    }

    static List<Ban> tenThousand() {
        Instant now = Instant.now();
        List<Ban> bans = new ArrayList<>(COUNT);
        for (String network : List.of("198.51.100.", "203.0.113.")) {
            for (int host = 1; host <= 254; host++) {
                bans.add(Ban.lasting(network + host, "bulk", now, Duration.ofHours(1), 5, 1));
            }
        }
        for (int i = 1; bans.size() < COUNT; i++) {
            String ip = "2001:db8:1::" + Integer.toHexString(i >>> 16) + ":" + Integer.toHexString(i & 0xffff);
            bans.add(Ban.lasting(ip, "bulk", now, Duration.ofHours(1), 5, 1));
        }
        return bans;
    }

    static long ipv4(List<Ban> bans) {
        return bans.stream().filter(ban -> ban.ip().indexOf(':') < 0).count();
    }

    /** Runs {@code step}, prints how long it took under {@code label}, and returns its result. */
    static <T> T timed(String label, Step<T> step) throws Exception {
        long started = System.nanoTime();
        T result = step.run();
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("[bulk-timing] %-60s %6d ms%n", label, millis);
        return result;
    }

    interface Step<T> {
        T run() throws Exception;
    }
}
