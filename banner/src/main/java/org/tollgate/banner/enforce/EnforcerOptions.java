package org.tollgate.banner.enforce;

import java.time.Duration;
import java.util.Objects;

/**
 * How the {@link Enforcer} retries and how much history it reads back at start.
 *
 * @param firstRetry    delay before the first retry of a failed ban or unban; doubled on each further failure
 * @param longestRetry  the delay stops doubling here
 * @param historyWindow how far back {@link Enforcer#start()} reads the ban history into the jails (bantime
 *                      increments, recidive windows); never less than the longest findtime of a running jail
 */
public record EnforcerOptions(Duration firstRetry, Duration longestRetry, Duration historyWindow) {

    public static final Duration DEFAULT_FIRST_RETRY = Duration.ofSeconds(1);
    public static final Duration DEFAULT_LONGEST_RETRY = Duration.ofMinutes(5);
    public static final Duration DEFAULT_HISTORY_WINDOW = Duration.ofDays(7);

    public static final EnforcerOptions DEFAULTS =
            new EnforcerOptions(DEFAULT_FIRST_RETRY, DEFAULT_LONGEST_RETRY, DEFAULT_HISTORY_WINDOW);

    public EnforcerOptions {
        Objects.requireNonNull(firstRetry, "firstRetry");
        Objects.requireNonNull(longestRetry, "longestRetry");
        Objects.requireNonNull(historyWindow, "historyWindow");
        if (firstRetry.isNegative() || firstRetry.isZero()) {
            throw new IllegalArgumentException("first retry delay must be greater than 0, was " + firstRetry);
        }
        if (longestRetry.compareTo(firstRetry) < 0) {
            throw new IllegalArgumentException("longest retry delay must be at least the first (" + firstRetry
                    + "), was " + longestRetry);
        }
        if (historyWindow.isNegative()) {
            throw new IllegalArgumentException("history window must not be negative, was " + historyWindow);
        }
    }

    /** The delay after the {@code failures}-th failed attempt in a row: first, 2 x first, 4 x first, ... capped. */
    public Duration retryDelay(int failures) {
        return doubling(firstRetry, longestRetry, failures);
    }

    /** {@code first * 2^(failures - 1)}, at most {@code longest}. */
    static Duration doubling(Duration first, Duration longest, int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be at least 1, was " + failures);
        }
        Duration delay = first;
        for (int i = 1; i < failures && delay.compareTo(longest) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(longest) > 0 ? longest : delay;
    }
}
