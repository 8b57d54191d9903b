package org.tollgate.normalizer;

/** The outcome of normalizing one line: an event, or a line that could not be read, kept with its raw text. */
public sealed interface ParseResult permits ParseResult.Parsed, ParseResult.Rejected {

    long sequence();

    /**
     * A line read into an event (a security event or any other Asterisk line).
     *
     * @param asciiText true when the event's {@code message} and {@code original} are known to hold ASCII characters
     *                  alone (a plain line's text, not a message decoded from a JSON layout): the JSON writer copies
     *                  them without looking at each character; false when nothing is known
     */
    record Parsed(AsteriskEvent event, boolean asciiText) implements ParseResult {

        /** An event whose text is not known to be ASCII. */
        public Parsed(AsteriskEvent event) {
            this(event, false);
        }

        @Override
        public long sequence() {
            return event.sequence();
        }
    }

    /**
     * A line that is not an Asterisk line at all, kept as data.
     *
     * @param timestamp the time of the line before it (or of reading, before any), so the line keeps its place
     * @param raw       the line, cut to {@link Normalizer#MAX_REJECTED_KEPT} characters
     */
    record Rejected(long sequence, java.time.Instant timestamp, RejectReason reason, String raw, String path)
            implements ParseResult {
    }

    /** Why a line was rejected. */
    enum RejectReason {
        /** Nothing but blanks. */
        EMPTY("empty line"),
        /** Mostly control characters or undecodable bytes. */
        BINARY("binary data"),
        /** No known layout and no known message. */
        UNRECOGNIZED("no Asterisk layout or message recognised");

        private final String text;

        RejectReason(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }
}
