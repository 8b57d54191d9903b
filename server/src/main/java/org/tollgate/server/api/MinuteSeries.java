package org.tollgate.server.api;

import java.time.Instant;
import java.util.Arrays;

/**
 * Counts per minute over a sliding window of whole minutes ending at the present minute, in a ring: fixed memory,
 * no timer. Not thread-safe: used from the API verticle's event loop only.
 */
final class MinuteSeries {

    private final int minutes;
    private final long[] minuteOf;
    private final long[] counts;

    MinuteSeries(int minutes) {
        if (minutes < 1) {
            throw new IllegalArgumentException("minutes must be at least 1, was " + minutes);
        }
        this.minutes = minutes;
        this.minuteOf = new long[minutes];
        this.counts = new long[minutes];
        Arrays.fill(minuteOf, Long.MIN_VALUE);
    }

    /**
     * Counts one at {@code at}. A time before the window is dropped; a time after {@code now} (a log clock ahead of
     * this one) counts in the present minute.
     */
    void add(Instant at, Instant now) {
        long nowMinute = minuteOf(now);
        long minute = Math.min(minuteOf(at), nowMinute);
        if (minute <= nowMinute - minutes) {
            return;
        }
        int slot = (int) Math.floorMod(minute, (long) minutes);
        if (minuteOf[slot] != minute) {
            minuteOf[slot] = minute;
            counts[slot] = 0;
        }
        counts[slot]++;
    }

    /** The counts of the window's minutes, oldest first, the present minute last. */
    long[] counts(Instant now) {
        long nowMinute = minuteOf(now);
        long[] out = new long[minutes];
        for (int i = 0; i < minutes; i++) {
            long minute = nowMinute - minutes + 1 + i;
            int slot = (int) Math.floorMod(minute, (long) minutes);
            out[i] = minuteOf[slot] == minute ? counts[slot] : 0;
        }
        return out;
    }

    /** The first minute of the window ending at {@code now}. */
    Instant start(Instant now) {
        return Instant.ofEpochSecond((minuteOf(now) - minutes + 1) * 60);
    }

    int minutes() {
        return minutes;
    }

    private static long minuteOf(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), 60);
    }
}
