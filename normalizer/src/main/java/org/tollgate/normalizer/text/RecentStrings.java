package org.tollgate.normalizer.text;

import java.util.Arrays;

/**
 * The strings last cut out of lines for one part of them (a prefix's file or call id, a dialplan line's channel), so
 * that a part that comes again is handed out as the string already cut rather than as a new copy: a busy log names a
 * few files and the calls in progress on line after line. A slot per a few characters of the part; a part that meets
 * another in its slot takes its place. Bounded ({@value #SLOTS} strings); the text handed out is always the part's own.
 */
public final class RecentStrings {

    private static final int SLOTS = 64;

    private final String[] kept = new String[SLOTS];
    /**
     * The bytes of {@link #kept}'s string in the same slot when it was cut from a plain line's bytes, else null: a
     * part of the next such line is compared with them, array to array, rather than character by character.
     */
    private final byte[][] keptBytes = new byte[SLOTS][];

    /** {@code text[from, to)}: the kept string when it is that text, else a new one, kept from now on. */
    public String cut(String text, int from, int to) {
        int length = to - from;
        if (length <= 0) {
            return text.substring(from, to);
        }
        // The last two characters tell call ids apart (C-0000001c), the length and the middle one file names.
        int slot = (length * 31 + text.charAt(to - 1) * 7 + text.charAt(to - 1 - length / 2) * 3
                + text.charAt(Math.max(from, to - 2))) & (SLOTS - 1);
        String known = kept[slot];
        if (known != null && known.length() == length && known.regionMatches(0, text, from, length)) {
            return known;
        }
        String cut = text.substring(from, to);
        kept[slot] = cut;
        keptBytes[slot] = null;
        return cut;
    }

    /**
     * As {@link #cut(String, int, int)} for a plain line (each byte one character, as {@code ISO_8859_1} decodes it)
     * whose bytes are {@code bytes[offset, offset + text.length())}, compared from its bytes: under the first
     * compiler each {@code charAt} is a call with its own bounds check, a byte of an array a load.
     */
    public String cut(String text, int from, int to, byte[] bytes, int offset) {
        int length = to - from;
        if (length <= 0) {
            return text.substring(from, to);
        }
        int end = offset + to;
        // The slot cut(String, int, int) picks: a plain line's bytes are its characters.
        int slot = (length * 31 + bytes[end - 1] * 7 + bytes[end - 1 - length / 2] * 3
                + bytes[Math.max(offset + from, end - 2)]) & (SLOTS - 1);
        byte[] known = keptBytes[slot];
        if (known != null && known.length == length && ByteWords.same(known, 0, bytes, offset + from, length)) {
            return kept[slot];
        }
        String cut = text.substring(from, to);
        kept[slot] = cut;
        keptBytes[slot] = Arrays.copyOfRange(bytes, offset + from, end);
        return cut;
    }
}
