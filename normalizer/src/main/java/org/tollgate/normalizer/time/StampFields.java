package org.tollgate.normalizer.time;

/**
 * The parts a log stamp spelled out. {@code year} is {@link #NO_YEAR} when the stamp has none (the default
 * {@code %b %e %T} dateformat and BSD syslog), and {@code offsetSeconds} is {@link #NO_OFFSET} when it names no zone.
 */
public record StampFields(int year, int month, int day, int hour, int minute, int second, int nanos, int offsetSeconds) {

    public static final int NO_YEAR = Integer.MIN_VALUE;
    public static final int NO_OFFSET = Integer.MIN_VALUE;

    public boolean hasYear() {
        return year != NO_YEAR;
    }

    public boolean hasOffset() {
        return offsetSeconds != NO_OFFSET;
    }
}
