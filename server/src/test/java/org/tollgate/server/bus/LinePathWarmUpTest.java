package org.tollgate.server.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.tollgate.normalizer.Normalizer;
import org.tollgate.normalizer.NormalizerOptions;
import org.tollgate.normalizer.ParseResult;

class LinePathWarmUpTest {

    @Test
    void theWarmUpLinesGoDownTheFailurePathAndTheNoisePath() {
        Clock clock = Clock.systemUTC();
        Normalizer normalizer = new Normalizer(new NormalizerOptions(ZoneOffset.UTC, clock.instant(), false, null, clock));
        int failures = 0;
        int other = 0;
        for (String line : LinePathWarmUp.LINES) {
            ParseResult result = normalizer.normalize(line);
            if (result instanceof ParseResult.Parsed parsed && FailureFromEvent.of(parsed.event()) != null) {
                failures++;
                assertThat(FailureFromEvent.of(parsed.event()).sourceIp()).as(line).startsWith(
                        line.contains("2001:db8::1") ? "2001:db8::1" : "192.0.2.1");
            } else {
                other++;
            }
        }

        assertThat(failures).as("failure lines of every family").isGreaterThanOrEqualTo(9);
        assertThat(other).as("noise and unread lines").isGreaterThanOrEqualTo(4);
    }
}
