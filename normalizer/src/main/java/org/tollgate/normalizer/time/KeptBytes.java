package org.tollgate.normalizer.time;

import java.time.Instant;
import org.tollgate.normalizer.text.ByteWords;

/**
 * The kept stamps of a {@link StampResolver} compared with a plain line's stamp from its bytes: a log's lines are read
 * in order, most in the second of the line before, so most stamps are a kept one but for the fraction's digits.
 */
final class KeptBytes {

    private KeptBytes() {
    }

    /**
     * The bytes of {@code text[from, to)} when each character is ASCII, else null: what a plain line's stamp is later
     * compared with.
     */
    static byte[] ascii(String text, int from, int to) {
        byte[] bytes = new byte[to - from];
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                return null;
            }
            bytes[i - from] = (byte) c;
        }
        return bytes;
    }

    /**
     * What {@code StampResolver.inSecond} gives for the stamp {@code text[from…]} of {@code k}'s length, read from its
     * bytes {@code bytes[at, at + k.length)}: {@code k}'s instant with the stamp's fraction when the stamp is
     * {@code k}'s text ({@code k.bytes}) but for the fraction's digits, which are digits again; else null.
     */
    static Instant inSecond(StampResolver.Kept k, String text, int from, byte[] bytes, int at) {
        byte[] known = k.bytes;
        if (!ByteWords.same(known, 0, bytes, at, k.fractionFrom)
                || !ByteWords.same(known, k.fractionTo, bytes, at + k.fractionTo, k.length - k.fractionTo)) {
            return null;
        }
        int nanos = 0;
        for (int i = k.fractionFrom; i < k.fractionTo && nanos >= 0; i++) {
            nanos = StampResolver.withDigit(nanos, i - k.fractionFrom, bytes[at + i]);
        }
        if (nanos < 0) {
            return null;
        }
        StampResolver.moveTo(k, text, from, StampResolver.scaled(nanos, k.fractionTo - k.fractionFrom));
        return k.instant;
    }
}
