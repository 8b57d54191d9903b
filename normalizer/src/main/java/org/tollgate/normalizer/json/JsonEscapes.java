package org.tollgate.normalizer.json;

import java.nio.charset.StandardCharsets;

/**
 * How a string's characters become JSON bytes, as {@link JsonOut}'s class comment says (Jackson's
 * {@code UTF8JsonGenerator.writeString}): the escape tables, the runs of plain ASCII copied whole, and the character
 * loop that writes the rest as escapes and UTF-8. Apart from {@link JsonOut} so that the buffer and its member API
 * read on their own, and so that the encoding, which holds no state, is one place: each method writes into the room
 * its caller ensured (six bytes a character) and returns where it stopped; the buffer keeps its one owner.
 */
final class JsonEscapes {

    /** What {@link #ascii} returns when the text is not all ASCII where it looked: negative, unlike a position. */
    static final int NOT_ASCII = -1;

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    /** For each ASCII character: 0 copied as it is, a letter for a two-character escape, -1 for {@code \\u00XX}. */
    private static final byte[] ESCAPES = new byte[128];

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPES[c] = -1;
        }
        ESCAPES['\b'] = 'b';
        ESCAPES['\t'] = 't';
        ESCAPES['\n'] = 'n';
        ESCAPES['\f'] = 'f';
        ESCAPES['\r'] = 'r';
        ESCAPES['"'] = '"';
        ESCAPES['\\'] = '\\';
    }

    private JsonEscapes() {
    }

    /**
     * Copies the first {@code length} bytes of {@code latin1}, the bytes of {@code text}, escaping as needed, into
     * {@code out} from {@code at}: runs of plain characters ({@link PlainRuns}) with one copy each. Returns where the
     * copy ends, or {@link #NOT_ASCII} (having written part of it) when {@code text} is not all ASCII there, which its
     * {@code latin1} copy alone cannot always tell. Sets {@code copiedQuestionMark[0]} when it copied a {@code ?}: a
     * byte that may have stood for another character.
     */
    static int ascii(byte[] latin1, int length, String text, byte[] out, int at, boolean[] copiedQuestionMark) {
        int i = 0;
        while (true) {
            int run = i;
            i = PlainRuns.end(latin1, i, length);
            System.arraycopy(latin1, run, out, at, i - run);
            at += i - run;
            if (i == length) {
                return at;
            }
            byte b = latin1[i];
            if (b < 0) {
                return NOT_ASCII;
            }
            if (b == '?') {
                if (text.charAt(i) != '?') {
                    return NOT_ASCII; // a character Latin-1 lacks
                }
                copiedQuestionMark[0] = true;
                out[at++] = b;
            } else {
                at = escape(b, ESCAPES[b], out, at);
            }
            i++;
        }
    }

    /**
     * The characters of {@code text} from {@code from} to {@code to}, as {@code UTF8JsonGenerator.writeString} writes
     * them, into {@code out} from {@code at}; returns where they end. {@code pairsAsUtf8}: a surrogate pair as the
     * UTF-8 of its code point rather than as two escapes.
     */
    static int chars(String text, int from, int to, boolean pairsAsUtf8, byte[] out, int at) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                byte escape = ESCAPES[c];
                if (escape == 0) {
                    out[at++] = (byte) c;
                } else {
                    at = escape(c, escape, out, at);
                }
            } else if (c < 0x800) {
                out[at++] = (byte) (0xc0 | (c >> 6));
                out[at++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isSurrogate(c)) {
                if (pairsAsUtf8 && Character.isHighSurrogate(c) && i + 1 < to
                        && Character.isLowSurrogate(text.charAt(i + 1))) {
                    int codePoint = Character.toCodePoint(c, text.charAt(++i));
                    out[at++] = (byte) (0xf0 | (codePoint >> 18));
                    out[at++] = (byte) (0x80 | ((codePoint >> 12) & 0x3f));
                    out[at++] = (byte) (0x80 | ((codePoint >> 6) & 0x3f));
                    out[at++] = (byte) (0x80 | (codePoint & 0x3f));
                } else {
                    at = unicodeEscape(c, out, at);
                }
            } else {
                out[at++] = (byte) (0xe0 | (c >> 12));
                out[at++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                out[at++] = (byte) (0x80 | (c & 0x3f));
            }
        }
        return at;
    }

    private static int escape(int c, byte escape, byte[] out, int at) {
        if (escape > 0) {
            out[at] = '\\';
            out[at + 1] = escape;
            return at + 2;
        }
        return unicodeEscape(c, out, at);
    }

    private static int unicodeEscape(int c, byte[] out, int at) {
        out[at] = '\\';
        out[at + 1] = 'u';
        out[at + 2] = HEX[(c >> 12) & 0xf];
        out[at + 3] = HEX[(c >> 8) & 0xf];
        out[at + 4] = HEX[(c >> 4) & 0xf];
        out[at + 5] = HEX[c & 0xf];
        return at + 6;
    }
}
