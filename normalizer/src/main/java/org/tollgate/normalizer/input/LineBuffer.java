package org.tollgate.normalizer.input;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The bytes of one line as they arrive, held in bounded memory. A line longer than the bound keeps its head (the
 * first half of the bound: the prefix, the start of the message) and its tail (the last half: the fixed text Asterisk
 * writes after a long field, such as {@code ' failed for '<addr>' (callid: ...) - Failed to authenticate}); the bytes
 * between are dropped and {@link #CUT} stands in their place. A failure line with a huge From header, possible over
 * SIP TCP or TLS, still shows the address it came from.
 *
 * <p>The cut never splits a JSON escape ({@code \"}, {@code \\}, &#92;uXXXX) or a UTF-8 sequence, and the mark
 * holds neither a quote nor a backslash: a JSON record (journald, Docker, Asterisk's {@code [json]} formatter) cut
 * inside its long message still parses, its message cut the same way. Not thread-safe.
 */
public final class LineBuffer {

    /** What stands for the dropped middle of a line longer than the bound. */
    public static final String CUT = "[...]";

    /** A buffer larger than this is given back after its line, so one huge line does not keep its memory. */
    private static final int KEPT_CAPACITY = 64 * 1024;

    private final int headLimit;
    private final int tailLimit;
    private byte[] head = new byte[256];
    private int headLength;
    /** Ring of the last bytes once the head is full; null until then. */
    private byte[] tail;
    private int tailStart;
    private int tailLength;
    /** Bytes dropped from the middle. */
    private long dropped;
    /**
     * Where the last dropped byte left a JSON escape: {@link #NO_ESCAPE}, {@link #AFTER_BACKSLASH}, or the hex digits
     * of a &#92;uXXXX still to come (1 to 4), which the tail then begins with.
     */
    private int escape;
    private static final int NO_ESCAPE = 0;
    private static final int AFTER_BACKSLASH = -1;

    /** @param maxBytes the most bytes held of one line; a longer line keeps its first and last halves */
    public LineBuffer(int maxBytes) {
        if (maxBytes < 2) {
            throw new IllegalArgumentException("maxBytes must be at least 2, was " + maxBytes);
        }
        this.headLimit = maxBytes - maxBytes / 2;
        this.tailLimit = maxBytes / 2;
    }

    /** Adds the next bytes of the line. */
    public void append(byte[] bytes, int from, int count) {
        if (count <= 0) {
            return;
        }
        int toHead = Math.min(count, headLimit - headLength);
        if (toHead > 0) {
            if (headLength + toHead > head.length) {
                head = Arrays.copyOf(head, Math.min(headLimit, Math.max(head.length * 2, headLength + toHead)));
            }
            System.arraycopy(bytes, from, head, headLength, toHead);
            headLength += toHead;
            from += toHead;
            count -= toHead;
        }
        if (count > 0) {
            appendToTail(bytes, from, count);
        }
    }

    /** Bytes held now, at most the bound. */
    public int heldBytes() {
        return headLength + tailLength;
    }

    /** Bytes of the line taken so far, held or dropped. */
    public long length() {
        return headLength + tailLength + dropped;
    }

    /** True when the line was longer than the bound and its middle was dropped. */
    public boolean cut() {
        return dropped > 0;
    }

    /**
     * The line as UTF-8 (invalid sequences become U+FFFD), with {@link #CUT} for a dropped middle; the buffer is then
     * empty for the next line.
     */
    public String take() {
        String line;
        if (tailLength == 0) {
            line = new String(head, 0, headLength, StandardCharsets.UTF_8);
        } else if (dropped == 0) {
            byte[] whole = Arrays.copyOf(head, headLength + tailLength);
            copyTail(whole, headLength, 0);
            line = new String(whole, StandardCharsets.UTF_8);
        } else {
            byte[] last = new byte[tailLength];
            copyTail(last, 0, 0);
            int headEnd = wholeHeadEnd(head, headLength);
            int tailFrom = wholeTailStart(last, escape);
            line = new String(head, 0, headEnd, StandardCharsets.UTF_8) + CUT
                    + new String(last, tailFrom, last.length - tailFrom, StandardCharsets.UTF_8);
        }
        clear();
        return line;
    }

    /** Drops what is held, for the next line. */
    public void clear() {
        headLength = 0;
        tailStart = 0;
        tailLength = 0;
        dropped = 0;
        escape = NO_ESCAPE;
        if (head.length > KEPT_CAPACITY) {
            head = new byte[256];
        }
        if (tail != null && tail.length > KEPT_CAPACITY) {
            tail = null;
        }
    }

    private void appendToTail(byte[] bytes, int from, int count) {
        if (tailLimit == 0) {
            drop(bytes, from, count);
            return;
        }
        if (tail == null) {
            tail = new byte[tailLimit];
        }
        if (count >= tailLimit) {
            // All held now goes, and the start of these bytes too: the ring becomes their last tailLimit bytes.
            dropRing(tailLength);
            drop(bytes, from, count - tailLimit);
            System.arraycopy(bytes, from + count - tailLimit, tail, 0, tailLimit);
            tailStart = 0;
            tailLength = tailLimit;
            return;
        }
        int overflow = tailLength + count - tailLimit;
        if (overflow > 0) {
            dropRing(overflow);
        }
        int at = (tailStart + tailLength) % tailLimit;
        int first = Math.min(count, tailLimit - at);
        System.arraycopy(bytes, from, tail, at, first);
        System.arraycopy(bytes, from + first, tail, 0, count - first);
        tailLength += count;
    }

    /** Drops the oldest {@code count} bytes of the ring. */
    private void dropRing(int count) {
        int first = Math.min(count, tailLimit - tailStart);
        drop(tail, tailStart, first);
        drop(tail, 0, count - first);
        tailStart = (tailStart + count) % tailLimit;
        tailLength -= count;
    }

    private void drop(byte[] bytes, int from, int count) {
        if (count <= 0) {
            return;
        }
        if (dropped == 0) {
            for (int i = 0; i < headLength; i++) {
                escape = afterByte(escape, head[i]);
            }
        }
        for (int i = from; i < from + count; i++) {
            escape = afterByte(escape, bytes[i]);
        }
        dropped += count;
    }

    /** The escape state after {@code b}, read as a byte of a JSON string in state {@code state}. */
    private static int afterByte(int state, byte b) {
        if (state == AFTER_BACKSLASH) {
            return b == 'u' ? 4 : NO_ESCAPE;
        }
        if (state > 0) {
            return isHex(b) ? state - 1 : NO_ESCAPE;
        }
        return b == '\\' ? AFTER_BACKSLASH : NO_ESCAPE;
    }

    /** Copies the ring, oldest first, to {@code out} at {@code at}, from its {@code skip}-th byte. */
    private void copyTail(byte[] out, int at, int skip) {
        for (int i = skip; i < tailLength; i++) {
            out[at + i - skip] = tail[(tailStart + i) % tailLimit];
        }
    }

    /** Where the head ends without a half escape or a half UTF-8 sequence at its end. */
    static int wholeHeadEnd(byte[] bytes, int length) {
        int end = length;
        // A UTF-8 sequence cut short: back to its lead byte, and before it.
        int lead = end;
        while (lead > 0 && lead > end - 4 && (bytes[lead - 1] & 0xC0) == 0x80) {
            lead--;
        }
        if (lead > 0 && (bytes[lead - 1] & 0xC0) == 0xC0 && end - (lead - 1) < sequenceLength(bytes[lead - 1])) {
            end = lead - 1;
        }
        // An escape cut short: "\" alone, or "\\u" with fewer than four hex digits.
        int digits = 0;
        while (digits < 3 && end - digits > 0 && isHex(bytes[end - digits - 1])) {
            digits++;
        }
        for (int d = digits; d >= 0; d--) {
            int u = end - d - 1;
            if (d < 4 && u >= 1 && bytes[u] == 'u' && bytes[u - 1] == '\\' && backslashesBefore(bytes, u) % 2 == 1) {
                return u - 1;
            }
        }
        return backslashesBefore(bytes, end) % 2 == 1 ? end - 1 : end;
    }

    /**
     * Where the tail starts without the rest of an escape whose start was dropped ({@code escape}: the state the
     * dropped bytes left) or a UTF-8 sequence's continuation.
     */
    static int wholeTailStart(byte[] bytes, int escape) {
        int from = 0;
        int digits = escape;
        if (escape == AFTER_BACKSLASH && bytes.length > 0) {
            digits = bytes[0] == 'u' ? 4 : 0;
            from = 1;
        }
        while (digits > 0 && from < bytes.length && isHex(bytes[from])) {
            from++;
            digits--;
        }
        int continuation = 0;
        while (from < bytes.length && continuation < 3 && (bytes[from] & 0xC0) == 0x80) {
            from++;
            continuation++;
        }
        return from;
    }

    /** Backslashes in a row ending right before {@code end}. */
    private static int backslashesBefore(byte[] bytes, int end) {
        int run = 0;
        while (end - run > 0 && bytes[end - run - 1] == '\\') {
            run++;
        }
        return run;
    }

    private static int sequenceLength(byte lead) {
        int b = lead & 0xFF;
        return b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
    }

    private static boolean isHex(byte b) {
        return b >= '0' && b <= '9' || b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F';
    }
}
