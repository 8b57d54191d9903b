package org.tollgate.server.output.jsonl;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import java.util.Arrays;
import java.util.Objects;

/**
 * The jsonl appender's encoder: an event carries a block of JSON lines written already ({@link Lines}, its only
 * argument), and the encoder hands those bytes on as they are. Anything else encodes to nothing. The jsonl appenders
 * ({@link LinesAppenders}) write the lines without it, from the block itself; it serves Logback's other paths.
 */
final class LinesEncoder extends EncoderBase<ILoggingEvent> {

    private static final byte[] NOTHING = new byte[0];

    /** Whole JSON lines, each ended by a line feed: {@code length} bytes of {@code bytes} from {@code offset}. */
    record Lines(byte[] bytes, int offset, int length) {
        Lines {
            Objects.checkFromIndexSize(offset, length, bytes.length);
        }
    }

    /** The lines the event carries, or null. */
    static Lines linesOf(ILoggingEvent event) {
        Object[] arguments = event.getArgumentArray();
        return arguments != null && arguments.length == 1 && arguments[0] instanceof Lines lines ? lines : null;
    }

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        Lines lines = linesOf(event);
        return lines == null ? NOTHING : Arrays.copyOfRange(lines.bytes(), lines.offset(), lines.offset() + lines.length());
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }
}
