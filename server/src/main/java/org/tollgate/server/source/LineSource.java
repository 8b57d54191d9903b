package org.tollgate.server.source;

import io.vertx.core.Deployable;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** A source verticle: reads lines from somewhere, normalizes them and hands them to a {@link LineHandler}. */
public interface LineSource extends Deployable {

    /** Lines handed on so far, for {@code tollgate run --once} to see when a listener's input has gone quiet. */
    long linesRead();

    /**
     * Done once this source has read all its input ({@code tollgate run --once}: a file to its end, stdin to its
     * close) and handed every line on, failed in one line when it could not; null for a source whose input has no
     * end it can tell (a listener), which {@code run --once} ends once it has been quiet a second.
     */
    default CompletionStage<Void> end() {
        return null;
    }

    /** What keeps this source from reading now (a directory that does not exist), one sentence each; empty when none. */
    default List<String> problems() {
        return List.of();
    }
}
