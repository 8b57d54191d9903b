package org.tollgate.normalizer.prefix;

import org.tollgate.normalizer.text.Digits;
import org.tollgate.normalizer.time.StampParser;

/**
 * Finds where the message starts in a line of any layout Asterisk 1.4–22 or the syslog/journald around it writes,
 * and what the prefix said on the way. Fixed anchors and {@code charAt}, no regex: this runs for every line.
 */
public final class PrefixParser {

    static final int MAX_FILE_PART = 96;
    private static final int MAX_FUNCTION_PART = 128;

    /**
     * As {@link #scan(String, PrefixScan)} for a plain line (each byte printable ASCII or a TAB, nothing to clean)
     * whose bytes are {@code bytes[from, from + line.length())}: the usual file line is read from its bytes
     * ({@link FilePrefixBytes}), any other as text. Never throws.
     */
    public void scan(String line, byte[] bytes, int from, PrefixScan out) {
        if (!FilePrefixBytes.scan(line, bytes, from, out)) {
            scan(line, out);
        }
    }

    /** Scans {@code line} (already cleaned of colour codes) into {@code out}. Never throws. */
    public void scan(String line, PrefixScan out) {
        out.reset(line);
        int length = line.length();
        if (length == 0) {
            return;
        }
        char first = line.charAt(0);
        if (first == '{') {
            if (JsonRecordPrefix.scan(line, out, this)) {
                return;
            }
            out.reset(line);
            return;
        }
        int p = 0;
        if (first == '<') {
            p = skipPriority(line);
            if (p > 0 && p + 2 < length && line.charAt(p) == '1' && line.charAt(p + 1) == ' ') {
                scanRfc5424(line, p + 2, out);
                return;
            }
        }
        if (p < length && line.charAt(p) == '[') {
            scanAsteriskStamped(line, p, out, Layout.FILE);
            return;
        }
        int afterHeader = scanSyslogHeader(line, p, out);
        if (afterHeader >= 0) {
            out.layout = Layout.SYSLOG;
            scanAfterSyslogHeader(line, afterHeader, out);
            return;
        }
        if (scanAsteriskBody(line, p, out)) {
            out.layout = Layout.MESSAGE_ONLY;
            return;
        }
        int afterTag = scanHostAndTag(line, p, out);
        if (afterTag >= 0) {
            out.layout = Layout.SYSLOG;
            scanAfterSyslogHeader(line, afterTag, out);
            return;
        }
        out.layout = Layout.BARE;
        out.messageStart = p;
    }

    /** {@code [date] LEVEL…}; falls back to a bare line when no level follows the bracket. */
    private void scanAsteriskStamped(String line, int p, PrefixScan out, Layout layout) {
        int close = line.indexOf(']', p + 1);
        if (close < 0 || close - p > 72 || close + 1 >= line.length() || line.charAt(close + 1) != ' ') {
            out.layout = Layout.BARE;
            out.messageStart = p;
            return;
        }
        int bodyStart = close + 2;
        int stampFrom = p + 1;
        if (scanAsteriskBody(line, bodyStart, out)) {
            out.stampSource = line;
            out.stampFrom = stampFrom;
            out.stampTo = close;
            if (out.layout != Layout.PLAIN) {
                out.layout = layout;
            }
            return;
        }
        if (line.startsWith("Asterisk ", bodyStart)) {
            // The header a file channel gets each time it is opened (11+): "[date] Asterisk 20.5.0 built by …".
            out.stampSource = line;
            out.stampFrom = stampFrom;
            out.stampTo = close;
            out.layout = layout;
            out.messageStart = bodyStart;
            return;
        }
        out.layout = Layout.BARE;
        out.messageStart = p;
    }

    /**
     * {@code LEVEL[lwp][C-…] file: }, {@code LEVEL[lwp]: file:123 function: }, {@code LEVEL[lwp]: file:123 in function: },
     * {@code LEVEL [lwp] …}, or {@code LEVEL[lwp]: } alone. Sets level, thread, callid, file, line, function and the
     * message start; false when {@code line[p…]} does not start with a level.
     */
    private boolean scanAsteriskBody(String line, int p, PrefixScan out) {
        int length = line.length();
        int i = p;
        while (i < length && i - p <= 16) {
            char c = line.charAt(i);
            if (c < 'A' || c > 'Z') {
                break;
            }
            i++;
        }
        int levelEnd = i;
        if (levelEnd == p || levelEnd - p > 16 || levelEnd >= length) {
            return false;
        }
        if (line.charAt(i) == ' ' && i + 1 < length && line.charAt(i + 1) == '[') {
            i++;
        }
        if (line.charAt(i) != '[') {
            return false;
        }
        int digitsStart = ++i;
        i = Digits.end(line, digitsStart, length, Digits.MAX_LONG_DIGITS);
        if (i == digitsStart || i >= length || line.charAt(i) != ']') {
            return false;
        }
        long thread = Digits.parseLong(line, digitsStart, i);
        i++;
        out.level = level(line, p, levelEnd);
        out.threadId = thread;
        if (i + 3 < length && line.charAt(i) == '[' && line.charAt(i + 1) == 'C' && line.charAt(i + 2) == '-') {
            int close = line.indexOf(']', i);
            if (close > 0 && close - i <= 24) {
                out.callIdFrom = i + 1;
                out.callIdTo = close;
                i = close + 1;
            }
        }
        boolean colon = false;
        if (i < length && line.charAt(i) == ':') {
            colon = true;
            i++;
        }
        if (i < length && line.charAt(i) == ' ') {
            i++;
        } else if (i < length) {
            return false;
        }
        out.messageStart = i;
        scanModule(line, i, out, colon);
        return true;
    }

    /** The {@code file: } or {@code file:line [in ]function: } part, when there is one; otherwise leaves the message start. */
    private static void scanModule(String line, int p, PrefixScan out, boolean afterColon) {
        int length = line.length();
        int colon = fileNameEnd(line, p, Math.min(length, p + MAX_FILE_PART));
        if (colon <= p || colon + 1 >= length) {
            return;
        }
        char next = line.charAt(colon + 1);
        if (line.startsWith("<?>: ", colon + 1)) {
            // [plain] formatter with line 0 dropped: "pjproject:<?>: "
            out.fileFrom = p;
            out.fileTo = colon;
            out.functionString = "<?>";
            out.messageStart = colon + 6;
            if (afterColon && out.layout != Layout.SYSLOG) {
                out.layout = Layout.PLAIN;
            }
            return;
        }
        if (next == ' ') {
            out.fileFrom = p;
            out.fileTo = colon;
            out.messageStart = colon + 2;
            return;
        }
        if (!Digits.isDigit(next)) {
            return;
        }
        long scanned = Digits.scanInt(line, colon + 1, length, 7);
        int i = Digits.end(scanned);
        if (i >= length || line.charAt(i) != ' ') {
            return;
        }
        int lineNumber = Digits.value(scanned);
        i++;
        if (i + 3 <= length && line.startsWith("in ", i)) {
            i += 3;
        }
        int functionEnd = line.indexOf(": ", i);
        if (functionEnd < 0) {
            // A message that is empty after the function: "file:1 function:" at the very end.
            if (line.endsWith(":") && length - 1 - i <= MAX_FUNCTION_PART) {
                functionEnd = length - 1;
            } else {
                return;
            }
        }
        if (functionEnd - i > MAX_FUNCTION_PART || functionEnd == i) {
            return;
        }
        out.fileFrom = p;
        out.fileTo = colon;
        out.fileLine = lineNumber;
        out.functionFrom = i;
        out.functionTo = functionEnd;
        out.messageStart = Math.min(length, functionEnd + 2);
        if (afterColon && out.layout != Layout.SYSLOG) {
            out.layout = Layout.PLAIN;
        }
    }

    /**
     * The first colon in {@code line[from, limit)} when what comes before it is a source file as {@code __FILE__} gives
     * it ({@code chan_sip.c}, {@code res_pjsip/pjsip_distributor.c}), {@code pjproject}, or {@code Ext. <exten>};
     * otherwise -1. One pass: a character no file name has ends the search.
     */
    private static int fileNameEnd(String line, int from, int limit) {
        if (line.startsWith("Ext. ", from)) {
            int colon = line.indexOf(':', from);
            return colon >= 0 && colon < limit && colon - from > 5 ? colon : -1;
        }
        for (int i = from; i < limit; i++) {
            char c = line.charAt(i);
            if (c == ':') {
                return i;
            }
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                    || c == '.' || c == '/' || c == '-';
            if (!ok) {
                return -1;
            }
        }
        return -1;
    }

    static final String[] LEVELS = {
        "NOTICE", "WARNING", "ERROR", "VERBOSE", "DEBUG", "SECURITY", "DTMF", "EVENT", "TRACE", "FAX",
    };

    private static String level(String line, int from, int to) {
        int length = to - from;
        // The usual levels by their first letter and length, one comparison each; the rest through the list.
        String likely = switch (line.charAt(from)) {
            case 'V' -> LEVELS[3];
            case 'D' -> length == 5 ? LEVELS[4] : LEVELS[6];
            case 'N' -> LEVELS[0];
            case 'W' -> LEVELS[1];
            case 'E' -> LEVELS[2];
            case 'S' -> LEVELS[5];
            default -> null;
        };
        if (likely != null && likely.length() == length && line.regionMatches(from, likely, 0, length)) {
            return likely;
        }
        for (String known : LEVELS) {
            if (known.length() == length && line.regionMatches(from, known, 0, length)) {
                return known;
            }
        }
        return line.substring(from, to);
    }

    /** {@code <13>}: returns the index after the {@code >}, or 0. */
    private static int skipPriority(String line) {
        int length = Math.min(line.length(), 5);
        for (int i = 1; i < length; i++) {
            char c = line.charAt(i);
            if (c == '>') {
                return i > 1 ? i + 1 : 0;
            }
            if (!Digits.isDigit(c)) {
                return 0;
            }
        }
        return 0;
    }

    /**
     * A syslog header: {@code Mmm dd hh:mm:ss host tag[pid]: } or {@code 2026-01-18T17:39:50.123+01:00 host tag: },
     * also without a host ({@code Mar 15 19:56:58 asterisk[3187]: }, 1.4's event_log). Returns the index after it, or -1.
     */
    private static int scanSyslogHeader(String line, int p, PrefixScan out) {
        int length = line.length();
        int stampEnd;
        int time = bsdTimeStart(line, p);
        if (time > 0) {
            stampEnd = time + 8;
            if (stampEnd < length && line.charAt(stampEnd) == '.') {
                stampEnd = Digits.end(line, stampEnd + 1, length);
            }
            if (stampEnd + 5 <= length && line.charAt(stampEnd) == ' ' && isYear(line, stampEnd + 1)
                    && stampEnd + 5 < length && line.charAt(stampEnd + 5) == ' ') {
                stampEnd += 5; // "Mar  1 15:35:53 2026 host …"
            }
        } else if (p + 20 <= length && isYear(line, p) && line.charAt(p + 4) == '-' && line.charAt(p + 7) == '-'
                && (line.charAt(p + 10) == 'T' || line.charAt(p + 10) == ' ') && line.charAt(p + 13) == ':') {
            stampEnd = line.indexOf(' ', p + 11);
            if (line.charAt(p + 10) == ' ') {
                stampEnd = line.indexOf(' ', p + 11);
            }
            if (stampEnd < 0 || stampEnd - p > 40) {
                return -1;
            }
        } else {
            return -1;
        }
        if (stampEnd >= length || line.charAt(stampEnd) != ' ') {
            return -1;
        }
        int tokenStart = stampEnd + 1;
        int tokenEnd = line.indexOf(' ', tokenStart);
        if (tokenEnd < 0 || tokenEnd == tokenStart) {
            return -1;
        }
        out.stampSource = line;
        out.stampFrom = p;
        out.stampTo = stampEnd;
        if (line.charAt(tokenEnd - 1) == ':' && isProgramTag(line, tokenStart, tokenEnd - 1)) {
            setProgram(line, tokenStart, tokenEnd - 1, out);
            return tokenEnd + 1;
        }
        out.hostname = line.substring(tokenStart, tokenEnd);
        int tagStart = tokenEnd + 1;
        int tagEnd = line.indexOf(": ", tagStart);
        if (tagEnd > tagStart && tagEnd - tagStart <= 128 && isProgramTag(line, tagStart, tagEnd)) {
            setProgram(line, tagStart, tagEnd, out);
            return tagEnd + 2;
        }
        return tagStart;
    }

    /**
     * Where {@code hh:mm:ss} starts in a BSD syslog date at {@code p}: {@code Nov 14 18:30:40}, {@code Nov  4 18:30:40}
     * (the day padded with a space, as RFC 3164 and rsyslog write it) or {@code Nov 4 18:30:40} (unpadded, as some
     * daemons and collectors write it); -1 when there is none.
     */
    private static int bsdTimeStart(String line, int p) {
        int length = line.length();
        if (p + 14 >= length || line.charAt(p + 3) != ' ' || StampParser.monthOf(line, p, 3) <= 0) {
            return -1;
        }
        int day = line.charAt(p + 4) == ' ' ? p + 5 : p + 4;
        int dayEnd = Digits.end(line, day, length, 2);
        if (dayEnd == day || dayEnd >= length || line.charAt(dayEnd) != ' ') {
            return -1;
        }
        int time = dayEnd + 1;
        if (time + 8 >= length || line.charAt(time + 2) != ':' || line.charAt(time + 5) != ':'
                || !Digits.all(line, time, time + 2) || !Digits.all(line, time + 3, time + 5)
                || !Digits.all(line, time + 6, time + 8)) {
            return -1;
        }
        return time;
    }

    /**
     * A syslog header without its date, as journald's systemd backend hands lines on: {@code pbx1 asterisk[4010]: }
     * or {@code asterisk[4010]: }. The tag must carry a bracketed pid, so that a message is never taken for one.
     */
    private static int scanHostAndTag(String line, int p, PrefixScan out) {
        int colon = line.indexOf("]: ", p);
        if (colon < 0 || colon - p > 200) {
            return -1;
        }
        int tagEnd = colon + 1;
        int open = line.lastIndexOf('[', colon);
        if (open <= p || open + 1 == colon || !Digits.all(line, open + 1, colon)) {
            return -1;
        }
        int space = line.lastIndexOf(' ', open);
        int tagStart = space < p ? p : space + 1;
        if (tagStart == open || !isProgramTag(line, tagStart, tagEnd)) {
            return -1;
        }
        if (tagStart > p) {
            // A host before the tag: one token, nothing else.
            if (line.indexOf(' ', p) != tagStart - 1 || !isProgramTag(line, p, tagStart - 1)) {
                return -1;
            }
            out.hostname = line.substring(p, tagStart - 1);
        }
        setProgram(line, tagStart, tagEnd, out);
        return colon + 3;
    }

    private static boolean isProgramTag(String line, int from, int to) {
        if (to <= from) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\'' || c == '"') {
                return false;
            }
        }
        return true;
    }

    private static void setProgram(String line, int from, int to, PrefixScan out) {
        int bracket = line.indexOf('[', from);
        if (bracket > from && bracket < to && line.charAt(to - 1) == ']') {
            out.program = line.substring(from, bracket);
            out.pid = Digits.parseLong(line, bracket + 1, to - 1);
        } else {
            out.program = line.substring(from, to);
        }
    }

    /** After a syslog header: Asterisk's own stamp (a double timestamp), an Asterisk body, or a plain message. */
    private void scanAfterSyslogHeader(String line, int p, PrefixScan out) {
        int length = line.length();
        out.messageStart = p;
        if (p < length && line.charAt(p) == '[') {
            int close = line.indexOf(']', p + 1);
            if (close > 0 && close - p <= 72 && close + 1 < length && line.charAt(close + 1) == ' ') {
                Layout saved = out.layout;
                if (scanAsteriskBody(line, close + 2, out)) {
                    // Asterisk's own stamp is the one its dateformat wrote: prefer it (it may carry the year and ms).
                    out.stampFrom = p + 1;
                    out.stampTo = close;
                }
                out.layout = saved;
                return;
            }
        }
        Layout saved = out.layout;
        scanAsteriskBody(line, p, out);
        out.layout = saved;
    }

    /** {@code <PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD] MSG}. */
    private void scanRfc5424(String line, int p, PrefixScan out) {
        out.layout = Layout.SYSLOG_5424;
        int[] bounds = new int[2];
        int i = p;
        String[] fields = new String[5];
        for (int f = 0; f < 5; f++) {
            int end = line.indexOf(' ', i);
            if (end < 0) {
                out.messageStart = Math.min(i, line.length());
                return;
            }
            fields[f] = line.substring(i, end);
            if (f == 0) {
                bounds[0] = i;
                bounds[1] = end;
            }
            i = end + 1;
        }
        if (!"-".equals(fields[0])) {
            out.stampSource = line;
            out.stampFrom = bounds[0];
            out.stampTo = bounds[1];
        }
        out.hostname = nil(fields[1]);
        out.program = nil(fields[2]);
        out.pid = fields[3] == null ? -1 : Digits.parseLong(fields[3], 0, fields[3].length());
        // Structured data: "-" or one or more [id k="v"] elements.
        if (i < line.length() && line.charAt(i) == '-') {
            i += 2;
        } else {
            while (i < line.length() && line.charAt(i) == '[') {
                int close = findSdEnd(line, i);
                if (close < 0) {
                    break;
                }
                i = close + 1;
            }
            if (i < line.length() && line.charAt(i) == ' ') {
                i++;
            }
        }
        i = Math.min(i, line.length());
        if (line.startsWith("\uFEFF", i)) {
            i++;
        }
        out.messageStart = i;
        Layout saved = out.layout;
        scanAfterSyslogHeader(line, i, out);
        out.layout = saved;
    }

    private static int findSdEnd(String line, int open) {
        boolean quoted = false;
        for (int i = open + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ']') {
                return i;
            }
        }
        return -1;
    }

    private static String nil(String field) {
        return field == null || "-".equals(field) ? null : field;
    }

    private static boolean isYear(String line, int p) {
        return p + 4 <= line.length() && Digits.all(line, p, p + 4);
    }
}
