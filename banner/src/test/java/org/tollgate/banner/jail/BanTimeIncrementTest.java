package org.tollgate.banner.jail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BanTimeIncrementTest {

    private static final Duration TEN_MINUTES = Duration.ofMinutes(10);

    /** Always the largest value asked for, so rndtime's effect is exact. */
    private static final RandomGenerator HIGHEST = new RandomGenerator() {
        @Override
        public long nextLong() {
            throw new AssertionError("only bounded draws are expected");
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    };

    private static BanTimeIncrement formula(double factor, Duration maxtime, Duration rndtime) {
        return new BanTimeIncrement(true, factor, List.of(), maxtime, rndtime, false);
    }

    @Test
    void theFirstBanKeepsTheJailsBantime() {
        assertThat(formula(3.0, null, Duration.ZERO).apply(TEN_MINUTES, 0, HIGHEST)).isEqualTo(TEN_MINUTES);
    }

    @Test
    void doublesPerPreviousBanTimesTheFactorUpToTwentyDoublings() {
        BanTimeIncrement increment = formula(1.0, null, Duration.ZERO);
        assertThat(increment.apply(TEN_MINUTES, 1, HIGHEST)).isEqualTo(Duration.ofMinutes(20));
        assertThat(increment.apply(TEN_MINUTES, 2, HIGHEST)).isEqualTo(Duration.ofMinutes(40));
        assertThat(increment.apply(TEN_MINUTES, 20, HIGHEST)).isEqualTo(Duration.ofMinutes(10L << 20));
        assertThat(increment.apply(TEN_MINUTES, 30, HIGHEST)).isEqualTo(Duration.ofMinutes(10L << 20));
        assertThat(formula(1.5, null, Duration.ZERO).apply(TEN_MINUTES, 1, HIGHEST)).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void capsAtMaxtimeThenAddsTheRandomPart() {
        BanTimeIncrement increment = formula(1.0, Duration.ofMinutes(30), Duration.ofSeconds(90));
        assertThat(increment.apply(TEN_MINUTES, 1, HIGHEST)).isEqualTo(Duration.ofMinutes(20).plusSeconds(90));
        assertThat(increment.apply(TEN_MINUTES, 5, HIGHEST)).isEqualTo(Duration.ofMinutes(30).plusSeconds(90));
    }

    @Test
    void multipliersReplaceTheFormulaAndStayOnTheLast() {
        BanTimeIncrement increment = new BanTimeIncrement(true, 2.0, List.of(1, 2, 4, 8), null, Duration.ZERO, false);
        assertThat(increment.apply(TEN_MINUTES, 1, HIGHEST)).isEqualTo(Duration.ofMinutes(40));
        assertThat(increment.apply(TEN_MINUTES, 3, HIGHEST)).isEqualTo(Duration.ofMinutes(160));
        assertThat(increment.apply(TEN_MINUTES, 9, HIGHEST)).isEqualTo(Duration.ofMinutes(160));
    }

    @Test
    void disabledLeavesBantimeAlone() {
        assertThat(BanTimeIncrement.DISABLED.apply(TEN_MINUTES, 7, HIGHEST)).isEqualTo(TEN_MINUTES);
    }

    @Test
    void neverGrowsPastAHundredYears() {
        BanTimeIncrement huge = formula(1e300, null, Duration.ZERO);
        assertThat(huge.apply(Duration.ofDays(365), 20, HIGHEST)).isEqualTo(Duration.ofDays(365L * 100));
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> formula(0, null, Duration.ZERO)).hasMessageContaining("bantime.factor");
        assertThatThrownBy(() -> formula(Double.NaN, null, Duration.ZERO)).hasMessageContaining("bantime.factor");
        assertThatThrownBy(() -> new BanTimeIncrement(true, 1, List.of(1, 0), null, Duration.ZERO, false))
                .hasMessageContaining("bantime.multipliers");
        assertThatThrownBy(() -> formula(1, Duration.ZERO, Duration.ZERO)).hasMessageContaining("bantime.maxtime");
    }
}
