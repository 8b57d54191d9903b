package org.tollgate.server.source;

import io.vertx.core.Deployable;
import java.util.List;

/** A source verticle: reads lines from somewhere, normalizes them and hands them to a {@link LineHandler}. */
public interface LineSource extends Deployable {

    /** Lines handed on so far, for {@code tollgate run --once} to see when the input has gone quiet. */
    long linesRead();

    /** What keeps this source from reading now (a directory that does not exist), one sentence each; empty when none. */
    default List<String> problems() {
        return List.of();
    }
}
