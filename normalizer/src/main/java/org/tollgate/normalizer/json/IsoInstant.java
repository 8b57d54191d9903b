package org.tollgate.normalizer.json;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Writes an instant as ISO 8601 in UTC ({@code 2026-01-18T17:39:50.123Z}) without a DateTimeFormatter: it runs for
 * every event. Fractions are written in the fewest of 3, 6 or 9 digits that hold them. An instance keeps the text of
 * the last day and second it wrote: the events of a log mostly fall on the same day, many in the same second.
 */
final class IsoInstant {

    /** The longest text {@link #write} produces. */
    static final int LENGTH = 30;
    private static final int SECONDS_PER_DAY = 86_400;
    private static final int SECOND_LENGTH = 19;

    private long day = Long.MIN_VALUE;
    /** {@code day} as {@code YYYY-MM-DD}, when {@code dateFits}: its year is within 0000-9999. */
    private final byte[] date = new byte[10];
    private boolean dateFits;
    /**
     * The last second written, or {@code Long.MIN_VALUE} (never one whose year fits), and its text up to the fraction
     * ({@code YYYY-MM-DDTHH:MM:SS}): a busy log writes many lines a second.
     */
    private long second = Long.MIN_VALUE;
    private final byte[] secondText = new byte[SECOND_LENGTH];

    static String format(Instant instant) {
        byte[] out = new byte[LENGTH];
        int length = new IsoInstant().write(instant, out, 0);
        return length < 0 ? instant.toString() : new String(out, 0, length, StandardCharsets.US_ASCII);
    }

    /**
     * Writes the instant into {@code out} from {@code at} (room for {@link #LENGTH} bytes) and returns where it ends,
     * or -1 for a year outside 0000-9999, which this format does not cover.
     */
    int write(Instant instant, byte[] out, int at) {
        long seconds = instant.getEpochSecond();
        if (seconds != second && !followSecond(seconds)) {
            return -1;
        }
        System.arraycopy(secondText, 0, out, at, SECOND_LENGTH);
        int p = at + SECOND_LENGTH;
        int nanos = instant.getNano();
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

    /** Makes {@code seconds} the second kept as text; false, keeping none, for a year outside 0000-9999. */
    private boolean followSecond(long seconds) {
        long days = Math.floorDiv(seconds, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        if (days != day) {
            day = days;
            LocalDate local = LocalDate.ofEpochDay(days);
            int year = local.getYear();
            dateFits = year >= 0 && year <= 9999;
            if (dateFits) {
                digits(date, 0, year, 4);
                date[4] = '-';
                digits(date, 5, local.getMonthValue(), 2);
                date[7] = '-';
                digits(date, 8, local.getDayOfMonth(), 2);
            }
        }
        if (!dateFits) {
            second = Long.MIN_VALUE;
            return false;
        }
        System.arraycopy(date, 0, secondText, 0, date.length);
        int p = date.length;
        secondText[p++] = 'T';
        p = digits(secondText, p, secondOfDay / 3600, 2);
        secondText[p++] = ':';
        p = digits(secondText, p, (secondOfDay / 60) % 60, 2);
        secondText[p++] = ':';
        digits(secondText, p, secondOfDay % 60, 2);
        second = seconds;
        return true;
    }

    /** {@code value} (not negative) in {@code width} digits; a division by ten as {@link JsonOut#tenth} makes it. */
    private static int digits(byte[] out, int p, int value, int width) {
        for (int i = width - 1; i >= 0; i--) {
            int tenth = JsonOut.tenth(value);
            out[p + i] = (byte) ('0' + value - tenth * 10);
            value = tenth;
        }
        return p + width;
    }
}
