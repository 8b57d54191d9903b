package org.tollgate.normalizer.prefix;

/**
 * The byte-level test for the common line of an Asterisk 11+ log file, {@code [2026-01-18 17:39:50.123]
 * VERBOSE[2290][C-0000001c] file.c: …}, before the line is decoded: a line of this shape is one {@link PrefixParser}
 * reads as {@link Layout#FILE} (or {@link Layout#PLAIN}) with its stamp in the brackets, so it is never a bare line,
 * and its stamp's date part (what the year context follows) is the ten bytes after the bracket.
 *
 * <p>The shape is a strict part of what {@code scanAsteriskStamped} and {@code scanAsteriskBody} accept: the first
 * {@code ]} closes the stamp within 72 bytes and a blank follows it; the stamp starts with ten bytes without a blank,
 * {@code T} or {@code ]}, then a blank; then a level of 1 to 16 capitals, {@code [}, the thread's 1 to 9 digits,
 * {@code ]}, an optional {@code [C-…]} closed within 24 bytes, an optional colon and a blank.
 */
public final class FileLineShape {

    /** Where the stamp's date part starts and ends in the line, from its first byte. */
    public static final int DATE_FROM = 1;
    public static final int DATE_TO = 11;

    private FileLineShape() {
    }

    /** True when {@code bytes[from, to)} (one line, ASCII) has the shape above. */
    public static boolean matches(byte[] bytes, int from, int to) {
        return stampEnd(bytes, from, to) >= 0;
    }

    /**
     * Where the stamp ends, the index of its closing bracket, when {@code bytes[from, to)} (one line, ASCII) has the
     * shape above; -1 when it has not. The stamp is {@code bytes[from + 1, stampEnd)}, as the prefix parser reads it.
     */
    public static int stampEnd(byte[] bytes, int from, int to) {
        if (to - from < 16 || bytes[from] != '[' || bytes[from + DATE_TO] != ' ') {
            return -1;
        }
        for (int i = from + DATE_FROM; i < from + DATE_TO; i++) {
            byte b = bytes[i];
            if (b == ' ' || b == 'T' || b == ']') {
                return -1;
            }
        }
        int close = -1;
        int limit = Math.min(to, from + 73);
        for (int i = from + DATE_TO; i < limit; i++) {
            if (bytes[i] == ']') {
                close = i;
                break;
            }
        }
        if (close < 0 || close + 2 >= to || bytes[close + 1] != ' ') {
            return -1;
        }
        int i = close + 2;
        int levelStart = i;
        while (i < to && i - levelStart < 16 && bytes[i] >= 'A' && bytes[i] <= 'Z') {
            i++;
        }
        if (i == levelStart || i >= to || bytes[i] != '[') {
            return -1;
        }
        int digitsStart = ++i;
        while (i < to && i - digitsStart < 9 && bytes[i] >= '0' && bytes[i] <= '9') {
            i++;
        }
        if (i == digitsStart || i >= to || bytes[i] != ']') {
            return -1;
        }
        i++;
        if (i < to && bytes[i] == '[') {
            if (i + 3 >= to || bytes[i + 1] != 'C' || bytes[i + 2] != '-') {
                return -1;
            }
            int callIdClose = -1;
            for (int k = i; k < to && k - i <= 24; k++) {
                if (bytes[k] == ']') {
                    callIdClose = k;
                    break;
                }
            }
            if (callIdClose < 0) {
                return -1;
            }
            i = callIdClose + 1;
        }
        if (i < to && bytes[i] == ':') {
            i++;
        }
        return i < to && bytes[i] == ' ' ? close : -1;
    }
}
