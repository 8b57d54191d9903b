package org.tollgate.server.output;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Delays between reconnection attempts: doubling from {@code initial} up to {@code max}, each moved at random by up
 * to a fifth either way (and kept within both bounds), so that many hosts cut off from one collector do not all
 * reconnect in the same instant when it comes back.
 */
public final class Backoff {

    public static final Duration DEFAULT_INITIAL = Duration.ofMillis(100);
    public static final Duration DEFAULT_MAX = Duration.ofSeconds(30);

    private final long initialMillis;
    private final long maxMillis;
    private final RandomGenerator random;
    private int attempts;

    public Backoff(Duration initial, Duration max, RandomGenerator random) {
        if (initial.toMillis() < 1 || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("expected 1 ms <= initial <= max, was " + initial + " and " + max);
        }
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.random = random;
    }

    /** 100 ms to 30 s. */
    public static Backoff standard() {
        return new Backoff(DEFAULT_INITIAL, DEFAULT_MAX, RandomGenerator.getDefault());
    }

    /** The delay before the next attempt, in milliseconds. */
    public long nextDelayMillis() {
        // Past 2^20 doublings every delay is max; stop shifting before the long overflows.
        long base = attempts >= 20 ? maxMillis : Math.min(maxMillis, initialMillis << attempts);
        attempts++;
        long spread = base / 5;
        long jittered = spread == 0 ? base : base - spread + random.nextLong(2 * spread + 1);
        return Math.max(initialMillis, Math.min(maxMillis, jittered));
    }

    /** After a success: the next delay is the initial one again. */
    public void reset() {
        attempts = 0;
    }

    /** Attempts since the last reset. */
    public int attempts() {
        return attempts;
    }
}
