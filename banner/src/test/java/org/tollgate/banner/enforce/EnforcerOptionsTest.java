package org.tollgate.banner.enforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EnforcerOptionsTest {

    @Test
    void retryDelayDoublesFromOneSecondUpToFiveMinutes() {
        EnforcerOptions options = EnforcerOptions.DEFAULTS;

        assertThat(IntStream.rangeClosed(1, 12).mapToObj(options::retryDelay).map(Duration::toSeconds))
                .containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L, 300L, 300L, 300L);
        assertThat(options.retryDelay(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void delaysMustBePositiveAndOrdered() {
        assertThatThrownBy(() -> new EnforcerOptions(Duration.ZERO, Duration.ofMinutes(5), Duration.ofDays(1)))
                .hasMessageContaining("first retry delay must be greater than 0, was PT0S");
        assertThatThrownBy(() -> new EnforcerOptions(Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofDays(1)))
                .hasMessageContaining("longest retry delay must be at least the first (PT10S), was PT5S");
    }
}
