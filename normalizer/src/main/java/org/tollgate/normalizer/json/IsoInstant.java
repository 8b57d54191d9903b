package org.tollgate.normalizer.json;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Writes an instant as ISO 8601 in UTC ({@code 2026-01-18T17:39:50.123Z}) without a DateTimeFormatter: it runs for
 * every event. Fractions are written in the fewest of 3, 6 or 9 digits that hold them.
 */
final class IsoInstant {

    private IsoInstant() {
    }

    static String format(Instant instant) {
        char[] out = new char[LENGTH];
        int length = write(instant, out);
        return length < 0 ? instant.toString() : new String(out, 0, length);
    }

    /** The longest text {@link #write} produces. */
    static final int LENGTH = 30;

    /**
     * Writes the instant into {@code out} (at least {@link #LENGTH} chars) and returns how many chars it took, or -1
     * for a year outside 0000-9999, which this format does not cover.
     */
    static int write(Instant instant, char[] out) {
        long seconds = instant.getEpochSecond();
        int nanos = instant.getNano();
        long days = Math.floorDiv(seconds, 86_400);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        LocalDate date = LocalDate.ofEpochDay(days);
        int year = date.getYear();
        if (year < 0 || year > 9999) {
            return -1;
        }
        int p = 0;
        p = digits(out, p, year, 4);
        out[p++] = '-';
        p = digits(out, p, date.getMonthValue(), 2);
        out[p++] = '-';
        p = digits(out, p, date.getDayOfMonth(), 2);
        out[p++] = 'T';
        p = digits(out, p, secondOfDay / 3600, 2);
        out[p++] = ':';
        p = digits(out, p, (secondOfDay / 60) % 60, 2);
        out[p++] = ':';
        p = digits(out, p, secondOfDay % 60, 2);
        if (nanos != 0) {
            out[p++] = '.';
            if (nanos % 1_000_000 == 0) {
                p = digits(out, p, nanos / 1_000_000, 3);
            } else if (nanos % 1_000 == 0) {
                p = digits(out, p, nanos / 1_000, 6);
            } else {
                p = digits(out, p, nanos, 9);
            }
        }
        out[p++] = 'Z';
        return p;
    }

    private static int digits(char[] out, int p, int value, int width) {
        for (int i = width - 1; i >= 0; i--) {
            out[p + i] = (char) ('0' + value % 10);
            value /= 10;
        }
        return p + width;
    }
}
