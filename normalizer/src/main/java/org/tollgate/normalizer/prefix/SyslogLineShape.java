package org.tollgate.normalizer.prefix;

/**
 * The byte-level test for the common line of Asterisk's log through syslog, {@code Jan 18 17:39:51 pbx1
 * asterisk[2281]: NOTICE[2290]: chan_sip.c:28912 in f: …}, before the line is decoded: a line of this shape is one
 * {@link PrefixParser} reads as {@link Layout#SYSLOG} with the syslog stamp as its stamp, from the line's first byte
 * to the blank after the time; never a bare line.
 *
 * <p>The shape is a strict part of what {@code scanSyslogHeader} accepts and of what {@code scanAfterSyslogHeader}
 * leaves alone: a month as written ({@code Jan} to {@code Dec}), a blank, a day of one or two digits (a padding blank
 * before one digit), a blank, {@code hh:mm:ss} with an optional fraction, a blank, and a host or tag ended by a blank.
 * Lines the parser reads otherwise are not of the shape: a year after the time (four digits there, which move the
 * stamp's end), and a {@code [} where the message may start (after that first token, or after the first {@code ": "}
 * behind it), where an Asterisk stamp would take the stamp's place.
 */
public final class SyslogLineShape {

    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    private SyslogLineShape() {
    }

    /**
     * Where the stamp ends, the index of the blank after it, when {@code bytes[from, to)} (one line, ASCII) has the
     * shape above; -1 when it has not. The stamp is {@code bytes[from, stampEnd)}, as the prefix parser reads it.
     */
    public static int stampEnd(byte[] bytes, int from, int to) {
        if (to - from < 20 || !isMonth(bytes, from) || bytes[from + 3] != ' ') {
            return -1;
        }
        int day = bytes[from + 4] == ' ' ? from + 5 : from + 4;
        int dayEnd = day;
        while (dayEnd < to && dayEnd - day < 2 && isDigit(bytes[dayEnd])) {
            dayEnd++;
        }
        if (dayEnd == day || dayEnd >= to || bytes[dayEnd] != ' ') {
            return -1;
        }
        int time = dayEnd + 1;
        if (time + 8 >= to || !digits(bytes, time, time + 2) || bytes[time + 2] != ':'
                || !digits(bytes, time + 3, time + 5) || bytes[time + 5] != ':' || !digits(bytes, time + 6, time + 8)) {
            return -1;
        }
        int stampEnd = time + 8;
        if (bytes[stampEnd] == '.') {
            stampEnd++;
            while (stampEnd < to && isDigit(bytes[stampEnd])) {
                stampEnd++;
            }
        }
        if (stampEnd >= to || bytes[stampEnd] != ' '
                || stampEnd + 5 <= to && digits(bytes, stampEnd + 1, stampEnd + 5)) {
            return -1;
        }
        int tokenStart = stampEnd + 1;
        int tokenEnd = indexOf(bytes, tokenStart, to, ' ');
        if (tokenEnd < 0 || tokenEnd == tokenStart) {
            return -1;
        }
        int after = tokenEnd + 1;
        if (after < to && bytes[after] == '[') {
            return -1;
        }
        for (int i = after; i + 1 < to; i++) {
            if (bytes[i] == ':' && bytes[i + 1] == ' ') {
                return i + 2 < to && bytes[i + 2] == '[' ? -1 : stampEnd;
            }
        }
        return stampEnd;
    }

    private static boolean isMonth(byte[] bytes, int at) {
        for (int m = 0; m < MONTHS.length(); m += 3) {
            if (bytes[at] == MONTHS.charAt(m) && bytes[at + 1] == MONTHS.charAt(m + 1)
                    && bytes[at + 2] == MONTHS.charAt(m + 2)) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(byte[] bytes, int from, int to, char c) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static boolean digits(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isDigit(bytes[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }
}
