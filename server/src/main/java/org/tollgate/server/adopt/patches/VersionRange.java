package org.tollgate.server.adopt.patches;

import java.util.ArrayList;
import java.util.List;

/**
 * The Asterisk releases a line's shape allows, as the normalizer names them ({@code asterisk.version_family}):
 * {@code 1.8-20} (1.8.0 to the last 20.x), {@code 13.10+}, {@code 1.2-1.6.0}, {@code 16.17-20}. A lower bound is
 * the first release it names ({@code 13.10} is 13.10.0); an upper bound takes in every release that starts with it
 * ({@code 20} is every 20.x, {@code 1.6.0} every 1.6.0.x).
 *
 * @param low  the first release, or null for no lower bound
 * @param high the last release prefix, or null for no upper bound
 */
record VersionRange(AsteriskVersion low, AsteriskVersion high) {

    static final VersionRange ANY = new VersionRange(null, null);

    /** {@code a-b}, {@code a+} or {@code a}; null when it is none of these. */
    static VersionRange parse(String family) {
        if (family == null) {
            return null;
        }
        String text = family.strip();
        if (text.endsWith("+")) {
            AsteriskVersion low = AsteriskVersion.parse(text.substring(0, text.length() - 1));
            return low == null ? null : new VersionRange(low, null);
        }
        int dash = text.indexOf('-');
        if (dash < 0) {
            AsteriskVersion only = AsteriskVersion.parse(text);
            return only == null ? null : new VersionRange(only, only);
        }
        AsteriskVersion low = AsteriskVersion.parse(text.substring(0, dash));
        AsteriskVersion high = AsteriskVersion.parse(text.substring(dash + 1));
        return low == null || high == null ? null : new VersionRange(low, high);
    }

    /** The releases both ranges allow; {@link #isEmpty()} when none. */
    VersionRange intersect(VersionRange other) {
        AsteriskVersion lowest = low == null ? other.low
                : other.low == null ? low : (low.compareTo(other.low) >= 0 ? low : other.low);
        AsteriskVersion highest = high == null ? other.high
                : other.high == null ? high
                : (high.compareTo(other.high, Integer.MAX_VALUE, Integer.MAX_VALUE) <= 0 ? high : other.high);
        return new VersionRange(lowest, highest);
    }

    boolean isEmpty() {
        return low != null && high != null && low.compareTo(high, 0, Integer.MAX_VALUE) > 0;
    }

    /** One release exactly (a log file's header names it). */
    boolean exact() {
        return low != null && low.equals(high);
    }

    boolean contains(AsteriskVersion version) {
        return (low == null || version.compareTo(low, 0, 0) >= 0)
                && (high == null || version.compareTo(high, 0, Integer.MAX_VALUE) <= 0);
    }

    /** The series ({@link AsteriskVersion#SERIES}) with at least one release in this range. */
    List<String> series() {
        List<String> series = new ArrayList<>();
        for (String name : AsteriskVersion.SERIES) {
            AsteriskVersion first = AsteriskVersion.parse(name);
            VersionRange whole = new VersionRange(first, first);
            if (!intersect(whole).isEmpty()) {
                series.add(name);
            }
        }
        return series;
    }

    /** {@code 1.8–20.x}, {@code 13.10+}, {@code 11.25.3}, {@code any}. */
    @Override
    public String toString() {
        if (low == null && high == null) {
            return "any";
        }
        if (high == null) {
            return low + "+";
        }
        if (low == null) {
            return "up to " + high + ".x";
        }
        return low.equals(high) ? low.toString() : low + "–" + high + ".x";
    }
}
