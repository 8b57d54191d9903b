package org.tollgate.server.source;

import org.tollgate.normalizer.ParseResult;

/** Where a source hands each normalized line. Called from the source's own thread. */
@FunctionalInterface
public interface LineHandler {
    void handle(ParseResult result);
}
