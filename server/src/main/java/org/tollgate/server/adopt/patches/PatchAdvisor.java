package org.tollgate.server.adopt.patches;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.normalizer.prefix.Layout;
import org.tollgate.server.adopt.patches.LogSurvey.Evidence;

/**
 * Reads a host's logs through the normalizer ({@link #accept}) and says what its Asterisk needs ({@link #advice}):
 * which releases wrote the logs, whether chan_sip failures carry only the From header and which patch of
 * {@code patches/} fits, whether the security log and a dateformat with a year and milliseconds are on, whether the
 * layouts are mixed, and the logger.conf lines to add.
 */
public final class PatchAdvisor {

    /** The last release with chan_sip; it is gone from 21.0.0. */
    private static final VersionRange CHAN_SIP = VersionRange.parse("1.2-20");
    /** res_security_log exists from 1.8. */
    private static final VersionRange SECURITY_LOG = VersionRange.parse("1.8+");
    /** Asterisk's %q (fractions of a second) exists from 1.6. */
    private static final VersionRange MILLISECONDS = VersionRange.parse("1.6+");
    private static final VersionRange SECURITY_EVENTS_FROM_CHAN_SIP = VersionRange.parse("10+");
    private static final String DATEFORMAT = "dateformat = %F %T.%3q";
    private static final String DATEFORMAT_14 = "dateformat = %F %T";

    private final LogSurvey survey = new LogSurvey();
    private final ChanSipPatches patches;

    public PatchAdvisor() {
        this(ChanSipPatches.bundled());
    }

    PatchAdvisor(ChanSipPatches patches) {
        this.patches = patches;
    }

    /** Takes the next normalized line of a log (any log, any order of logs). */
    public void accept(ParseResult result) {
        survey.accept(result);
    }

    public PatchAdvice advice() {
        List<Cluster> clusters = clusters();
        List<PatchAdvice.Generation> generations = new ArrayList<>();
        for (Cluster cluster : clusters) {
            List<String> evidence = new ArrayList<>();
            for (Evidence item : cluster.items) {
                evidence.add(item.what + ": " + PatchAdviceReport.count(item.lines, "line"));
            }
            generations.add(new PatchAdvice.Generation(cluster.range.toString(), cluster.range.series(),
                    cluster.lines, evidence));
        }
        VersionRange all = clusters.isEmpty() ? VersionRange.ANY : clusters.get(0).range;
        List<String> loggerGeneral = new ArrayList<>();
        List<String> loggerFiles = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        PatchAdvice.ChanSip chanSip = chanSip(clusters, notes);
        PatchAdvice.SecurityLog securityLog = securityLog(clusters, loggerFiles);
        PatchAdvice.Dates dates = dates(clusters, loggerGeneral);
        if (survey.packetDumpErrors > 0) {
            notes.add(survey.packetDumpErrors + " pjproject errors dumped the raw packet into the log (pjproject up to"
                    + " 2.13): Asterisk 18.20.1+, 20.5.1+ and 21.0.1+ log one line and keep the packet out of the log."
                    + " Tollgate skips the dump; line-based tools such as fail2ban read forged lines in it as real");
        }
        if (clusters.size() > 1) {
            notes.add("the line shapes cannot all come from one Asterisk release: the logs span an upgrade, or come"
                    + " from several hosts; each generation is listed with its evidence");
        }
        if (survey.events == 0) {
            notes.add("no line was read as an Asterisk line: are these Asterisk's logs?");
        }
        List<String> loggerConf = new ArrayList<>();
        if (!loggerGeneral.isEmpty()) {
            loggerConf.add("[general]");
            loggerConf.addAll(loggerGeneral);
        }
        if (!loggerFiles.isEmpty()) {
            loggerConf.add("[logfiles]");
            loggerConf.addAll(loggerFiles);
        }
        Map<String, Map<String, Long>> byFile = new LinkedHashMap<>();
        survey.layoutsByFile.forEach((file, layouts) -> byFile.put(file, named(layouts)));
        return new PatchAdvice(survey.lines, generations, chanSip, securityLog, dates, named(survey.layouts), byFile,
                mixed(), loggerConf, notes);
    }

    /** The evidence grouped into release ranges that agree, the best-supported first. */
    private List<Cluster> clusters() {
        List<Evidence> items = new ArrayList<>(survey.evidence.values());
        // Exact releases (a log file's header) first, then by how many lines back a range.
        items.sort(Comparator.comparing((Evidence e) -> !e.range.exact()).thenComparing(e -> -e.lines));
        List<Cluster> clusters = new ArrayList<>();
        for (Evidence item : items) {
            Cluster home = null;
            for (Cluster cluster : clusters) {
                if (!cluster.range.intersect(item.range).isEmpty()) {
                    home = cluster;
                    break;
                }
            }
            if (home == null) {
                home = new Cluster();
                clusters.add(home);
            }
            home.range = home.range.intersect(item.range);
            home.lines += item.lines;
            home.items.add(item);
        }
        clusters.sort(Comparator.comparing((Cluster c) -> -c.lines));
        return clusters;
    }

    private PatchAdvice.ChanSip chanSip(List<Cluster> clusters, List<String> notes) {
        Map<String, String> candidates = new LinkedHashMap<>();
        List<String> advice = new ArrayList<>();
        if (survey.headerOnlyFailures > 0 && survey.patchedLines == 0) {
            List<VersionRange> ranges = new ArrayList<>();
            for (Cluster cluster : clusters) {
                if (!cluster.range.intersect(CHAN_SIP).isEmpty()) {
                    ranges.add(cluster.range.intersect(CHAN_SIP));
                }
            }
            if (ranges.isEmpty()) {
                ranges.add(CHAN_SIP);
            }
            for (VersionRange range : ranges) {
                for (String name : patches.candidates(range)) {
                    candidates.put("patches/" + name, patches.span(name));
                }
            }
            if (candidates.size() == 1) {
                advice.add("apply patches/" + candidates.keySet().iterator().next().substring("patches/".length())
                        + " (patches/README.md says how), so failed INVITEs, OPTIONS, SUBSCRIBEs and MESSAGEs log"
                        + " their source address; then set patched: true on the source");
            } else {
                advice.add("apply the patch of patches/ for your exact release (asterisk -rx 'core show version';"
                        + " patches/verify.sh checks a source tree), one of the " + candidates.size() + " listed, so"
                        + " failed INVITEs, OPTIONS, SUBSCRIBEs and MESSAGEs log their source address; then set"
                        + " patched: true on the source");
            }
            advice.add("or move the endpoints to PJSIP (res_pjsip logs the source address of every failure; chan_sip"
                    + " is gone from Asterisk 21)");
            boolean tenOrLater = clusters.stream().anyMatch(c -> !c.range.intersect(SECURITY_EVENTS_FROM_CHAN_SIP)
                    .intersect(CHAN_SIP).isEmpty());
            if (tenOrLater) {
                advice.add("or log security events (chan_sip 10+ reports InvalidPassword and ChallengeResponseFailed"
                        + " with RemoteAddress) and count them in a jail with trust: any: that address is chan_sip's"
                        + " p->sa, which a Via maddr= in the attacker's packet can change");
            }
        } else if (survey.patchedLines > 0) {
            advice.add("the host runs a Tollgate chan_sip patch (" + survey.patchedLines + " lines in its form): set"
                    + " patched: true on the source that reads these logs");
        }
        if (survey.chanSipLines > 0 && clusters.stream().allMatch(c -> c.range.intersect(CHAN_SIP).isEmpty())
                && !clusters.isEmpty()) {
            notes.add("chan_sip lines in logs whose other lines say Asterisk 21 or later, which has no chan_sip");
        }
        return new PatchAdvice.ChanSip(survey.chanSipLines, survey.headerOnlyFailures, survey.patchedLines,
                survey.headerOnlyExample, candidates, advice);
    }

    private PatchAdvice.SecurityLog securityLog(List<Cluster> clusters, List<String> loggerFiles) {
        boolean seen = survey.securityLines > 0;
        String advice = null;
        boolean possible = clusters.isEmpty()
                || clusters.stream().anyMatch(c -> !c.range.intersect(SECURITY_LOG).isEmpty());
        if (!seen && possible) {
            advice = "log security events (failed logins of every service with their transport address, 1.8+): add"
                    + " security to the levels of the log Tollgate reads (full => notice,warning,error,verbose,security),"
                    + " or give them a file of their own";
            loggerFiles.add("security => security");
        }
        return new PatchAdvice.SecurityLog(seen, survey.securityLines, advice);
    }

    private PatchAdvice.Dates dates(List<Cluster> clusters, List<String> loggerGeneral) {
        String advice = null;
        long stamps = survey.asteriskStamps;
        boolean millisPossible = clusters.isEmpty()
                || clusters.stream().anyMatch(c -> !c.range.intersect(MILLISECONDS).isEmpty());
        if (stamps > 0 && (survey.stampsWithYear < stamps || (millisPossible && survey.stampsWithMillis < stamps))) {
            String line = millisPossible ? DATEFORMAT : DATEFORMAT_14;
            advice = "Asterisk's dateformat writes " + (survey.stampsWithYear < stamps ? "no year" : "no milliseconds")
                    + (survey.emptyStamps > 0 ? " (or no date at all)" : "") + ": " + line + " gives the year and"
                    + (millisPossible ? " milliseconds" : " seconds (1.4 has no %q)")
                    + ", so events are placed exactly and no year has to be guessed";
            loggerGeneral.add(line);
        } else if (stamps == 0 && survey.syslogStamps > 0 && survey.syslogStampsWithYear < survey.syslogStamps) {
            advice = "the syslog daemon's stamps have no year and whole seconds: rsyslog's RSYSLOG_FileFormat template"
                    + " writes RFC 3339 stamps (year, microseconds, zone)";
        }
        return new PatchAdvice.Dates(stamps, survey.stampsWithYear, survey.stampsWithMillis, survey.emptyStamps,
                survey.stampShapes, survey.syslogStamps, survey.syslogStampsWithYear, advice);
    }

    private List<String> mixed() {
        List<String> mixed = new ArrayList<>();
        survey.layoutsByFile.forEach((file, layouts) -> {
            if (layouts.size() > 1) {
                mixed.add(file + " holds " + layouts.size() + " layouts: " + String.join(", ", named(layouts).keySet()));
            }
        });
        if (survey.layoutsByFile.size() > 1 && survey.layouts.size() > 1 && mixed.isEmpty()) {
            mixed.add("the logs are in " + survey.layouts.size() + " layouts: " + String.join(", ",
                    named(survey.layouts).keySet()));
        }
        if (survey.stampShapes.size() > 1) {
            mixed.add("Asterisk's stamps come in " + survey.stampShapes.size() + " date formats ("
                    + String.join(", ", survey.stampShapes.keySet()) + "): the dateformat changed, or several"
                    + " Asterisks write here");
        }
        return mixed;
    }

    private static Map<String, Long> named(Map<Layout, Long> layouts) {
        Map<String, Long> named = new LinkedHashMap<>();
        layouts.forEach((layout, count) -> named.put(layout.id(), count));
        return named;
    }

    private static final class Cluster {
        VersionRange range = VersionRange.ANY;
        long lines;
        final List<Evidence> items = new ArrayList<>();
    }
}
