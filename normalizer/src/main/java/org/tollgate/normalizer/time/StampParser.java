package org.tollgate.normalizer.time;

import org.tollgate.normalizer.text.Digits;

/**
 * Reads the date and time out of whatever logger.conf {@code dateformat} (or a syslog daemon) produced, without a
 * regex: {@code Jan 18 17:39:50}, {@code Jan  8 17:39:50.123}, {@code 2026-01-18 17:39:50}, {@code 2026-01-18
 * 17:39:50.123456}, {@code 2026-01-18T17:39:50.123+01:00}, {@code 2026/01/18 17:39:50 +0100}, {@code Sat Jan 18
 * 17:39:50 2026}, {@code 18 Jan 2026 17:39:50 UTC}, and epoch seconds ({@code %s}, optionally with a fraction).
 *
 * <p>Returns {@code null} for text it cannot read; the caller then falls back to the previous stamp.
 */
public final class StampParser {

    private static final int UNSET = Integer.MIN_VALUE;

    private StampParser() {
    }

    public static StampFields parse(CharSequence text, int from, int to) {
        return parse(text, from, to, null);
    }

    /**
     * As {@link #parse(CharSequence, int, int)}; when {@code fraction} is given and the stamp has a fraction of a
     * second, stores where its digits are, {@code text[fraction[0], fraction[1])}, else {@code fraction[0] = -1}. The
     * fields depend on those digits only through {@code nanos}: a text that differs from this one only in them (digits
     * again) is the same second.
     */
    public static StampFields parse(CharSequence text, int from, int to, int[] fraction) {
        if (fraction != null) {
            fraction[0] = -1;
        }
        while (from < to && text.charAt(from) == ' ') {
            from++;
        }
        while (to > from && text.charAt(to - 1) == ' ') {
            to--;
        }
        if (from >= to || to - from > 64) {
            return null;
        }
        int year = UNSET;
        int month = UNSET;
        int day = UNSET;
        int hour = UNSET;
        int minute = UNSET;
        int second = UNSET;
        int nanos = 0;
        int offset = StampFields.NO_OFFSET;
        int pendingNumber = UNSET; // a number seen before we know whether it is a day or a year
        int i = from;
        boolean allDigits = true;
        for (int k = from; k < to; k++) {
            char c = text.charAt(k);
            if (!Digits.isDigit(c) && c != '.') {
                allDigits = false;
                break;
            }
        }
        if (allDigits) {
            return parseEpoch(text, from, to, fraction);
        }
        while (i < to) {
            char c = text.charAt(i);
            if (Digits.isDigit(c)) {
                int start = i;
                long scanned = Digits.scanInt(text, start, to, Digits.MAX_INT_DIGITS);
                i = Digits.end(scanned);
                int value = Digits.value(scanned);
                int digits = i - start;
                if (i < to && text.charAt(i) == ':' && hour == UNSET) {
                    // h:m[:s][.frac]
                    hour = value;
                    i++;
                    int[] cursor = {i};
                    minute = readNumber(text, cursor, to, 2);
                    i = cursor[0];
                    if (minute == UNSET) {
                        return null;
                    }
                    second = 0;
                    if (i < to && text.charAt(i) == ':') {
                        cursor[0] = i + 1;
                        second = readNumber(text, cursor, to, 2);
                        i = cursor[0];
                        if (second == UNSET) {
                            return null;
                        }
                    }
                    if (i < to && (text.charAt(i) == '.' || text.charAt(i) == ',')) {
                        int fracStart = ++i;
                        i = Digits.end(text, fracStart, to);
                        int fracDigits = Math.min(i - fracStart, 9);
                        if (fracDigits == 0) {
                            return null;
                        }
                        int frac = Digits.parseInt(text, fracStart, fracStart + fracDigits);
                        for (int d = fracDigits; d < 9; d++) {
                            frac *= 10;
                        }
                        nanos = frac;
                        if (fraction != null) {
                            fraction[0] = fracStart;
                            fraction[1] = i;
                        }
                    }
                    continue;
                }
                if (digits == 4 && year == UNSET) {
                    year = value;
                    if (i < to && (text.charAt(i) == '-' || text.charAt(i) == '/')) {
                        char sep = text.charAt(i);
                        int[] cursor = {i + 1};
                        month = readNumber(text, cursor, to, 2);
                        if (month == UNSET || cursor[0] >= to || text.charAt(cursor[0]) != sep) {
                            return null;
                        }
                        cursor[0]++;
                        day = readNumber(text, cursor, to, 2);
                        i = cursor[0];
                        if (day == UNSET) {
                            return null;
                        }
                    }
                    continue;
                }
                if (digits <= 2) {
                    if (i < to && text.charAt(i) == '/' && month == UNSET) {
                        // US %D / %m/%d/%y or %m/%d/%Y
                        int[] cursor = {i + 1};
                        int d = readNumber(text, cursor, to, 2);
                        if (d == UNSET || cursor[0] >= to || text.charAt(cursor[0]) != '/') {
                            return null;
                        }
                        cursor[0]++;
                        int yStart = cursor[0];
                        int y = readNumber(text, cursor, to, 4);
                        if (y == UNSET) {
                            return null;
                        }
                        month = value;
                        day = d;
                        year = cursor[0] - yStart == 2 ? 2000 + y : y;
                        i = cursor[0];
                        continue;
                    }
                    if (day == UNSET) {
                        day = value;
                    } else {
                        pendingNumber = value;
                    }
                    continue;
                }
                return null;
            }
            if (c == '+' || (c == '-' && hour != UNSET)) {
                int sign = c == '-' ? -1 : 1;
                int[] cursor = {i + 1};
                int hh = readNumber(text, cursor, to, 2);
                if (hh == UNSET) {
                    return null;
                }
                int mm = 0;
                if (cursor[0] < to && text.charAt(cursor[0]) == ':') {
                    cursor[0]++;
                }
                if (cursor[0] < to && Digits.isDigit(text.charAt(cursor[0]))) {
                    mm = readNumber(text, cursor, to, 2);
                    if (mm == UNSET) {
                        return null;
                    }
                }
                if (hh > 18 || mm > 59) {
                    return null;
                }
                offset = sign * (hh * 3600 + mm * 60);
                i = cursor[0];
                continue;
            }
            if (isLetter(c)) {
                int start = i;
                while (i < to && isLetter(text.charAt(i))) {
                    i++;
                }
                int length = i - start;
                if (length == 1 && (c == 'T' || c == 't')) {
                    continue;
                }
                if (length == 1 && (c == 'Z' || c == 'z')) {
                    offset = 0;
                    continue;
                }
                if (length == 3 && (regionIs(text, start, "UTC") || regionIs(text, start, "GMT"))) {
                    offset = 0;
                    continue;
                }
                int m = monthOf(text, start, length);
                if (m > 0 && month == UNSET) {
                    month = m;
                    continue;
                }
                if (isWeekday(text, start, length)) {
                    continue;
                }
                // A zone abbreviation such as CET: ambiguous, so the configured zone applies.
                if (length >= 3 && length <= 5 && hour != UNSET) {
                    continue;
                }
                return null;
            }
            if (c == ' ' || c == ',' || c == '-' || c == '/' || c == '.') {
                i++;
                continue;
            }
            return null;
        }
        if (pendingNumber != UNSET) {
            return null;
        }
        if (month == UNSET || day == UNSET || hour == UNSET) {
            return null;
        }
        if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
            return null;
        }
        return new StampFields(year == UNSET ? StampFields.NO_YEAR : year, month, day, hour, minute,
                Math.min(second, 59), nanos, offset);
    }

    private static StampFields parseEpoch(CharSequence text, int from, int to, int[] fraction) {
        int dot = Digits.end(text, from, to);
        int intDigits = dot - from;
        if (intDigits < 9 || intDigits > 11) {
            return null;
        }
        long seconds = Digits.parseLong(text, from, dot);
        int nanos = 0;
        if (dot < to) {
            // The caller checked the range holds only digits and dots: a fraction follows the one dot.
            int fracEnd = Math.min(to, dot + 10);
            if (fracEnd > dot + 1 && !Digits.all(text, dot + 1, fracEnd)) {
                return null;
            }
            nanos = fracEnd > dot + 1 ? Digits.parseInt(text, dot + 1, fracEnd) : 0;
            for (int digits = fracEnd - dot - 1; digits < 9; digits++) {
                nanos *= 10;
            }
            if (fraction != null && fracEnd > dot + 1) {
                fraction[0] = dot + 1;
                fraction[1] = fracEnd;
            }
        }
        java.time.LocalDateTime utc = java.time.LocalDateTime.ofEpochSecond(seconds, nanos, java.time.ZoneOffset.UTC);
        return new StampFields(utc.getYear(), utc.getMonthValue(), utc.getDayOfMonth(), utc.getHour(),
                utc.getMinute(), utc.getSecond(), nanos, 0);
    }

    private static int readNumber(CharSequence text, int[] cursor, int to, int maxDigits) {
        int start = cursor[0];
        long scanned = Digits.scanInt(text, start, to, maxDigits);
        int end = Digits.end(scanned);
        if (end == start) {
            return UNSET;
        }
        cursor[0] = end;
        return Digits.value(scanned);
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean regionIs(CharSequence text, int start, String word) {
        for (int k = 0; k < word.length(); k++) {
            if (Character.toUpperCase(text.charAt(start + k)) != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
    private static final String[] WEEKDAYS = {"MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"};

    /** 1–12 for an English month name or its three-letter abbreviation (what {@code %b} prints in the C locale). */
    public static int monthOf(CharSequence text, int start, int length) {
        if (length < 3) {
            return -1;
        }
        for (int m = 0; m < 12; m++) {
            if (regionIs(text, start, MONTHS[m])) {
                return m + 1;
            }
        }
        return -1;
    }

    private static boolean isWeekday(CharSequence text, int start, int length) {
        if (length < 3) {
            return false;
        }
        for (String w : WEEKDAYS) {
            if (regionIs(text, start, w)) {
                return true;
            }
        }
        return false;
    }
}
