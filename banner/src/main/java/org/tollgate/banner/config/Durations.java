package org.tollgate.banner.config;

import java.time.Duration;

/**
 * Durations as fail2ban users write them: plain seconds ({@code 600}), one unit ({@code 30s}, {@code 10m},
 * {@code 3h}, {@code 1d}, {@code 1w}, {@code 1y}) or several units from largest to smallest ({@code 1h30m},
 * {@code 1d12h}). {@code -1} means permanent and is accepted only where the caller allows it (bantime).
 *
 * <p>Units are lower case only: {@code 10M} could mean minutes or months, so it is refused rather than guessed.
 * A year is 365 days. Nothing beyond 100 years is accepted, so an end instant can always be computed.
 */
public final class Durations {

    /** fail2ban's {@code bantime = -1}: the ban never ends. */
    public static final Duration PERMANENT = Duration.ofSeconds(-1);

    /** The longest duration accepted anywhere. */
    public static final Duration LONGEST = Duration.ofDays(365L * 100);

    static final String SHAPE = "<number>[s|m|h|d|w|y]";

    private static final String UNITS = "ywdhms";
    private static final long[] UNIT_SECONDS = {365L * 86_400, 7L * 86_400, 86_400, 3_600, 60, 1};

    private Durations() {
    }

    /** A duration of zero or more; {@code -1} is refused. */
    public static Duration parse(String text) {
        return parse(text, false);
    }

    /**
     * A duration of zero or more, or {@link #PERMANENT} for {@code -1} when {@code permanentAllowed}.
     *
     * @throws IllegalArgumentException saying what is allowed and echoing {@code text}
     */
    public static Duration parse(String text, boolean permanentAllowed) {
        if ("-1".equals(text)) {
            if (permanentAllowed) {
                return PERMANENT;
            }
            throw new IllegalArgumentException("expected " + SHAPE + ", was '-1' (-1, permanent, is allowed only for bantime)");
        }
        long seconds = parseSeconds(text);
        if (seconds < 0) {
            throw new IllegalArgumentException(expected(permanentAllowed) + ", was " + Echo.quote(text));
        }
        if (seconds > LONGEST.getSeconds()) {
            throw new IllegalArgumentException(expected(permanentAllowed) + " of at most 100y, was " + Echo.quote(text));
        }
        return Duration.ofSeconds(seconds);
    }

    public static boolean isPermanent(Duration duration) {
        return duration.isNegative();
    }

    /** The shortest text {@link #parse} reads back as {@code duration}: {@code 1h30m}, {@code 45s}, {@code -1}. */
    public static String format(Duration duration) {
        if (isPermanent(duration)) {
            return "-1";
        }
        long seconds = duration.getSeconds();
        if (seconds == 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        for (int u = 0; u < UNITS.length(); u++) {
            long count = seconds / UNIT_SECONDS[u];
            if (count > 0) {
                out.append(count).append(UNITS.charAt(u));
                seconds -= count * UNIT_SECONDS[u];
            }
        }
        return out.toString();
    }

    private static String expected(boolean permanentAllowed) {
        return permanentAllowed ? "expected " + SHAPE + " or -1 (permanent)" : "expected " + SHAPE;
    }

    /** Seconds, or -1 when {@code text} is not of the accepted shape, or Long.MAX_VALUE on overflow. */
    private static long parseSeconds(String text) {
        if (text == null || text.isEmpty()) {
            return -1;
        }
        long total = 0;
        int lastUnit = -1;
        int i = 0;
        int parts = 0;
        while (i < text.length()) {
            int start = i;
            long number = 0;
            while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                if (number > LONGEST.getSeconds()) {
                    return Long.MAX_VALUE;
                }
                number = number * 10 + (text.charAt(i) - '0');
                i++;
            }
            if (i == start) {
                return -1;
            }
            parts++;
            if (i == text.length()) {
                // A bare number is seconds, but only on its own: "1h30" is ambiguous.
                return parts == 1 ? number : -1;
            }
            int unit = UNITS.indexOf(text.charAt(i));
            if (unit < 0 || unit <= lastUnit) {
                return -1;
            }
            lastUnit = unit;
            i++;
            if (number > LONGEST.getSeconds()) {
                return Long.MAX_VALUE;
            }
            total += number * UNIT_SECONDS[unit];
            if (total > LONGEST.getSeconds()) {
                return Long.MAX_VALUE;
            }
        }
        return total;
    }
}
