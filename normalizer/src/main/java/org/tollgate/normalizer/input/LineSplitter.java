package org.tollgate.normalizer.input;

import java.nio.charset.StandardCharsets;
import org.tollgate.normalizer.text.ByteWords;

/**
 * Cuts a byte stream into lines at line feeds, in whatever chunks it arrives, with bounded memory: a line longer
 * than {@code maxLineBytes} keeps its first and last halves, with {@link LineBuffer#CUT} for the middle, and is
 * reported as truncated. Bytes are decoded as UTF-8; invalid sequences become U+FFFD. Carriage returns are left for
 * the normalizer, which needs them to measure pjproject packet dumps.
 */
public final class LineSplitter {

    /** Receives each line, without its line feed. */
    @FunctionalInterface
    public interface LineConsumer {
        void accept(String line, boolean truncated);
    }

    /**
     * Offered each whole line's bytes before they are decoded (see {@link #LineSplitter(int, LineConsumer, ByteLines)}).
     */
    @FunctionalInterface
    public interface ByteLines {
        /**
         * Reads {@code bytes[from, to)}, one line without its line feed, if it can from its bytes: true when it did
         * (the line is then not decoded nor handed to the consumer), false to have it decoded and handed on.
         *
         * @param plain true when every byte of the line is printable ASCII, or a TAB, and every {@code #} starts no
         *              escape (see {@link ByteWords#lineFeedOrNotPlain}, {@link ByteWords#plainHash}): found in the
         *              same pass that found the line's end
         */
        boolean read(byte[] bytes, int from, int to, boolean plain);
    }

    public static final int DEFAULT_MAX_LINE_BYTES = 64 * 1024;

    private final int maxLineBytes;
    private final LineBuffer line;
    private final LineConsumer consumer;
    private final ByteLines shortcut;
    /** Where the next byte fed stands in the stream. */
    private long position;
    /** Where the line being handed on started, and where the next one starts (after its line feed). */
    private long lineStart;
    private long lineEnd;

    public LineSplitter(int maxLineBytes, LineConsumer consumer) {
        this(maxLineBytes, consumer, null);
    }

    /**
     * As {@link #LineSplitter(int, LineConsumer)}, offering each line that arrives whole in one chunk to
     * {@code shortcut} first (a line cut across chunks or at the length limit is always decoded and handed on).
     */
    public LineSplitter(int maxLineBytes, LineConsumer consumer, ByteLines shortcut) {
        if (maxLineBytes < 2) {
            throw new IllegalArgumentException("maxLineBytes must be at least 2, was " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
        this.line = new LineBuffer(maxLineBytes);
        this.consumer = consumer;
        this.shortcut = shortcut;
    }

    /**
     * Cuts the lines ending in {@code chunk[offset, offset + count)}. One pass, eight bytes at a time, finds each line
     * feed and, for the shortcut, whether the line before it is plain text: the first byte that is a line feed or not
     * plain ends a plain line when it is the line feed, and otherwise only the next line feed is looked for (a
     * {@code #} that starts no escape, {@link ByteWords#plainHash}, is plain: the look goes on after it).
     */
    public void feed(byte[] chunk, int offset, int count) {
        int end = offset + count;
        int start = offset;
        int i = offset;
        while (i < end) {
            int stop = shortcut == null ? nextLineFeed(chunk, i, end) : nextLineFeedOrNotPlain(chunk, i, end);
            while (stop < end && chunk[stop] == '#' && ByteWords.plainHash(chunk, stop, end)) {
                stop = nextLineFeedOrNotPlain(chunk, stop + 1, end);
            }
            if (stop == end) {
                break;
            }
            boolean plain = true;
            if (chunk[stop] != '\n') {
                plain = false;
                stop = nextLineFeed(chunk, stop + 1, end);
                if (stop == end) {
                    break;
                }
            }
            lineEnds(chunk, start, stop, plain, offset);
            start = stop + 1;
            i = start;
        }
        line.append(chunk, start, end - start);
        position += count;
    }

    /** The line from {@code start} ends at the line feed at {@code at}: handed on whole, or with what was held. */
    private void lineEnds(byte[] chunk, int start, int at, boolean plain, int offset) {
        lineEnd = position + (at - offset) + 1;
        if (line.length() == 0 && at - start <= maxLineBytes) {
            // The whole line is in this chunk: decoded from it, without a copy into the line buffer.
            lineStart = lineEnd - 1 - (at - start);
            if (shortcut == null || !shortcut.read(chunk, start, at, plain)) {
                consumer.accept(new String(chunk, start, at - start, StandardCharsets.UTF_8), false);
            }
        } else {
            line.append(chunk, start, at - start);
            lineStart = Math.max(0, lineEnd - 1 - line.length());
            emit();
        }
    }

    /** The index of the first line feed in {@code bytes[from, to)}, or {@code to}. */
    private static int nextLineFeed(byte[] bytes, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long found = ByteWords.equal(ByteWords.word(bytes, i), (byte) '\n');
            if (found != 0) {
                return i + ByteWords.firstByte(found);
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return to;
    }

    /** The index of the first byte in {@code bytes[from, to)} that is a line feed or not plain text, or {@code to}. */
    private static int nextLineFeedOrNotPlain(byte[] bytes, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long found = ByteWords.lineFeedOrNotPlain(ByteWords.word(bytes, i));
            if (found != 0) {
                return i + ByteWords.firstByte(found);
            }
        }
        for (; i < to; i++) {
            byte b = bytes[i];
            if (b < 0x20 && b != '\t' || b == 0x7f || b == '#') { // a byte is signed: above 0x7F is below 0x20
                return i;
            }
        }
        return to;
    }

    /**
     * Says where in the stream the next bytes fed stand (a file's byte offset), when it is not just after the last
     * bytes fed: a reader that resumes, or starts a file again after rotation.
     */
    public void at(long streamPosition) {
        this.position = streamPosition;
    }

    /**
     * While a line is handed on: where it started in the stream (its byte offset in the file, counted from 0 or
     * from {@link #at(long)}).
     */
    public long lineStart() {
        return lineStart;
    }

    /** While a line is handed on: where the next line starts in the stream, just after this one's line feed. */
    public long lineEnd() {
        return lineEnd;
    }

    /** Emits a last line that had no line feed. */
    public void finish() {
        if (line.length() > 0) {
            lineStart = Math.max(0, position - line.length());
            lineEnd = position;
            emit();
        }
    }

    /** Bytes of the line not yet complete that were fed so far, held or dropped: where it starts is that far back. */
    public long pendingBytes() {
        return line.length();
    }

    /** Bytes held for the line not yet complete: never more than {@code maxLineBytes}. */
    public int heldBytes() {
        return line.heldBytes();
    }

    private void emit() {
        boolean truncated = line.cut();
        consumer.accept(line.take(), truncated);
    }
}
