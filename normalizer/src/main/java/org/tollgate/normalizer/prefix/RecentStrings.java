package org.tollgate.normalizer.prefix;

/**
 * The strings last cut out of lines for one part of the prefix (the file, the call id), so that a part that comes
 * again is handed out as the string already cut rather than as a new copy: a busy log names a few files and the calls
 * in progress on line after line. A slot per a few characters of the part; a part that meets another in its slot
 * takes its place. Bounded ({@value #SLOTS} strings); the text handed out is always the part's own.
 */
final class RecentStrings {

    private static final int SLOTS = 64;

    private final String[] kept = new String[SLOTS];

    /** {@code text[from, to)}: the kept string when it is that text, else a new one, kept from now on. */
    String cut(String text, int from, int to) {
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
        return cut;
    }
}
