package org.tollgate.normalizer.call;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * One line of the CSV Asterisk writes for CDRs and CEL, split into fields: cdr/cdr_csv.c append_string writes every
 * string field between double quotes with each quote doubled ({@code """Alice"" <1001>"}), append_int a bare number,
 * append_date a quoted date or, for no date, nothing; funcs/func_strings.c's CSV_QUOTE (the cel_custom mapping) quotes
 * the same way. Nothing else is escaped: a field cannot hold a line break the reader would see.
 */
final class CsvLine {

    /** Fields of the line; null where the line ended early. */
    final String[] fields;
    /** Which fields were quoted. */
    final boolean[] quoted;
    /** How many fields the line has. */
    final int count;

    private CsvLine(String[] fields, boolean[] quoted, int count) {
        this.fields = fields;
        this.quoted = quoted;
        this.count = count;
    }

    /** Splits {@code line} into at most {@code max} fields; null when it is not such a line or has more. */
    static CsvLine split(String line, int max) {
        String[] fields = new String[max];
        boolean[] quoted = new boolean[max];
        int count = 0;
        int i = 0;
        int length = line.length();
        StringBuilder field = new StringBuilder(32);
        while (true) {
            if (count == max) {
                return null;
            }
            field.setLength(0);
            if (i < length && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= length) {
                        return null; // an open quote: not a whole record
                    }
                    char c = line.charAt(i);
                    if (c == '"') {
                        if (i + 1 < length && line.charAt(i + 1) == '"') {
                            field.append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    field.append(c);
                    i++;
                }
                quoted[count] = true;
            } else {
                while (i < length && line.charAt(i) != ',') {
                    char c = line.charAt(i);
                    if (c == '"') {
                        return null;
                    }
                    field.append(c);
                    i++;
                }
            }
            fields[count++] = field.toString();
            if (i == length) {
                return new CsvLine(fields, quoted, count);
            }
            if (line.charAt(i) != ',') {
                return null;
            }
            i++;
        }
    }

    /**
     * {@code YYYY-MM-DD HH:MM:SS} (cdr_csv's {@code "%Y-%m-%d %T"}, optionally with a fraction), in {@code zone}:
     * the PBX's local time, or UTC with cdr.conf's {@code usegmtime}. Null when the text is not such a date.
     */
    static Instant date(String text, ZoneId zone) {
        if (text.length() < 19 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != ' '
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = number(text, 0, 4);
        int month = number(text, 5, 7);
        int day = number(text, 8, 10);
        int hour = number(text, 11, 13);
        int minute = number(text, 14, 16);
        int second = number(text, 17, 19);
        int nanos = 0;
        if (text.length() > 19) {
            if (text.charAt(19) != '.' || text.length() > 29 || text.length() == 20) {
                return null;
            }
            int fraction = number(text, 20, text.length());
            if (fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int digits = text.length() - 20; digits < 9; digits++) {
                nanos *= 10;
            }
        }
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos).atZone(zone).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** CEL's default {@code eventtime}: {@code "%ld.%06ld"}, epoch seconds and microseconds. */
    static Instant epochMicros(String text) {
        int dot = text.indexOf('.');
        if (dot <= 0 || dot > 12 || text.length() - dot != 7) {
            return null;
        }
        long seconds = 0;
        for (int i = 0; i < dot; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            seconds = seconds * 10 + (c - '0');
        }
        int micros = number(text, dot + 1, text.length());
        return seconds < 0 || micros < 0 ? null : Instant.ofEpochSecond(seconds, micros * 1000L);
    }

    /** A non-negative whole number, at most 9 digits, or -1. */
    static int number(String text, int from, int to) {
        if (from >= to || to - from > 9) {
            return -1;
        }
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
