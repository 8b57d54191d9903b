package org.tollgate.server.check;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tollgate.banner.replay.AddressActivity;
import org.tollgate.normalizer.AsteriskEvent;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.normalizer.SkippedLines;
import org.tollgate.normalizer.message.AddressOrigin;
import org.tollgate.normalizer.message.Finding;
import org.tollgate.normalizer.message.SourceProblem;

/** Counts what a {@code tollgate check} run saw: lines, security events by action, trust, and unread lines by reason. */
public final class CheckSummary {

    private long lines;
    private long events;
    private long securityEvents;
    private long trustedSources;
    private long untrustedSources;
    private long headerOnlyAuthFailures;
    private long patchedLines;
    private long packetDumpLines;
    private long truncatedLines;
    private long unreadableSources;
    private long scanSignals;
    private long viaSources;
    private long ambiguousSources;
    private final AddressActivity.Tally addresses = new AddressActivity.Tally();
    /** Counted unsorted (a sorted map compares names on every event); {@link #byAction()} sorts them once. */
    private final Map<String, long[]> byAction = new HashMap<>();
    private final Map<ParseResult.RejectReason, Long> rejected = new EnumMap<>(ParseResult.RejectReason.class);
    /**
     * What {@link #countSkipped} counts, apart from what {@link #count} counts: a checker may count its results on the
     * thread that writes them and what its fast path skipped on the reading thread (read once both are done).
     */
    private long skippedLines;
    private long skippedEvents;
    private long skippedPacketDumpLines;
    private final Map<ParseResult.RejectReason, Long> skippedRejected = new EnumMap<>(ParseResult.RejectReason.class);

    public void count(ParseResult result) {
        if (result instanceof ParseResult.Parsed signal && signal.event().isScanSignal()) {
            // An event made from lines, not a line.
            scanSignals++;
            countAction(signal.event().finding().action().id());
            return;
        }
        lines++;
        if (result instanceof ParseResult.Rejected rejection) {
            rejected.merge(rejection.reason(), 1L, Long::sum);
            return;
        }
        AsteriskEvent event = ((ParseResult.Parsed) result).event();
        events++;
        if (event.packetDump()) {
            packetDumpLines++;
        }
        Finding finding = event.finding();
        if (finding == null) {
            return;
        }
        securityEvents++;
        countAction(finding.actionName());
        if (finding.source() != null) {
            if (finding.sourceTrusted()) {
                trustedSources++;
                if (finding.action().isFailure()) {
                    addresses.count(finding.source().ip(), event.attemptId());
                }
            } else {
                untrustedSources++;
                if (finding.origin() == AddressOrigin.VIA) {
                    viaSources++;
                }
            }
        } else if (finding.sourceProblem() == SourceProblem.UNREADABLE) {
            unreadableSources++;
        } else if (finding.sourceProblem() == SourceProblem.AMBIGUOUS) {
            ambiguousSources++;
        }
        if (finding.patched()) {
            patchedLines++;
        } else if (finding.origin() == AddressOrigin.HEADER && "chan_sip".equals(finding.provider())
                && finding.action().isFailure()) {
            headerOnlyAuthFailures++;
        }
    }

    private void countAction(String action) {
        byAction.computeIfAbsent(action, name -> new long[1])[0]++;
    }

    /**
     * Counts the lines of an input that the fast path read without building an event (its security events went
     * through {@link #count}): {@code lines} of them, of which {@code skipped} says which the full path would have
     * rejected and which were packet dump lines; the rest are lines read that are not security events.
     */
    public void countSkipped(long lines, SkippedLines skipped) {
        skippedLines += lines;
        long rejectedLines = 0;
        for (Map.Entry<ParseResult.RejectReason, Long> entry : skipped.rejected().entrySet()) {
            skippedRejected.merge(entry.getKey(), entry.getValue(), Long::sum);
            rejectedLines += entry.getValue();
        }
        skippedEvents += lines - rejectedLines;
        skippedPacketDumpLines += skipped.packetDumpLines();
    }

    /** Counts a line the reader cut at its length limit. */
    public void countTruncated() {
        truncatedLines++;
    }

    public long lines() {
        return lines + skippedLines;
    }

    public long events() {
        return events + skippedEvents;
    }

    public long securityEvents() {
        return securityEvents;
    }

    public long trustedSources() {
        return trustedSources;
    }

    public long untrustedSources() {
        return untrustedSources;
    }

    /** chan_sip failures whose only address is the sender's From header: the host needs a Tollgate patch. */
    public long headerOnlyAuthFailures() {
        return headerOnlyAuthFailures;
    }

    /** Lines in the patched form ({@code … (ip:port)}). */
    public long patchedLines() {
        return patchedLines;
    }

    /** chan_sip security events, whose RemoteAddress is {@code p->sa}: a Via {@code maddr=} sets it. */
    public long viaSources() {
        return viaSources;
    }

    /** Scanner signals: events the normalizer made from several lines (challenge floods, enumerations, sweeps). */
    public long scanSignals() {
        return scanSignals;
    }

    /** Security events whose address text is not an IP literal (redacted, mangled). */
    public long unreadableSources() {
        return unreadableSources;
    }

    /** Security events the sender's text made read two ways. */
    public long ambiguousSources() {
        return ambiguousSources;
    }

    /** Failed attempts and lines per address with trusted failures, busiest first. */
    public List<AddressActivity> addresses() {
        return addresses.busiestFirst();
    }

    public long packetDumpLines() {
        return packetDumpLines + skippedPacketDumpLines;
    }

    public long truncatedLines() {
        return truncatedLines;
    }

    public long unparsed() {
        Map<ParseResult.RejectReason, Long> all = rejected();
        return all.getOrDefault(ParseResult.RejectReason.UNRECOGNIZED, 0L)
                + all.getOrDefault(ParseResult.RejectReason.BINARY, 0L);
    }

    /** Security events by action, in the order of the actions' names. */
    public Map<String, Long> byAction() {
        Map<String, Long> sorted = new TreeMap<>();
        byAction.forEach((action, count) -> sorted.put(action, count[0]));
        return sorted;
    }

    public Map<ParseResult.RejectReason, Long> rejected() {
        if (skippedRejected.isEmpty()) {
            return rejected;
        }
        Map<ParseResult.RejectReason, Long> all = new EnumMap<>(rejected);
        skippedRejected.forEach((reason, count) -> all.merge(reason, count, Long::sum));
        return all;
    }
}
