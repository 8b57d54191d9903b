package org.tollgate.normalizer;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

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
 */
public record NormalizerOptions(ZoneId zone, Instant reference, boolean trustPatchedLines, String path, Clock clock) {

    public static NormalizerOptions defaults() {
        Clock clock = Clock.systemDefaultZone();
        return new NormalizerOptions(ZoneId.systemDefault(), clock.instant(), false, null, clock);
    }

    public NormalizerOptions withZone(ZoneId value) {
        return new NormalizerOptions(value, reference, trustPatchedLines, path, clock);
    }

    public NormalizerOptions withReference(Instant value) {
        return new NormalizerOptions(zone, value, trustPatchedLines, path, clock);
    }

    public NormalizerOptions withTrustPatchedLines(boolean value) {
        return new NormalizerOptions(zone, reference, value, path, clock);
    }

    public NormalizerOptions withPath(String value) {
        return new NormalizerOptions(zone, reference, trustPatchedLines, value, clock);
    }

    public NormalizerOptions withClock(Clock value) {
        return new NormalizerOptions(zone, reference, trustPatchedLines, path, value);
    }
}
