package org.tollgate.server.adopt.fail2ban;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** fail2ban's time expressions, with the values fail2ban's own str2seconds gives for them. */
class Fail2banTimeTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "600           | 600",
        "10m           | 600",
        "10M           | 600",
        "1mo           | 2629800",
        "6 months      | 15778800",
        "1year-6mo     | 15778800",
        "1d12h         | 129600",
        "1h 30m        | 5400",
        "1hour+30min   | 5400",
        "0d 1h 30m     | 5400",
        "1y            | 31557600",
        "1w            | 604800",
        "2 * 1d        | 172800",
        "1.5h          | 5400",
        "-1            | -1",
        "3600          | 3600",
        "(1h + 1m) * 2 | 7320",
        "30sec         | 30",
        "2 weeks 1 day | 1296000",
    })
    void readsAsFail2banDoes(String text, double seconds) {
        assertThat(Fail2banTime.seconds(text)).isEqualTo(seconds);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ten minutes", "1x", "__import__('os').system('id')", "1d; rm", "2**64", "1/0",
        "((((((((((((((((((((((((((((((((((1))))))))))))))))))))))))))))))))))", "10 // 3", "1e3"})
    void refusesWhatIsNotArithmeticOfTimes(String text) {
        assertThatThrownBy(() -> Fail2banTime.seconds(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
