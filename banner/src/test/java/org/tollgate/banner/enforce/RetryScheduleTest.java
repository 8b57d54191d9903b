package org.tollgate.banner.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    @Test
    void takesDueKeysOnceEarliestFirstSkippingCancelledAndRescheduled() {
        RetrySchedule<String> schedule = new RetrySchedule<>();
        schedule.schedule("a", T0.plusSeconds(2));
        schedule.schedule("b", T0.plusSeconds(1));
        schedule.schedule("c", T0.plusSeconds(1));
        schedule.cancel("c");
        schedule.schedule("a", T0.plusSeconds(10));

        assertThat(schedule.next()).contains(T0.plusSeconds(1));
        assertThat(schedule.takeDue(T0)).isEmpty();
        assertThat(schedule.takeDue(T0.plusSeconds(5))).containsExactly("b");
        assertThat(schedule.takeDue(T0.plusSeconds(5))).isEmpty();
        assertThat(schedule.next()).contains(T0.plusSeconds(10));
        assertThat(schedule.due("a")).contains(T0.plusSeconds(10));
        assertThat(schedule.takeDue(T0.plusSeconds(10))).containsExactly("a");
        assertThat(schedule.size()).isZero();
        assertThat(schedule.next()).isEmpty();
    }
}
