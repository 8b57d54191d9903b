package org.tollgate.server.adopt.patches;

import java.util.List;
import java.util.Map;

/**
 * What {@code tollgate patches advise} found in a host's logs and what it advises.
 *
 * @param lines          lines read
 * @param generations    the Asterisk releases the line shapes allow; more than one when the evidence cannot come from
 *                       one release (an upgrade inside the logs, or several hosts)
 * @param chanSip        chan_sip's part
 * @param securityLog    whether res_security_log's events reach these logs
 * @param dates          the stamps Asterisk wrote
 * @param layouts        lines per layout, over all logs
 * @param layoutsByFile  lines per layout, per log
 * @param mixed          why the layouts or date formats are mixed, empty when they are not
 * @param loggerConf     the lines to add to logger.conf, section headers included; empty when nothing is missing
 * @param notes          other findings a reader should act on
 */
public record PatchAdvice(long lines, List<Generation> generations, ChanSip chanSip, SecurityLog securityLog,
                          Dates dates, Map<String, Long> layouts, Map<String, Map<String, Long>> layoutsByFile,
                          List<String> mixed, List<String> loggerConf, List<String> notes) {

    /**
     * A release range the evidence allows.
     *
     * @param range    {@code 1.8–20}, {@code 16.17+}, {@code 11.25.3}
     * @param series   the release series in it: {@code 1.8}, {@code 11}, ...
     * @param observations how many observations back it (a line can give more than one: a call id and a message)
     * @param evidence     what kinds of line, with how many of each
     */
    public record Generation(String range, List<String> series, long observations, List<String> evidence) {
    }

    /**
     * @param lines               chan_sip lines seen
     * @param headerOnlyFailures  "Failed to authenticate …" lines whose only address is the From header
     * @param patchedLines        lines in the form a Tollgate patch writes
     * @param example             one header-only line, or null
     * @param patches             the patch files of patches/ for the releases found, with the releases each fits
     * @param advice              what to do, in order of preference
     */
    public record ChanSip(long lines, long headerOnlyFailures, long patchedLines, String example,
                          Map<String, String> patches, List<String> advice) {
    }

    /**
     * @param seen   security events were found
     * @param lines  how many
     * @param advice what to change, or null
     */
    public record SecurityLog(boolean seen, long lines, String advice) {
    }

    /**
     * @param asteriskStamps    stamps written by Asterisk's dateformat (file, plain and json layouts)
     * @param withYear          of those, with a year
     * @param withMilliseconds  of those, with fractions of a second
     * @param empty             of those, empty ({@code dateformat =})
     * @param shapes            each date shape and how often it is seen ({@code 9999-99-99 99:99:99.999})
     * @param syslogStamps      stamps written by a syslog daemon
     * @param syslogWithYear    of those, with a year (RFC 3339 / RFC 5424)
     * @param advice            what to change, or null
     */
    public record Dates(long asteriskStamps, long withYear, long withMilliseconds, long empty, Map<String, Long> shapes,
                        long syslogStamps, long syslogWithYear, String advice) {
    }
}
