package org.tollgate.server.check;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;
import org.tollgate.normalizer.AsteriskEvent;
import org.tollgate.normalizer.Normalizer;

/**
 * The lines of one read of an input, cut and sorted on the reading thread, in input order, for the thread that reads
 * them through the normalizer's fast path: a noise line ({@link Normalizer#noiseStampEnd}) stays where it is in the
 * read's bytes, with where its stamp ends; any other line is decoded already (a plain one, as
 * {@link Normalizer#normalizePlain} says it, marked so: the normalizer has nothing to clean in it). On the
 * normalizer's thread {@link #readInto} does for each line what {@link Normalizer#skipNoise} and
 * {@code normalizeSecurity} would have done for it on one thread: a noise line is counted
 * ({@link Normalizer#countNoise}), or, inside a packet dump, decoded and read as any other line.
 */
final class ScannedLines {

    /** A {@link #stampEnd} of a decoded line. */
    private static final int DECODED = -1;
    private static final int DECODED_TRUNCATED = -2;
    /** A {@link #stampEnd} of a plain line (printable ASCII and TABs, no {@code #0}): its bytes are its text. */
    private static final int PLAIN = -3;
    /** Lines a read kept for use again holds room for, at most (a read of 256 KiB holds about 1,800 log lines). */
    private static final int KEPT_LINES = 8192;

    /** Where a read puts its bytes; the noise lines stay in them. */
    final byte[] bytes;
    private int size;
    private int[] from = new int[64];
    private int[] to = new int[64];
    /** Per line: where a noise line's stamp ends (0 or more), or {@link #DECODED}, {@link #DECODED_TRUNCATED}. */
    private int[] stampEnd = new int[64];
    private String[] decoded = new String[64];
    private long decodedChars;

    ScannedLines(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A noise line, {@code bytes[from, to)}, its stamp ending at {@code stampEnd}. */
    void noise(int lineFrom, int lineTo, int lineStampEnd) {
        grow();
        from[size] = lineFrom;
        to[size] = lineTo;
        stampEnd[size++] = lineStampEnd;
    }

    /** A line the normalizer reads in full. */
    void line(String line, boolean truncated) {
        decoded(line, truncated ? DECODED_TRUNCATED : DECODED);
    }

    /** A whole line the normalizer reads in full, plain as {@link Normalizer#normalizePlain} says it. */
    void plainLine(String line) {
        decoded(line, PLAIN);
    }

    private void decoded(String line, int kind) {
        grow();
        decoded[size] = line;
        stampEnd[size++] = kind;
        decodedChars += line.length();
    }

    /** Roughly how much memory these lines hold, for the bounds of a {@link HandOff}. */
    int weight() {
        return (int) Math.min(Integer.MAX_VALUE, bytes.length + 2 * decodedChars);
    }

    /** Reads the lines, in order, through {@code normalizer}'s fast path; on the normalizer's thread. */
    void readInto(Normalizer normalizer, Consumer<? super AsteriskEvent> security, CheckSummary summary) {
        for (int i = 0; i < size; i++) {
            int end = stampEnd[i];
            if (end >= 0) {
                if (!normalizer.countNoise(bytes, from[i], end)) {
                    String line = new String(bytes, from[i], to[i] - from[i], StandardCharsets.UTF_8);
                    normalizer.normalizeSecurity(line, false, security);
                }
            } else {
                boolean truncated = end == DECODED_TRUNCATED;
                if (truncated) {
                    summary.countTruncated();
                }
                normalizer.normalizeSecurity(decoded[i], truncated, end == PLAIN, security);
            }
        }
    }

    /**
     * Forgets the lines, to take the next read's; arrays a read of very short lines grew are let go, so the reads kept
     * for use again hold little more than their bytes.
     */
    void clear() {
        if (stampEnd.length > KEPT_LINES) {
            from = new int[64];
            to = new int[64];
            stampEnd = new int[64];
            decoded = new String[64];
        } else {
            Arrays.fill(decoded, 0, size, null);
        }
        size = 0;
        decodedChars = 0;
    }

    private void grow() {
        if (size == stampEnd.length) {
            int length = size * 2;
            from = Arrays.copyOf(from, length);
            to = Arrays.copyOf(to, length);
            stampEnd = Arrays.copyOf(stampEnd, length);
            decoded = Arrays.copyOf(decoded, length);
        }
    }
}
