package org.tollgate.banner.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tollgate.banner.action.Fixtures.NOW;
import static org.tollgate.banner.action.Fixtures.ban;
import static org.tollgate.banner.action.Fixtures.permanent;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class KernelTimeoutsTest {

    @Test
    void permanentIsZero() {
        assertThat(KernelTimeouts.seconds(permanent("192.0.2.7"), NOW)).isZero();
    }

    @Test
    void remainingTimeRoundsUp() {
        assertThat(KernelTimeouts.seconds(ban("192.0.2.7", Duration.ofSeconds(60)), NOW.plusMillis(500))).isEqualTo(60);
        assertThat(KernelTimeouts.seconds(ban("192.0.2.7", Duration.ofSeconds(60)), NOW)).isEqualTo(60);
    }

    @Test
    void aTimedBanNeverBecomesPermanent() {
        assertThat(KernelTimeouts.seconds(ban("192.0.2.7", Duration.ofSeconds(60)), NOW.plusSeconds(3600))).isEqualTo(1);
        assertThat(KernelTimeouts.seconds(ban("192.0.2.7", Duration.ZERO), NOW)).isEqualTo(1);
    }

    @Test
    void longBansAreCappedAtTheKernelLimit() {
        assertThat(KernelTimeouts.seconds(ban("192.0.2.7", Duration.ofDays(365)), NOW))
                .isEqualTo(KernelTimeouts.MAX_SECONDS);
    }
}
