package org.tollgate.server.api;

import java.util.Map;

/**
 * The pipeline's counts since start, for the API and metrics.
 *
 * @param linesRead       lines read from every source
 * @param events          lines normalized and published on the event bus (one event each)
 * @param securityEvents  of those, security events
 * @param failures        failures with a source address sent to the jails
 * @param failuresHandled failures the jails have counted
 * @param queueDepths     items waiting, by queue name ({@code jails}, {@code output:<path>})
 */
public record PipelineCounts(long linesRead, long events, long securityEvents, long failures, long failuresHandled,
                             Map<String, Long> queueDepths) {

    public PipelineCounts {
        queueDepths = Map.copyOf(queueDepths);
    }
}
