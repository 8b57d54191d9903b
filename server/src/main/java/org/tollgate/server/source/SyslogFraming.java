package org.tollgate.server.source;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.tollgate.normalizer.input.LineSplitter;

/**
 * Cuts one syslog TCP connection into messages (RFC 6587), with the framing its first byte shows: a digit starts
 * octet counting ({@code LEN SP MSG}, rsyslog's and syslog-ng's RFC 5424 forwarding), anything else (a {@code <PRI>})
 * is one message per line. Memory is bounded either way: a message longer than {@code maxMessageBytes} is cut there
 * and reported as truncated, and the rest of it skipped. Not thread-safe: one instance per connection.
 */
final class SyslogFraming {

    /** How the connection frames its messages. */
    enum Mode { UNKNOWN, OCTET_COUNTING, NEWLINE }

    /** Longest {@code LEN} taken: nine digits, far above any message size a receiver keeps. */
    private static final int MAX_LENGTH_DIGITS = 9;

    private final int maxMessageBytes;
    private final LineSplitter.LineConsumer consumer;
    private Mode mode = Mode.UNKNOWN;
    private LineSplitter lines;

    // Octet counting: the length being read, then the message.
    private boolean readingLength = true;
    private int lengthDigits;
    private long remaining;
    private byte[] message = new byte[256];
    private int messageLength;
    private boolean messageTruncated;
    private String error;

    SyslogFraming(int maxMessageBytes, LineSplitter.LineConsumer consumer) {
        this.maxMessageBytes = maxMessageBytes;
        this.consumer = consumer;
    }

    Mode mode() {
        return mode;
    }

    /** Why the stream stopped being read, or null while it is fine. */
    String error() {
        return error;
    }

    /**
     * Takes the next bytes of the connection.
     *
     * @return false when the stream is not octet-counted syslog after all (a length that is not a number); the
     *         connection should be closed, nothing more is read from it
     */
    boolean feed(byte[] bytes, int offset, int count) {
        if (error != null) {
            return false;
        }
        if (count <= 0) {
            return true;
        }
        if (mode == Mode.UNKNOWN) {
            byte first = bytes[offset];
            if (first >= '1' && first <= '9') {
                mode = Mode.OCTET_COUNTING;
            } else {
                mode = Mode.NEWLINE;
                lines = new LineSplitter(maxMessageBytes, consumer);
            }
        }
        if (mode == Mode.NEWLINE) {
            lines.feed(bytes, offset, count);
            return true;
        }
        return feedOctetCounted(bytes, offset, offset + count);
    }

    /** The connection ended: hands on a last message that had no line end, or a frame cut short (as truncated). */
    void finish() {
        if (mode == Mode.NEWLINE) {
            lines.finish();
        } else if (mode == Mode.OCTET_COUNTING && !readingLength && error == null) {
            emit(true);
        }
    }

    private boolean feedOctetCounted(byte[] bytes, int from, int end) {
        int i = from;
        while (i < end) {
            if (readingLength) {
                byte b = bytes[i++];
                if (b >= '0' && b <= '9' && !(b == '0' && lengthDigits == 0)) {
                    if (++lengthDigits > MAX_LENGTH_DIGITS) {
                        return fail("message length longer than " + MAX_LENGTH_DIGITS + " digits");
                    }
                    remaining = remaining * 10 + (b - '0');
                } else if (b == ' ' && lengthDigits > 0) {
                    readingLength = false;
                    lengthDigits = 0;
                    messageLength = 0;
                    messageTruncated = false;
                } else if ((b == '\n' || b == '\r') && lengthDigits == 0) {
                    continue; // a line end some senders put after each frame
                } else {
                    return fail("expected a message length (RFC 6587 octet counting), found byte " + (b & 0xff));
                }
                continue;
            }
            int take = (int) Math.min(remaining, end - i);
            append(bytes, i, take);
            i += take;
            remaining -= take;
            if (remaining == 0) {
                emit(messageTruncated);
                readingLength = true;
            }
        }
        return true;
    }

    private void append(byte[] bytes, int from, int count) {
        int keep = Math.min(count, maxMessageBytes - messageLength);
        if (keep < count) {
            messageTruncated = true;
        }
        if (keep <= 0) {
            return;
        }
        if (messageLength + keep > message.length) {
            message = Arrays.copyOf(message, Math.min(maxMessageBytes, Math.max(message.length * 2, messageLength + keep)));
        }
        System.arraycopy(bytes, from, message, messageLength, keep);
        messageLength += keep;
    }

    private void emit(boolean truncated) {
        String text = new String(message, 0, messageLength, StandardCharsets.UTF_8);
        messageLength = 0;
        remaining = 0;
        if (message.length > 64 * 1024) {
            message = new byte[256]; // give back what a huge message took
        }
        consumer.accept(text, truncated);
    }

    private boolean fail(String problem) {
        error = problem;
        return false;
    }
}
