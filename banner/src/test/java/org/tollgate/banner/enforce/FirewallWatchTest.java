package org.tollgate.banner.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.tollgate.banner.action.ActionException;
import org.tollgate.banner.action.CommandRunner;
import org.tollgate.banner.action.FirewallMonitor;
import org.tollgate.testkit.Waits;

/** Monitors that are ordinary short or long commands: the watch reads them, restarts them, and stops them. */
class FirewallWatchTest {

    private static final CommandRunner RUNNER = new CommandRunner();

    private final List<String> lost = new CopyOnWriteArrayList<>();

    private static FirewallMonitor monitor(List<String> command, String match, String reason) {
        return monitor(RUNNER, command, match, reason);
    }

    private static FirewallMonitor monitor(CommandRunner runner, List<String> command, String match, String reason) {
        return new FirewallMonitor(runner, command, () -> line -> line.equals(match) ? Optional.of(reason) : Optional.empty());
    }

    @Test
    void aMonitorThatExitsIsStartedAgainAndEveryParserOfItsCommandReadsEachLine() throws Exception {
        List<String> printsTwoLines = List.of("printf", "%s\\n%s\\n", "other", "gone");
        try (FirewallWatch watch = new FirewallWatch(List.of(monitor(printsTwoLines, "gone", "first lost"),
                monitor(printsTwoLines, "gone", "second lost"), monitor(printsTwoLines, "other", "first lost")),
                lost::add, Duration.ofMillis(20), Duration.ofMillis(40))) {
            watch.start();

            Waits.until("three runs", () -> lost.size() >= 6);
        }
        // One line seen by two parsers with the same reason reports it once.
        assertThat(lost.subList(0, 4)).containsExactly("first lost", "first lost", "second lost", "first lost");
    }

    @Test
    void monitorsOfOneCommandShareAProcessAndCloseStopsIt() throws Exception {
        FirewallWatch watch = new FirewallWatch(List.of(monitor(List.of("sleep", "60"), "x", "a"),
                monitor(List.of("sleep", "60"), "y", "b")), lost::add);
        watch.start();
        Waits.until("the monitor running", () -> watch.running() == 1);

        watch.close();

        Waits.until("the monitor stopped", () -> watch.running() == 0);
        assertThat(lost).isEmpty();
    }

    @Test
    void aMissingToolIsTriedAgainWithoutReportingAnything() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        CommandRunner counting = new CommandRunner() {
            @Override
            public Process spawn(List<String> command) throws ActionException {
                tries.incrementAndGet();
                return super.spawn(command);
            }
        };
        try (FirewallWatch watch = new FirewallWatch(
                List.of(monitor(counting, List.of("tollgate-no-such-monitor"), "", "never")),
                lost::add, Duration.ofMillis(10), Duration.ofMillis(20))) {
            watch.start();
            Waits.until("three tries", () -> tries.get() >= 3);

            assertThat(watch.running()).isZero();
        }
        assertThat(lost).isEmpty();
    }

    @Test
    void restartsBackOffByDoublingUpToTheLongest() {
        FirewallWatch watch = new FirewallWatch(List.of(), lost::add, Duration.ofSeconds(1), Duration.ofSeconds(5));

        assertThat(List.of(watch.delay(1), watch.delay(2), watch.delay(3), watch.delay(4), watch.delay(40)))
                .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                        Duration.ofSeconds(5), Duration.ofSeconds(5));
    }
}
