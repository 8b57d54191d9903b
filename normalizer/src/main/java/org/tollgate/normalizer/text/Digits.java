package org.tollgate.normalizer.text;

/**
 * Decimal digits in a range of text, read in place: the one place the prefix, stamp, message and address parsers
 * scan and read numbers. Every method takes {@code [from, to)} and never reads outside it; none allocates.
 */
public final class Digits {

    /** Values of more digits than this do not fit a {@code long} read here. */
    public static final int MAX_LONG_DIGITS = 18;
    /** Values of more digits than this do not fit an {@code int} read here. */
    public static final int MAX_INT_DIGITS = 9;

    private Digits() {
    }

    public static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The index of the first character at or after {@code from} (and before {@code to}) that is not a digit, or {@code to}. */
    public static int end(CharSequence text, int from, int to) {
        int i = from;
        while (i < to && isDigit(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The end of the digits at {@code from}, reading at most {@code maxDigits} of them. */
    public static int end(CharSequence text, int from, int to, int maxDigits) {
        return end(text, from, Math.min(to, from + maxDigits));
    }

    /** The index of the first digit of the run of digits that ends just before {@code end}, not before {@code from}. */
    public static int startBefore(CharSequence text, int from, int end) {
        int i = end;
        while (i > from && isDigit(text.charAt(i - 1))) {
            i--;
        }
        return i;
    }

    /**
     * Reads the run of at most {@code maxDigits} (at most {@link #MAX_INT_DIGITS}) digits at {@code from} in one pass:
     * where it ends and its value, packed as {@code end << 32 | value} (see {@link #end(long)}, {@link #value(long)});
     * the value is 0 when there is no digit.
     */
    public static long scanInt(CharSequence text, int from, int to, int maxDigits) {
        int limit = Math.min(to, from + Math.min(maxDigits, MAX_INT_DIGITS));
        int value = 0;
        int i = from;
        while (i < limit) {
            char c = text.charAt(i);
            if (!isDigit(c)) {
                break;
            }
            value = value * 10 + (c - '0');
            i++;
        }
        return (long) i << 32 | value;
    }

    /** Where the run {@link #scanInt} read ends. */
    public static int end(long scanned) {
        return (int) (scanned >>> 32);
    }

    /** The value of the run {@link #scanInt} read. */
    public static int value(long scanned) {
        return (int) scanned;
    }

    /** True when {@code [from, to)} is one or more digits and nothing else. */
    public static boolean all(CharSequence text, int from, int to) {
        return to > from && end(text, from, to) == to;
    }

    /**
     * The value of the digits filling {@code [from, to)}, or -1 when the range is empty, holds anything but digits, or
     * has more than {@code maxDigits} of them (at most {@link #MAX_LONG_DIGITS}).
     */
    public static long parseLong(CharSequence text, int from, int to, int maxDigits) {
        if (from >= to || to - from > Math.min(maxDigits, MAX_LONG_DIGITS)) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** {@link #parseLong} for at most {@link #MAX_LONG_DIGITS} digits. */
    public static long parseLong(CharSequence text, int from, int to) {
        return parseLong(text, from, to, MAX_LONG_DIGITS);
    }

    /** {@link #parseLong} as an int, for at most {@code maxDigits} (at most {@link #MAX_INT_DIGITS}) digits. */
    public static int parseInt(CharSequence text, int from, int to, int maxDigits) {
        return (int) parseLong(text, from, to, Math.min(maxDigits, MAX_INT_DIGITS));
    }

    /** {@link #parseInt} for at most {@link #MAX_INT_DIGITS} digits. */
    public static int parseInt(CharSequence text, int from, int to) {
        return parseInt(text, from, to, MAX_INT_DIGITS);
    }
}
