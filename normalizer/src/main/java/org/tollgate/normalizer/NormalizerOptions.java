package org.tollgate.normalizer;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import org.tollgate.normalizer.call.NumberingPlan;
import org.tollgate.normalizer.correlate.EndpointAddresses;

/**
 * How to read one input.
 *
 * @param zone              the zone the PBX logs in, for stamps that name none
 * @param reference         when the input's last line was written (a file's modification time; now for a live
 *                          stream): year-less stamps take their year from it
 * @param trustPatchedLines true when the host runs a Tollgate chan_sip patch, so the {@code (ip:port)} suffix of
 *                          "Failed to authenticate …" lines is the transport address
 * @param path              the file the input is, for {@code log.file.path}; null for streams
 * @param clock             the time for lines before any stamp was seen
 * @param numbering         how dialled numbers read as destination classes
 * @param endpoints         where endpoints last registered or authenticated from, shared by the inputs of one PBX;
 *                          null for a directory of this input's own
 */
public record NormalizerOptions(ZoneId zone, Instant reference, boolean trustPatchedLines, String path, Clock clock,
                                NumberingPlan numbering, EndpointAddresses endpoints) {

    public NormalizerOptions {
        java.util.Objects.requireNonNull(numbering, "numbering");
    }

    /** With the default numbering plan and a directory of endpoints of the input's own. */
    public NormalizerOptions(ZoneId zone, Instant reference, boolean trustPatchedLines, String path, Clock clock) {
        this(zone, reference, trustPatchedLines, path, clock, NumberingPlan.defaults(), null);
    }

    public static NormalizerOptions defaults() {
        Clock clock = Clock.systemDefaultZone();
        return new NormalizerOptions(ZoneId.systemDefault(), clock.instant(), false, null, clock);
    }

    public NormalizerOptions withZone(ZoneId value) {
        return new NormalizerOptions(value, reference, trustPatchedLines, path, clock, numbering, endpoints);
    }

    public NormalizerOptions withReference(Instant value) {
        return new NormalizerOptions(zone, value, trustPatchedLines, path, clock, numbering, endpoints);
    }

    public NormalizerOptions withTrustPatchedLines(boolean value) {
        return new NormalizerOptions(zone, reference, value, path, clock, numbering, endpoints);
    }

    public NormalizerOptions withPath(String value) {
        return new NormalizerOptions(zone, reference, trustPatchedLines, value, clock, numbering, endpoints);
    }

    public NormalizerOptions withClock(Clock value) {
        return new NormalizerOptions(zone, reference, trustPatchedLines, path, value, numbering, endpoints);
    }

    public NormalizerOptions withNumbering(NumberingPlan value) {
        return new NormalizerOptions(zone, reference, trustPatchedLines, path, clock, value, endpoints);
    }

    /** Shares {@code value} with the other inputs of the same PBX, so a call in one names an address from another. */
    public NormalizerOptions withEndpoints(EndpointAddresses value) {
        return new NormalizerOptions(zone, reference, trustPatchedLines, path, clock, numbering, value);
    }
}
