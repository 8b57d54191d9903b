package org.tollgate.normalizer;

/**
 * Removes what is not text from a line before it is read: the line end, NUL bytes, ANSI colour sequences (raw
 * {@code ESC[…m} or rsyslog's escaped {@code #033[…m}) and other control characters but TAB; rsyslog's {@code #011}
 * becomes a TAB again. A clean line, the usual case, is returned as is.
 */
public final class LineCleaner {

    /** A buffer size for {@link #clean(String, int[], byte[])} that holds nearly every log line. */
    public static final int SCRATCH_BYTES = 4096;

    private LineCleaner() {
    }

    public static String clean(String line) {
        return clean(line, null);
    }

    /**
     * Cleans {@code line} and, when {@code binaryCount} is given, stores in its first element how many of the line's
     * characters are control characters or undecodable bytes (U+FFFD), for {@link #isBinary(int, int)}: one pass over
     * the line does both.
     */
    public static String clean(String line, int[] binaryCount) {
        return clean(line, binaryCount, null);
    }

    /**
     * As {@link #clean(String, int[])}, with a buffer of {@link #SCRATCH_BYTES} the caller keeps for its lines (or null):
     * the low-byte test of a line that fits copies into it instead of a new array.
     */
    public static String clean(String line, int[] binaryCount, byte[] scratch) {
        int length = line.length();
        while (length > 0 && (line.charAt(length - 1) == '\r' || line.charAt(length - 1) == '\n')) {
            length--;
        }
        if (printable(line, length, scratch)) {
            if (binaryCount != null) {
                binaryCount[0] = 0;
            }
            return length == line.length() ? line : line.substring(0, length);
        }
        return cleanChars(line, length, binaryCount);
    }

    /** {@link #clean(String, int[])} of the first {@code length} characters, read one by one. */
    static String cleanChars(String line, int length, int[] binaryCount) {
        boolean dirty = false;
        int bad = 0;
        for (int i = 0; i < length; i++) {
            char c = line.charAt(i);
            // One test for the common case: printable ASCII other than '#'.
            if (c >= 0x20 && c < 0x7f && c != '#') {
                continue;
            }
            if (c < 0x20) {
                if (c != '\t') {
                    dirty = true;
                    if (c != '\r' && c != 0x1b) {
                        bad++;
                    }
                }
            } else if (c == 0x7f) {
                dirty = true;
            } else if (c == '\uFFFD') {
                bad++;
            } else if (c == '#' && i + 3 < length && line.charAt(i + 1) == '0'
                    && (line.startsWith("#033[", i) || line.startsWith("#011", i))) {
                dirty = true;
            }
        }
        if (binaryCount != null) {
            binaryCount[0] = bad;
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
            if (c == '#' && line.startsWith("#011", i) && line.charAt(0) != '{') {
                // (Not in a JSON record, where a raw TAB in a string would make the record unreadable.)
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

    /**
     * True when the first {@code length} characters need nothing of {@link #cleanChars}: each is a TAB, printable ASCII
     * other than {@code #}, or a character beyond Latin-1 other than U+FFFD (which the character loop passes over). Tested
     * on a copy of each character's low byte, which for a Latin-1 string (nearly every line) is a copy of its bytes:
     * much cheaper than reading it character by character. A character beyond Latin-1 whose low byte is printable
     * ASCII passes, as it should; U+FFFD's low byte does not, so it still takes the character loop and is counted.
     */
    @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int): the low byte of each char, no charset
    private static boolean printable(String line, int length, byte[] scratch) {
        byte[] low = scratch != null && scratch.length >= length ? scratch : new byte[length];
        line.getBytes(0, length, low, 0);
        for (int i = 0; i < length; i++) {
            byte b = low[i];
            if (b > '#') { // most characters: two comparisons
                if (b == 0x7f) {
                    return false;
                }
                continue;
            }
            if (b < 0x20 ? b != '\t' : b == '#') { // signed: 0x80 and above are below 0x20
                return false;
            }
        }
        return true;
    }

    /**
     * {@code i} is just after ESC (or rsyslog's {@code #033}): skips a control sequence as the console's colours are,
     * {@code [}, digits and {@code ;}, a letter. Anything else stays (only the ESC itself goes): a sender's header can
     * end in an ESC, and the text after it is Asterisk's own, which must survive.
     */
    private static int skipEscape(String line, int i, int length) {
        if (i < length && line.charAt(i) == '[') {
            int j = i + 1;
            while (j < length && ((line.charAt(j) >= '0' && line.charAt(j) <= '9') || line.charAt(j) == ';')) {
                j++;
            }
            if (j < length && ((line.charAt(j) >= 'a' && line.charAt(j) <= 'z') || (line.charAt(j) >= 'A' && line.charAt(j) <= 'Z'))) {
                return j + 1;
            }
        }
        return i;
    }

    /** True when more than a quarter of a line of {@code length} characters is control characters or U+FFFD. */
    static boolean isBinary(int binaryCount, int length) {
        return length > 0 && binaryCount * 4 > length;
    }

    /** True when most of the line is control characters or undecodable bytes (U+FFFD). */
    static boolean isBinary(String raw) {
        int[] count = new int[1];
        clean(raw, count);
        return isBinary(count[0], raw.length());
    }
}
