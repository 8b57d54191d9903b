package org.tollgate.banner.enforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The timer is a list the test runs by hand; reconciles are recorded, and never overlap. */
class ReconcileScheduleTest {

    private static final Duration QUIET = Duration.ofMillis(200);

    private final List<Duration> delays = new ArrayList<>();
    private final List<Runnable> timers = new ArrayList<>();
    private final List<Set<String>> reconciles = new ArrayList<>();
    private ReconcileSchedule schedule;
    private boolean inFlight;

    @BeforeEach
    void create() {
        schedule = new ReconcileSchedule(QUIET, (delay, task) -> {
            delays.add(delay);
            timers.add(task);
        }, reasons -> {
            assertThat(inFlight).as("a reconcile started while another ran").isFalse();
            inFlight = true;
            reconciles.add(reasons);
        });
    }

    private void fireTimers() {
        List<Runnable> due = new ArrayList<>(timers);
        timers.clear();
        due.forEach(Runnable::run);
    }

    private void finish() {
        inFlight = false;
        schedule.finished();
    }

    @Test
    void aBurstOfReportsMakesOneReconcileAfterTheQuietPeriod() {
        schedule.lost("nftables set inet tollgate v4 deleted");
        schedule.lost("nftables chain inet tollgate input deleted");
        schedule.lost("nftables set inet tollgate v4 deleted");
        schedule.lost("nftables table inet tollgate deleted");

        assertThat(reconciles).as("nothing before the quiet period is over").isEmpty();
        assertThat(delays).containsExactly(QUIET);

        fireTimers();

        assertThat(reconciles).singleElement().satisfies(reasons -> assertThat(reasons).containsExactly(
                "nftables set inet tollgate v4 deleted", "nftables chain inet tollgate input deleted",
                "nftables table inet tollgate deleted"));
        finish();
        assertThat(timers).as("nothing left to do").isEmpty();
        assertThat(schedule.running()).isFalse();
    }

    @Test
    void reportsWhileAReconcileRunsMakeExactlyOneMoreAfterIt() {
        schedule.lost("firewalld reloaded");
        fireTimers();
        schedule.lost("firewalld reloaded");
        schedule.lost("firewalld started");

        assertThat(timers).as("no timer while one runs").isEmpty();
        assertThat(reconciles).hasSize(1);

        finish();
        assertThat(reconciles).as("the next waits its quiet period").hasSize(1);
        fireTimers();

        assertThat(reconciles).containsExactly(Set.of("firewalld reloaded"),
                Set.of("firewalld reloaded", "firewalld started"));
        finish();
        assertThat(timers).isEmpty();
        assertThat(delays).containsExactly(QUIET, QUIET);
    }

    @Test
    void aPeriodicTurnRunsWithNoReasonAndIsSkippedWhileOneRunsOrWaits() {
        schedule.periodic();
        assertThat(reconciles).containsExactly(Set.of());

        schedule.periodic();
        schedule.lost("firewalld reloaded");
        assertThat(reconciles).as("a periodic turn while one runs is skipped").hasSize(1);
        finish();

        schedule.periodic();
        assertThat(reconciles).as("a periodic turn while reports wait is skipped").hasSize(1);
        fireTimers();
        assertThat(reconciles).containsExactly(Set.of(), Set.of("firewalld reloaded"));
        finish();

        schedule.periodic();
        assertThat(reconciles).hasSize(3).last().isEqualTo(Set.of());
    }

    @Test
    void misuseFailsFast() {
        assertThatThrownBy(() -> schedule.finished()).isInstanceOf(IllegalStateException.class)
                .hasMessage("no reconcile is running");
        assertThatThrownBy(() -> new ReconcileSchedule(Duration.ZERO, (d, t) -> { }, r -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("quiet period must be positive, was PT0S");
    }
}
