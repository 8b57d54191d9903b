package org.tollgate.server.api;

import java.util.Arrays;

/**
 * A cumulative histogram with fixed upper bounds, as Prometheus reads one. Not thread-safe: used from the API
 * verticle's event loop only.
 */
final class Histogram {

    private final double[] bounds;
    private final long[] counts;
    private long count;
    private double sum;

    /** @param bounds upper bounds, increasing; {@code +Inf} is implied */
    Histogram(double... bounds) {
        for (int i = 1; i < bounds.length; i++) {
            if (!(bounds[i] > bounds[i - 1])) {
                throw new IllegalArgumentException("bounds must increase: " + Arrays.toString(bounds));
            }
        }
        this.bounds = bounds.clone();
        this.counts = new long[bounds.length];
    }

    void observe(double value) {
        for (int i = 0; i < bounds.length; i++) {
            if (value <= bounds[i]) {
                counts[i]++;
            }
        }
        count++;
        sum += value;
    }

    double[] bounds() {
        return bounds.clone();
    }

    /** Observations at or below each bound (cumulative). */
    long[] cumulativeCounts() {
        return counts.clone();
    }

    long count() {
        return count;
    }

    double sum() {
        return sum;
    }
}
