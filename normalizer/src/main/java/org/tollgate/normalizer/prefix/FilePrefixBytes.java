package org.tollgate.normalizer.prefix;

/**
 * The prefix of the usual line of an Asterisk log file, {@code [2026-01-18 17:39:50.123] VERBOSE[2290][C-0000001c]
 * pbx.c: …}, read from the line's bytes: nine lines in ten of a busy PBX's log are this one shape, and under the first
 * compiler (as {@code tollgate check} runs) each {@code String.charAt} of {@link PrefixParser} is a call with its own
 * bounds check, where a byte of an array is a load. For a plain line only (each byte one character, as
 * {@code ISO_8859_1} decodes it), so an index in the bytes is the same index in the line's text.
 *
 * <p>Reads only what {@code scanAsteriskStamped}, {@code scanAsteriskBody} and {@code scanModule} of the parser read
 * for such a line, with the same bounds, and sets exactly what they set. Any other turn (no level, a level not in the
 * parser's list, {@code file:123 function: }, {@code Ext. }, {@code <?>}, the file header {@code Asterisk …}) is left to
 * the parser: the scan says so and the caller reads the line as text. Never reads outside {@code [from, to)}.
 */
final class FilePrefixBytes {

    /** The parser's levels as bytes, in the parser's order. */
    private static final byte[][] LEVELS = new byte[PrefixParser.LEVELS.length][];

    static {
        for (int i = 0; i < LEVELS.length; i++) {
            LEVELS[i] = PrefixParser.LEVELS[i].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    private FilePrefixBytes() {
    }

    /**
     * Scans {@code line}, whose bytes are {@code bytes[from, from + line.length())}, into {@code out} as the parser
     * would, when it is a file line of the usual shape; otherwise returns false and the caller scans it as text (what
     * {@code out} then holds is anything).
     */
    static boolean scan(String line, byte[] bytes, int from, PrefixScan out) {
        int to = from + line.length();
        if (to - from < 2 || bytes[from] != '[') {
            return false;
        }
        int limit = Math.min(to, from + 73); // the parser's close - p > 72 is no stamp
        int close = from + 1;
        while (close < limit && bytes[close] != ']') {
            close++;
        }
        if (close >= limit || close + 1 >= to || bytes[close + 1] != ' ') {
            return false;
        }
        int p = close + 2;
        int i = p;
        int levelLimit = Math.min(to, p + 17);
        while (i < levelLimit && bytes[i] >= 'A' && bytes[i] <= 'Z') {
            i++;
        }
        int levelEnd = i;
        if (levelEnd == p || levelEnd - p > 16 || levelEnd >= to) {
            return false;
        }
        if (bytes[i] == ' ' && i + 1 < to && bytes[i + 1] == '[') {
            i++;
        }
        if (bytes[i] != '[') {
            return false;
        }
        int digitsStart = ++i;
        int digitsLimit = Math.min(to, digitsStart + org.tollgate.normalizer.text.Digits.MAX_LONG_DIGITS);
        long thread = 0;
        while (i < digitsLimit && bytes[i] >= '0' && bytes[i] <= '9') {
            thread = thread * 10 + (bytes[i] - '0');
            i++;
        }
        if (i == digitsStart || i >= to || bytes[i] != ']') {
            return false;
        }
        String level = level(bytes, p, levelEnd);
        if (level == null) {
            return false;
        }
        i++;
        out.reset(line);
        out.level = level;
        out.threadId = thread;
        if (i + 3 < to && bytes[i] == '[' && bytes[i + 1] == 'C' && bytes[i + 2] == '-') {
            int callIdLimit = Math.min(to, i + 25); // the parser's close - i <= 24
            int callIdClose = i + 3;
            while (callIdClose < callIdLimit && bytes[callIdClose] != ']') {
                callIdClose++;
            }
            if (callIdClose < callIdLimit) {
                out.callIdFrom = i + 1 - from;
                out.callIdTo = callIdClose - from;
                i = callIdClose + 1;
            }
        }
        if (i < to && bytes[i] == ':') {
            i++;
        }
        if (i < to && bytes[i] == ' ') {
            i++;
        } else if (i < to) {
            return false;
        }
        out.messageStart = i - from;
        if (!module(bytes, i, to, from, out)) {
            return false;
        }
        out.stampSource = line;
        out.stampFrom = 1;
        out.stampTo = close - from;
        out.layout = Layout.FILE;
        out.lineBytes = bytes;
        out.lineOffset = from;
        return true;
    }

    /**
     * The parser's {@code scanModule} at {@code bytes[p]} for a module part that is a file name and a blank, or none;
     * false for the parts the parser reads further ({@code file:123 function: }, {@code <?>}, {@code Ext. }).
     */
    private static boolean module(byte[] bytes, int p, int to, int from, PrefixScan out) {
        if (p + 5 <= to && bytes[p] == 'E' && bytes[p + 1] == 'x' && bytes[p + 2] == 't' && bytes[p + 3] == '.'
                && bytes[p + 4] == ' ') {
            return false;
        }
        int limit = Math.min(to, p + PrefixParser.MAX_FILE_PART);
        int colon = -1;
        for (int i = p; i < limit; i++) {
            int c = bytes[i];
            if (c == ':') {
                colon = i;
                break;
            }
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                    || c == '.' || c == '/' || c == '-';
            if (!ok) {
                break;
            }
        }
        if (colon <= p || colon + 1 >= to) {
            return true; // no module part: the message starts after the level
        }
        int next = bytes[colon + 1];
        if (next == ' ') {
            out.fileFrom = p - from;
            out.fileTo = colon - from;
            out.messageStart = colon + 2 - from;
            return true;
        }
        // "file:123 function: " and "<?>: " are the parser's; after anything else there is no module part.
        return next != '<' && (next < '0' || next > '9');
    }

    /** The parser's level string for {@code bytes[from, to)}, or null when it is not one of its known levels. */
    private static String level(byte[] bytes, int from, int to) {
        int length = to - from;
        for (int k = 0; k < LEVELS.length; k++) {
            byte[] known = LEVELS[k];
            if (known.length == length && known[0] == bytes[from]) {
                int i = 1;
                while (i < length && known[i] == bytes[from + i]) {
                    i++;
                }
                if (i == length) {
                    return PrefixParser.LEVELS[k];
                }
            }
        }
        return null;
    }
}
