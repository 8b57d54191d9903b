package org.tollgate.server.source;

import org.tollgate.normalizer.ParseResult;

/** Where a source hands each normalized line. Called from the source's own thread. */
@FunctionalInterface
public interface LineHandler {
    void handle(ParseResult result);

    /** The source finished a read: lines held back to be handed on together go now. */
    default void endOfChunk() {
    }

    /**
     * The handler one source thread should use, handing its lines on a chunk at a time on {@code context}; by default
     * this handler itself.
     */
    default LineHandler chunked(io.vertx.core.Context context) {
        return this;
    }
}
