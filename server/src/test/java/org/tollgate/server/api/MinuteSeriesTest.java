package org.tollgate.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class MinuteSeriesTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:30:20Z");

    @Test
    void countsPerMinuteOldestFirst() {
        MinuteSeries series = new MinuteSeries(60);
        series.add(NOW, NOW);
        series.add(NOW.minusSeconds(20), NOW);
        series.add(NOW.minusSeconds(21), NOW);
        series.add(NOW.minusSeconds(59 * 60), NOW);

        long[] counts = series.counts(NOW);
        assertThat(counts).hasSize(60);
        assertThat(counts[59]).isEqualTo(2);
        assertThat(counts[58]).isEqualTo(1);
        assertThat(counts[0]).isEqualTo(1);
        assertThat(series.start(NOW)).isEqualTo(Instant.parse("2026-03-01T11:31:00Z"));
    }

    @Test
    void dropsWhatIsOlderThanTheWindowAndClampsTheFuture() {
        MinuteSeries series = new MinuteSeries(60);
        series.add(NOW.minusSeconds(60 * 60), NOW);
        series.add(NOW.plusSeconds(3_600), NOW);

        long[] counts = series.counts(NOW);
        assertThat(counts[59]).isEqualTo(1);
        assertThat(java.util.Arrays.stream(counts).sum()).isEqualTo(1);
    }

    @Test
    void slotsFromAnEarlierHourAreNotCountedAgain() {
        MinuteSeries series = new MinuteSeries(60);
        series.add(NOW, NOW);
        Instant later = NOW.plusSeconds(60 * 60);

        assertThat(java.util.Arrays.stream(series.counts(later)).sum()).isZero();
        series.add(later, later);
        assertThat(series.counts(later)[59]).isEqualTo(1);
    }
}
