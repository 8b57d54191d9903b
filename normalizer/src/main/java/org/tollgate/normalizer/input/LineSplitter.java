package org.tollgate.normalizer.input;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Cuts a byte stream into lines at line feeds, in whatever chunks it arrives, with bounded memory: a line longer
 * than {@code maxLineBytes} is cut there, reported as truncated, and the rest of it up to the next line feed is
 * skipped. Bytes are decoded as UTF-8; invalid sequences become U+FFFD. Carriage returns are left for the
 * normalizer, which needs them to measure pjproject packet dumps.
 */
public final class LineSplitter {

    /** Receives each line, without its line feed. */
    @FunctionalInterface
    public interface LineConsumer {
        void accept(String line, boolean truncated);
    }

    public static final int DEFAULT_MAX_LINE_BYTES = 64 * 1024;

    private final int maxLineBytes;
    private final LineConsumer consumer;
    private byte[] buffer = new byte[256];
    private int length;
    private boolean skipping;

    public LineSplitter(int maxLineBytes, LineConsumer consumer) {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be positive, was " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
        this.consumer = consumer;
    }

    public void feed(byte[] chunk, int offset, int count) {
        int end = offset + count;
        int start = offset;
        for (int i = offset; i < end; i++) {
            if (chunk[i] == '\n') {
                if (length == 0 && !skipping && i - start <= maxLineBytes) {
                    // The whole line is in this chunk: decoded from it, without a copy into the line buffer.
                    consumer.accept(new String(chunk, start, i - start, StandardCharsets.UTF_8), false);
                } else {
                    append(chunk, start, i - start);
                    emit();
                }
                start = i + 1;
            }
        }
        append(chunk, start, end - start);
    }

    /** Emits a last line that had no line feed. */
    public void finish() {
        if (length > 0 || skipping) {
            emit();
        }
    }

    /** Bytes held for a line not yet complete. */
    public int pendingBytes() {
        return length;
    }

    private void append(byte[] chunk, int from, int count) {
        if (count <= 0 || skipping) {
            return;
        }
        int room = maxLineBytes - length;
        int take = Math.min(room, count);
        if (length + take > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.min(maxLineBytes, Math.max(buffer.length * 2, length + take)));
        }
        System.arraycopy(chunk, from, buffer, length, take);
        length += take;
        if (take < count) {
            skipping = true;
        }
    }

    private void emit() {
        String line = new String(buffer, 0, length, StandardCharsets.UTF_8);
        boolean truncated = skipping;
        length = 0;
        skipping = false;
        if (buffer.length > 64 * 1024 && buffer.length > maxLineBytes / 4) {
            buffer = new byte[256]; // give back the memory a huge line took
        }
        consumer.accept(line, truncated);
    }
}
