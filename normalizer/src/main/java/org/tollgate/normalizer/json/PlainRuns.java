package org.tollgate.normalizer.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds, eight bytes at a time, where a run of a string's Latin-1 bytes that {@link JsonOut} copies as they are ends:
 * at the first byte below U+0020, {@code "}, {@code \}, {@code ?} (which may stand for a character Latin-1 lacks) or
 * non-ASCII. Most field values hold none, and a byte at a time (four comparisons each) was most of the writer's time.
 * Each eight bytes are read as one {@code long} and tested with the usual bit tricks for "has a byte less than n" and
 * "has a zero byte", which never miss a byte and never report one that is not there (the test is of the whole word);
 * the bytes of a word that has one are then looked at one by one. Both compilers turn the read into one load.
 */
final class PlainRuns {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH = 0x8080808080808080L;
    private static final long BELOW_SPACE = ONES * 0x20;
    private static final long QUOTES = ONES * '"';
    private static final long BACKSLASHES = ONES * '\\';
    private static final long QUESTION_MARKS = ONES * '?';

    private PlainRuns() {
    }

    /** The index of the first byte of {@code latin1} from {@code from} that is not copied as it is; else {@code to}. */
    static int end(byte[] latin1, int from, int to) {
        int i = from;
        while (i <= to - Long.BYTES && !marked((long) LONGS.get(latin1, i))) {
            i += Long.BYTES;
        }
        while (i < to && plain(latin1[i])) {
            i++;
        }
        return i;
    }

    /** A byte copied as it is: printable ASCII but for {@code "}, {@code \} and {@code ?}. */
    static boolean plain(byte b) {
        return b >= 0x20 && b != '"' && b != '\\' && b != '?'; // non-ASCII is negative: below 0x20
    }

    /** True when one of the word's eight bytes is not {@link #plain}. */
    private static boolean marked(long word) {
        long quote = word ^ QUOTES;
        long backslash = word ^ BACKSLASHES;
        long question = word ^ QUESTION_MARKS;
        long low = (word - BELOW_SPACE) & ~word; // a byte below 0x20 (exact for the word as long as none is >= 0x80)
        long zero = ((quote - ONES) & ~quote) | ((backslash - ONES) & ~backslash) | ((question - ONES) & ~question);
        return ((low | zero | word) & HIGH) != 0; // word & HIGH: a byte >= 0x80
    }

    /** True when {@code length} bytes of {@code a} from {@code aFrom} are those of {@code b} from {@code bFrom}. */
    static boolean same(byte[] a, int aFrom, byte[] b, int bFrom, int length) {
        int i = 0;
        for (; i <= length - Long.BYTES; i += Long.BYTES) {
            if ((long) LONGS.get(a, aFrom + i) != (long) LONGS.get(b, bFrom + i)) {
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
}
