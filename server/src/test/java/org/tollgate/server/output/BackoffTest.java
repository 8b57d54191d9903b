package org.tollgate.server.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static List<Long> delays(Backoff backoff, int count) {
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            delays.add(backoff.nextDelayMillis());
        }
        return delays;
    }

    @Test
    void doublesFromAHundredMillisecondsToThirtySecondsWithinAFifthEitherWay() {
        for (long seed = 0; seed < 50; seed++) {
            Backoff backoff = new Backoff(Backoff.DEFAULT_INITIAL, Backoff.DEFAULT_MAX, new SplittableRandom(seed));
            List<Long> delays = delays(backoff, 40);
            for (int attempt = 0; attempt < delays.size(); attempt++) {
                long base = Math.min(30_000, 100L << Math.min(attempt, 20));
                assertThat(delays.get(attempt)).as("attempt %d, seed %d", attempt, seed)
                        .isBetween(Math.max(100, base * 4 / 5), Math.min(30_000, base * 6 / 5));
            }
            assertThat(delays.get(39)).isBetween(24_000L, 30_000L);
        }
    }

    @Test
    void jitterSpreadsHostsThatFailedTogether() {
        List<Long> fifthDelays = new ArrayList<>();
        for (long seed = 0; seed < 20; seed++) {
            Backoff backoff = new Backoff(Backoff.DEFAULT_INITIAL, Backoff.DEFAULT_MAX, new SplittableRandom(seed));
            fifthDelays.add(delays(backoff, 5).get(4));
        }
        assertThat(fifthDelays.stream().distinct().count()).isGreaterThan(10);
    }

    @Test
    void resetStartsOverAndNeverOverflows() {
        Backoff backoff = new Backoff(Backoff.DEFAULT_INITIAL, Backoff.DEFAULT_MAX, new SplittableRandom(1));
        delays(backoff, 1_000);
        assertThat(backoff.nextDelayMillis()).isBetween(24_000L, 30_000L);
        backoff.reset();
        assertThat(backoff.attempts()).isZero();
        assertThat(backoff.nextDelayMillis()).isBetween(100L, 120L);
    }

    @Test
    void refusesBoundsTheWrongWayRound() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new SplittableRandom()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), new SplittableRandom()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
