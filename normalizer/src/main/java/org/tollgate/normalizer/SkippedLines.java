package org.tollgate.normalizer;

import java.util.EnumMap;
import java.util.Map;

/**
 * What the fast path ({@link Normalizer#normalizeSecurity(String, boolean, java.util.function.Consumer)}) read without
 * building a result for it: the lines the full path would have rejected, by reason, and the lines of pjproject packet
 * dumps. With the security events it hands on, these make the same summary the full path's results make.
 */
public final class SkippedLines {

    private final long[] rejected = new long[ParseResult.RejectReason.values().length];
    private long packetDumpLines;

    void reject(ParseResult.RejectReason reason) {
        rejected[reason.ordinal()]++;
    }

    void packetDumpLine() {
        packetDumpLines++;
    }

    /** The lines the full path would have rejected, by reason; reasons never seen are left out. */
    public Map<ParseResult.RejectReason, Long> rejected() {
        Map<ParseResult.RejectReason, Long> counts = new EnumMap<>(ParseResult.RejectReason.class);
        for (ParseResult.RejectReason reason : ParseResult.RejectReason.values()) {
            if (rejected[reason.ordinal()] > 0) {
                counts.put(reason, rejected[reason.ordinal()]);
            }
        }
        return counts;
    }

    public long packetDumpLines() {
        return packetDumpLines;
    }
}
