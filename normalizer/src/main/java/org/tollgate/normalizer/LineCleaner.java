package org.tollgate.normalizer;

/**
 * Removes what is not text from a line before it is read: the line end, NUL bytes, ANSI colour sequences (raw
 * {@code ESC[…m} or rsyslog's escaped {@code #033[…m}) and other control characters but TAB; rsyslog's {@code #011}
 * becomes a TAB again. A clean line, the usual case, is returned as is.
 */
final class LineCleaner {

    private LineCleaner() {
    }

    static String clean(String line) {
        int length = line.length();
        while (length > 0 && (line.charAt(length - 1) == '\r' || line.charAt(length - 1) == '\n')) {
            length--;
        }
        boolean dirty = false;
        for (int i = 0; i < length; i++) {
            char c = line.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f || (c == '#' && i + 3 < length && line.charAt(i + 1) == '0'
                    && (line.startsWith("#033[", i) || line.startsWith("#011", i)))) {
                dirty = true;
                break;
            }
        }
        if (!dirty) {
            return length == line.length() ? line : line.substring(0, length);
        }
        StringBuilder out = new StringBuilder(length);
        int i = 0;
        while (i < length) {
            char c = line.charAt(i);
            if (c == 0x1b) {
                i = skipEscape(line, i + 1, length);
                continue;
            }
            if (c == '#' && line.startsWith("#033[", i)) {
                i = skipEscape(line, i + 4, length);
                continue;
            }
            if (c == '#' && line.startsWith("#011", i)) {
                out.append('\t');
                i += 4;
                continue;
            }
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                i++;
                continue;
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    /** {@code i} is just after ESC: skips a CSI sequence {@code [ params final} or a single following character. */
    private static int skipEscape(String line, int i, int length) {
        if (i < length && line.charAt(i) == '[') {
            i++;
            while (i < length) {
                char c = line.charAt(i++);
                if (c >= 0x40 && c <= 0x7e) {
                    break;
                }
            }
            return i;
        }
        return Math.min(i + 1, length);
    }

    /** True when most of the line is control characters or undecodable bytes (U+FFFD). */
    static boolean isBinary(String raw) {
        int length = raw.length();
        if (length == 0) {
            return false;
        }
        int bad = 0;
        for (int i = 0; i < length; i++) {
            char c = raw.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\r' && c != 0x1b) || c == '\uFFFD') {
                bad++;
            }
        }
        return bad * 4 > length;
    }
}
