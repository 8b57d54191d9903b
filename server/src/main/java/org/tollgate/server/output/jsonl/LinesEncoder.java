package org.tollgate.server.output.jsonl;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;

/**
 * The jsonl appender's encoder: an event carries a block of JSON lines written already ({@link Lines}, its only
 * argument), and the encoder hands those bytes on as they are. Anything else encodes to nothing.
 */
final class LinesEncoder extends EncoderBase<ILoggingEvent> {

    private static final byte[] NOTHING = new byte[0];

    /** Whole JSON lines, each ended by a line feed. */
    record Lines(byte[] bytes) {
    }

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        Object[] arguments = event.getArgumentArray();
        return arguments != null && arguments.length == 1 && arguments[0] instanceof Lines lines ? lines.bytes()
                : NOTHING;
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }
}
