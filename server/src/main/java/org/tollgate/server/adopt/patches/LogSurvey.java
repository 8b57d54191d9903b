package org.tollgate.server.adopt.patches;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.tollgate.normalizer.AsteriskEvent;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.normalizer.message.AddressOrigin;
import org.tollgate.normalizer.message.Finding;
import org.tollgate.normalizer.prefix.Layout;
import org.tollgate.normalizer.prefix.PrefixParser;
import org.tollgate.normalizer.prefix.PrefixScan;
import org.tollgate.normalizer.time.StampFields;
import org.tollgate.normalizer.time.StampParser;

/**
 * What a host's logs say about the Asterisk that wrote them, counted line by line from the normalizer's events:
 * the release ranges the line shapes allow, chan_sip and PJSIP, header-only chan_sip failures, security events, the
 * shape of the stamps Asterisk wrote, and the layouts. Bounded: a few counters and maps keyed by a small set of
 * names.
 */
final class LogSurvey {

    /** Where a release range was seen: what kind of line, how many, and one line as an example. */
    static final class Evidence {
        final VersionRange range;
        final String what;
        long lines;
        String example;

        Evidence(VersionRange range, String what) {
            this.range = range;
            this.what = what;
        }
    }

    private static final int MAX_KEYS = 256;
    private static final int MAX_EXAMPLE = 240;

    private final PrefixParser prefixParser = new PrefixParser();
    private final PrefixScan scan = new PrefixScan();

    long lines;
    long events;
    final Map<String, Evidence> evidence = new LinkedHashMap<>();
    final Map<Layout, Long> layouts = new EnumMap<>(Layout.class);
    final Map<String, Map<Layout, Long>> layoutsByFile = new TreeMap<>();
    long chanSipLines;
    long pjsipLines;
    long headerOnlyFailures;
    String headerOnlyExample;
    long patchedLines;
    long securityLines;
    long asteriskStamps;
    long stampsWithYear;
    long stampsWithMillis;
    long emptyStamps;
    final Map<String, Long> stampShapes = new TreeMap<>();
    long syslogStamps;
    long syslogStampsWithYear;
    long packetDumpErrors;

    void accept(ParseResult result) {
        lines++;
        if (!(result instanceof ParseResult.Parsed parsed)) {
            return;
        }
        AsteriskEvent event = parsed.event();
        if (event.packetDump()) {
            return;
        }
        events++;
        Layout layout = event.prefix().layout();
        layouts.merge(layout, 1L, Long::sum);
        String file = event.path() == null ? "-" : event.path();
        if (layoutsByFile.size() < MAX_KEYS || layoutsByFile.containsKey(file)) {
            layoutsByFile.computeIfAbsent(file, f -> new EnumMap<>(Layout.class)).merge(layout, 1L, Long::sum);
        }
        String origin = event.prefix().file();
        if ("chan_sip.c".equals(origin)) {
            chanSipLines++;
        } else if (origin != null && origin.startsWith("res_pjsip")) {
            pjsipLines++;
        }
        if ("SECURITY".equals(event.prefix().level())) {
            securityLines++;
        }
        Finding finding = event.finding();
        if (finding != null) {
            finding(finding, event);
        }
        layoutEvidence(event, layout);
        stamp(event, layout);
    }

    private void finding(Finding finding, AsteriskEvent event) {
        if (finding.securityEvent() != null && !"SECURITY".equals(event.prefix().level())) {
            securityLines++;
        }
        if ("chan_sip".equals(finding.provider()) && !"chan_sip.c".equals(event.prefix().file())) {
            chanSipLines++;
        }
        if (finding.patched()) {
            patchedLines++;
        } else if (finding.origin() == AddressOrigin.HEADER && "chan_sip".equals(finding.provider())
                && finding.action().isFailure()) {
            headerOnlyFailures++;
            if (headerOnlyExample == null) {
                headerOnlyExample = cut(event.original());
            }
        }
        if (finding.action().id().equals("sip-malformed-packet") && event.message().endsWith(":")) {
            packetDumpErrors++;
        }
        VersionRange range = VersionRange.parse(finding.versionFamily());
        if (range != null) {
            note(range, finding.action().id() + " (" + finding.provider() + ", Asterisk " + finding.versionFamily()
                    + ")", event);
        }
    }

    /** What the layout itself tells: the header of a log file, call ids, the json formatter, verbose prefixes. */
    private void layoutEvidence(AsteriskEvent event, Layout layout) {
        String message = event.message();
        if (message.startsWith("Asterisk ") && message.contains(" built by ")) {
            int end = 9;
            while (end < message.length() && (Character.isDigit(message.charAt(end)) || message.charAt(end) == '.')) {
                end++;
            }
            AsteriskVersion version = AsteriskVersion.parse(message.substring(9, end).replaceAll("\\.$", ""));
            if (version != null) {
                note(new VersionRange(version, version), "the header Asterisk writes when it opens a log file", event);
            }
        }
        if (event.prefix().callId() != null && event.prefix().callId().startsWith("C-")) {
            note(VersionRange.parse("11+"), "call ids ([C-…], 11+)", event);
        }
        if (layout == Layout.ASTERISK_JSON) {
            note(VersionRange.parse("14+"), "the [json] formatter (14+)", event);
        }
        if ("VERBOSE".equals(event.prefix().level()) && (layout == Layout.FILE)) {
            if ("logger.c".equals(event.prefix().file())) {
                note(VersionRange.parse("1.4"), "verbose lines logged from logger.c (1.4)", event);
            } else if (message.startsWith("    -- ") || message.startsWith("  == ")) {
                note(VersionRange.parse("1.4-12"), "verbose prefixes kept in the file's text (up to 12)", event);
                if (message.startsWith("    -- Executing [") && event.prefix().callId() == null) {
                    note(VersionRange.parse("1.4-10"), "dialplan lines without a call id (up to 10; 11 and 12 with"
                            + " display_callids = no)", event);
                }
            }
        }
    }

    private void note(VersionRange range, String what, AsteriskEvent event) {
        Evidence seen = evidence.get(what);
        if (seen == null) {
            if (evidence.size() >= MAX_KEYS) {
                return;
            }
            seen = new Evidence(range, what);
            evidence.put(what, seen);
        }
        seen.lines++;
        if (seen.example == null) {
            seen.example = cut(event.original());
        }
    }

    /** The stamp's shape: Asterisk's dateformat for file, plain and json lines; the syslog daemon's otherwise. */
    private void stamp(AsteriskEvent event, Layout layout) {
        if (layout == Layout.JOURNALD_JSON || layout == Layout.DOCKER_JSON || layout == Layout.BARE
                || layout == Layout.MESSAGE_ONLY) {
            return;
        }
        prefixParser.scan(event.original(), scan);
        if (scan.stampSource() == null) {
            return;
        }
        String stamp = scan.stampSource().substring(scan.stampFrom(), scan.stampTo());
        boolean asterisk = layout == Layout.FILE || layout == Layout.PLAIN || layout == Layout.ASTERISK_JSON;
        StampFields fields = stamp.isEmpty() ? null : StampParser.parse(stamp, 0, stamp.length());
        boolean year = fields != null && fields.hasYear();
        if (!asterisk) {
            syslogStamps++;
            if (year) {
                syslogStampsWithYear++;
            }
            return;
        }
        asteriskStamps++;
        if (stamp.isEmpty()) {
            emptyStamps++;
        }
        if (year) {
            stampsWithYear++;
        }
        if (stamp.matches(".*\\d:\\d\\d[.,]\\d+.*")) {
            stampsWithMillis++;
        }
        String shape = stamp.replaceAll("[0-9]", "9").replaceAll("[A-Za-z]{3,}", "Mmm").replaceAll(" +", " ");
        if (stampShapes.size() < MAX_KEYS || stampShapes.containsKey(shape)) {
            stampShapes.merge(shape, 1L, Long::sum);
        }
    }

    private static String cut(String line) {
        return line.length() <= MAX_EXAMPLE ? line : line.substring(0, MAX_EXAMPLE) + "…";
    }
}
