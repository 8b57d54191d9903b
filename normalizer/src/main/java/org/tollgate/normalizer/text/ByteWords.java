package org.tollgate.normalizer.text;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Eight bytes of a byte array read as one little-endian {@code long} and tested all at once: the byte-level scans of
 * the line splitter and the noise filter look at a word where a loop would look at eight bytes.
 *
 * <p>Each test returns a mask with the high bit of every byte that passes it set and every other bit clear, exact per
 * byte (no carry crosses from one byte into the next), so {@link #firstByte} of a mask is the first byte that passed,
 * and the bit after it says nothing wrong about the bytes behind. Little-endian: the byte at the lowest index is the
 * lowest byte of the word.
 *
 * <p>The array view {@link VarHandle} is used rather than a {@code ByteBuffer}: on this JDK 17 both compilers turn it
 * into one load (the first compiler alone, as {@code tollgate check} runs, counts the line feeds of the 148 MB
 * million-line log in 75 ms with it, 130 ms through a little-endian {@code ByteBuffer}).
 */
public final class ByteWords {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final long ONES = 0x0101010101010101L;
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
    private static final long HIGH = 0x8080808080808080L;

    private ByteWords() {
    }

    /** The eight bytes {@code bytes[at, at + 8)} as one word, the first in its lowest byte. */
    public static long word(byte[] bytes, int at) {
        return (long) LONGS.get(bytes, at);
    }

    /** The high bit of each byte of {@code word} that is {@code value}. */
    public static long equal(long word, byte value) {
        long x = word ^ (ONES * (value & 0xFF));
        // A byte's low seven bits plus 0x7F reach its high bit unless they are all zero; its own high bit is or'ed in.
        return ~(((x & LOW7) + LOW7) | x) & HIGH;
    }

    /**
     * The high bit of each byte of {@code word} that is a line feed or not plain text: a control byte other than TAB
     * (CR, NUL, ESC, the line feed itself), DEL, any byte above 0x7F (UTF-8 beyond ASCII, or no text at all), or
     * {@code #} (it may start rsyslog's escape: {@code #011}, {@code #033[}; {@link #plainHash} tells). A line in which
     * each such byte before its line feed is a {@link #plainHash} is printable ASCII that needs no cleaning.
     */
    public static long lineFeedOrNotPlain(long word) {
        long low = word & LOW7;
        long belowSpace = ~(low + ONES * 0x60); // the high bit stays clear from 0x20 up
        long del = low + ONES;                  // the high bit is set only by 0x7F
        return (word | (belowSpace & ~equal(word, (byte) '\t')) | del | equal(word, (byte) '#')) & HIGH;
    }

    /**
     * True when the {@code #} at {@code bytes[at]} starts no rsyslog escape: the byte after it (before {@code to}) is
     * not {@code 0}, or there is none. The escapes that change a line ({@code #033[}, {@code #011}) start with
     * {@code #0}; a {@code #} otherwise ({@code (Attempt #3)}) is plain text, and leaves a line plain.
     */
    public static boolean plainHash(byte[] bytes, int at, int to) {
        return at + 1 >= to || bytes[at + 1] != '0';
    }

    /** True when {@code bytes[at, at + word.length)} are {@code word}'s bytes; {@code at + word.length} in bounds. */
    public static boolean startsWith(byte[] bytes, int at, byte[] word) {
        return same(word, 0, bytes, at, word.length);
    }

    /**
     * True when {@code a[aFrom, aFrom + length)} and {@code b[bFrom, bFrom + length)} hold the same bytes, compared a
     * word at a time; both ranges in bounds.
     */
    public static boolean same(byte[] a, int aFrom, byte[] b, int bFrom, int length) {
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            if (word(a, aFrom + i) != word(b, bFrom + i)) {
                return false;
            }
        }
        for (; i < length; i++) {
            if (a[aFrom + i] != b[bFrom + i]) {
                return false;
            }
        }
        return true;
    }

    /** The index of the first {@code value} in {@code bytes[from, to)}, a word at a time, or {@code to}. */
    public static int indexOf(byte[] bytes, byte value, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long found = equal(word(bytes, i), value);
            if (found != 0) {
                return i + firstByte(found);
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == value) {
                return i;
            }
        }
        return to;
    }

    /** The index within the word (0 to 7) of the first byte whose high bit {@code mask} sets; {@code mask} non-zero. */
    public static int firstByte(long mask) {
        return Long.numberOfTrailingZeros(mask) >>> 3;
    }
}
