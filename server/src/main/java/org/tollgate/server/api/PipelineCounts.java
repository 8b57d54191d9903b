package org.tollgate.server.api;

import java.util.List;
import java.util.Map;

/**
 * The pipeline's counts since start, for the API and metrics.
 *
 * @param linesRead       lines read from every source
 * @param events          lines normalized and published on the event bus (one event each)
 * @param securityEvents  of those, security events
 * @param failures        failures with a source address sent to the jails
 * @param failuresHandled failures the jails have counted
 * @param queueDepths     items waiting, by queue name ({@code jails}, {@code <output type>[<index>]})
 * @param outputsDropped  events each output lost (a full queue, a failed write, a broken connection), by
 *                        {@code <output type>[<index>]}
 * @param problems        what keeps the service from protecting fully right now, one sentence each (a source whose
 *                        directory does not exist); empty when all is well
 */
public record PipelineCounts(long linesRead, long events, long securityEvents, long failures, long failuresHandled,
                             Map<String, Long> queueDepths, Map<String, Long> outputsDropped,
                             List<String> problems) {

    public PipelineCounts {
        queueDepths = Map.copyOf(queueDepths);
        outputsDropped = Map.copyOf(outputsDropped);
        problems = List.copyOf(problems);
    }

    /** Counts with no output and no problem. */
    public PipelineCounts(long linesRead, long events, long securityEvents, long failures, long failuresHandled,
                          Map<String, Long> queueDepths) {
        this(linesRead, events, securityEvents, failures, failuresHandled, queueDepths, Map.of(), List.of());
    }
}
