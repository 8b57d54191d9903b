package org.tollgate.server.source;

import org.tollgate.normalizer.ParseResult;

/** Where a source hands each normalized line. Called from the source's own thread. */
@FunctionalInterface
public interface LineHandler {
    void handle(ParseResult result);

    /** As {@link #handle(ParseResult)}, with the line's {@code event.id} (its file and byte offset; null for none). */
    default void handle(ParseResult result, String id) {
        handle(result);
    }

    /**
     * As {@link #handle(ParseResult, String)} with the id {@code idPrefix + idNumber} (a file source's: its file, then
     * the line's byte offset), for a handler that writes it where the JSON is written instead of making the string on
     * the source's thread.
     */
    default void handle(ParseResult result, String idPrefix, long idNumber) {
        handle(result, idPrefix + idNumber);
    }

    /** The source finished a read: lines held back to be handed on together go now. */
    default void endOfChunk() {
    }

    /**
     * As {@link #endOfChunk()}; {@code onWritten} runs (on some output's thread) once every output has written the
     * events of the lines handed on so far. By default at once: a handler without outputs has nothing to wait for.
     */
    default void endOfChunk(Runnable onWritten) {
        endOfChunk();
        onWritten.run();
    }

    /**
     * The handler one source thread should use, handing its lines on a chunk at a time on {@code context}; by default
     * this handler itself.
     */
    default LineHandler chunked(io.vertx.core.Context context) {
        return this;
    }
}
