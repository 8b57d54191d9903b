package org.tollgate.server.source;

import org.tollgate.normalizer.input.LineBuffer;
import org.tollgate.normalizer.input.LineSplitter;

/**
 * Cuts one syslog TCP connection into messages (RFC 6587), with the framing its first byte shows: a digit starts
 * octet counting ({@code LEN SP MSG}, rsyslog's and syslog-ng's RFC 5424 forwarding), anything else (a {@code <PRI>})
 * is one message per line. Memory is bounded either way: a message longer than {@code maxMessageBytes} keeps its
 * first and last halves ({@link LineBuffer}) and is reported as truncated. Not thread-safe: one instance per
 * connection.
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
    private final LineBuffer message;
    private String error;

    SyslogFraming(int maxMessageBytes, LineSplitter.LineConsumer consumer) {
        this.maxMessageBytes = maxMessageBytes;
        this.consumer = consumer;
        this.message = new LineBuffer(maxMessageBytes);
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
            emit();
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
                } else if ((b == '\n' || b == '\r') && lengthDigits == 0) {
                    continue; // a line end some senders put after each frame
                } else {
                    return fail("expected a message length (RFC 6587 octet counting), found byte " + (b & 0xff));
                }
                continue;
            }
            int take = (int) Math.min(remaining, end - i);
            message.append(bytes, i, take);
            i += take;
            remaining -= take;
            if (remaining == 0) {
                emit();
                readingLength = true;
            }
        }
        return true;
    }

    /** Hands on the message read so far: all of it, or truncated when it was cut or its frame ended early. */
    private void emit() {
        boolean truncated = message.cut() || remaining > 0;
        remaining = 0;
        consumer.accept(message.take(), truncated);
    }

    private boolean fail(String problem) {
        error = problem;
        return false;
    }
}
