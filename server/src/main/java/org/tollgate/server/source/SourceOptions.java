package org.tollgate.server.source;

import java.time.Clock;
import org.tollgate.normalizer.NormalizerOptions;
import org.tollgate.normalizer.call.NumberingPlan;
import org.tollgate.normalizer.correlate.EndpointAddresses;
import org.tollgate.server.config.SourceSettings;

/**
 * What the sources of one service read lines with beyond their own settings: the numbering plan calls are classified
 * by, and the one table of where each endpoint last registered or authenticated from, shared by every source of this
 * PBX, so a call read from the {@code full} log names the address its endpoint authenticated from in the
 * {@code security} log, the journal or this host's syslog.
 *
 * @param numbering how dialled numbers read as destination classes
 * @param endpoints the service's table of endpoint addresses (its one owner is the service)
 * @param toEnd     whether the sources read their files and stdin to the end, every line written, and stop
 *                  ({@code run --once})
 */
public record SourceOptions(NumberingPlan numbering, EndpointAddresses endpoints, boolean toEnd) {

    /** Following the files as they grow, as the service does. */
    public SourceOptions(NumberingPlan numbering, EndpointAddresses endpoints) {
        this(numbering, endpoints, false);
    }

    /** The built-in plan and a table of these sources' own (tests, a source alone). */
    public static SourceOptions alone() {
        return new SourceOptions(NumberingPlan.defaults(), new EndpointAddresses());
    }

    /** How {@code source} reads this PBX's lines: its zone and patch, the shared plan and table. */
    public NormalizerOptions of(SourceSettings source, Clock clock) {
        return new NormalizerOptions(source.zone(), clock.instant(), source.patched(), null, clock, numbering,
                endpoints);
    }

    /**
     * How {@code source} reads the lines of another PBX (a remote syslog sender): the shared plan, and a table of its
     * own, since its endpoints are not this PBX's endpoints.
     */
    public NormalizerOptions ofOtherPbx(SourceSettings source, Clock clock) {
        return new NormalizerOptions(source.zone(), clock.instant(), source.patched(), null, clock, numbering, null);
    }
}
