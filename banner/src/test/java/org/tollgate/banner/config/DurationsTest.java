package org.tollgate.banner.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "600, 600",
        "30s, 30",
        "10m, 600",
        "3h, 10800",
        "1d, 86400",
        "1w, 604800",
        "1y, 31536000",
        "1h30m, 5400",
        "1d12h, 129600",
        "2w3d4h5m6s, 1483506",
        "100y, 3153600000",
    })
    void readsSecondsUnitsAndCombinations(String text, long seconds) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @Test
    void readsMinusOneAsPermanentOnlyWhereAllowed() {
        assertThat(Durations.parse("-1", true)).isEqualTo(Durations.PERMANENT);
        assertThat(Durations.isPermanent(Durations.parse("-1", true))).isTrue();
        assertThatThrownBy(() -> Durations.parse("-1"))
                .hasMessage("expected <number>[s|m|h|d|w|y], was '-1' (-1, permanent, is allowed only for bantime)");
    }

    @Test
    void echoesTheValueAndSaysWhatIsAllowed() {
        assertThatThrownBy(() -> Durations.parse("10 minutes"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected <number>[s|m|h|d|w|y], was '10 minutes'");
        assertThatThrownBy(() -> Durations.parse("forever", true))
                .hasMessage("expected <number>[s|m|h|d|w|y] or -1 (permanent), was 'forever'");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "10 minutes", // words
        "10M",        // upper case: minutes or months?
        "1.5h",       // fractions
        "30m1h",      // units out of order
        "1h1h",       // a unit twice
        "1h30",       // a bare number after a unit
        "-5",         // negative other than -1
        "-1m",
        "h",          // a unit without a number
        "5x",         // an unknown unit
        " 5m",        // surrounding space
        "5m ",
        "+5",
    })
    void refusesEveryOtherShape(String text) {
        assertThatThrownBy(() -> Durations.parse(text, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected <number>[s|m|h|d|w|y] or -1 (permanent), was '" + text + "'");
    }

    @ParameterizedTest
    @NullAndEmptySource
    void refusesNothing(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .hasMessageStartingWith("expected <number>[s|m|h|d|w|y], was ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"101y", "3153600001", "99999999999999999999999", "9999999999999999w"})
    void refusesMoreThanAHundredYears(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .hasMessage("expected <number>[s|m|h|d|w|y] of at most 100y, was '" + text + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s", "45s", "10m", "1h30m", "1w2d", "1y", "-1"})
    void formatsWhatItReadsBack(String text) {
        assertThat(Durations.format(Durations.parse(text, true))).isEqualTo(text);
    }
}
