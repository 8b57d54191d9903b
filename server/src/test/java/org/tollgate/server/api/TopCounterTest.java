package org.tollgate.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TopCounterTest {

    @Test
    void countsExactlyWhileUnderCapacity() {
        TopCounter top = new TopCounter(10, 64);
        for (String key : List.of("100", "admin", "100", "100", "admin", "1000")) {
            top.add(key);
        }

        assertThat(top.top(2)).containsExactly(new TopCounter.Entry("100", 3, 0), new TopCounter.Entry("admin", 2, 0));
        assertThat(top.total()).isEqualTo(6);
    }

    @Test
    void heavyHittersSurviveAStreamOfOneOffKeysInBoundedMemory() {
        TopCounter top = new TopCounter(50, 64);
        for (int i = 0; i < 100_000; i++) {
            top.add("scan-" + i);
            if (i % 10 == 0) {
                top.add("admin");
            }
            if (i % 25 == 0) {
                top.add("100");
            }
        }

        assertThat(top.tracked()).isEqualTo(50);
        List<TopCounter.Entry> best = top.top(2);
        assertThat(best).extracting(TopCounter.Entry::key).containsExactly("admin", "100");
        // A count is an upper bound, high by at most its error.
        assertThat(best.get(0).count() - best.get(0).error()).isLessThanOrEqualTo(10_000);
        assertThat(best.get(0).count()).isGreaterThanOrEqualTo(10_000);
    }

    @Test
    void longKeysAreCut() {
        TopCounter top = new TopCounter(10, 8);
        top.add("a".repeat(10_000));

        assertThat(top.top(1).get(0).key()).isEqualTo("aaaaaaa\u2026");
    }

    @Test
    void emptyKeysAreNotCounted() {
        TopCounter top = new TopCounter(10, 8);
        top.add("");
        top.add(null);

        assertThat(top.top(10)).isEmpty();
        assertThat(top.total()).isZero();
    }
}
