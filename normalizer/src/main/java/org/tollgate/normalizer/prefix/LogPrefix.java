package org.tollgate.normalizer.prefix;

import java.time.Instant;

/**
 * What the part of a line before the message said. Absent parts are {@code null}, or -1 for numbers.
 *
 * @param timestamp  the instant the line was written, or {@code null} when the line carries no readable stamp
 * @param level      Asterisk's level word ({@code NOTICE}, {@code SECURITY}, …)
 * @param threadId   the bracketed number after the level: the thread (LWP) that logged, not the process
 * @param callId     Asterisk's per-call id ({@code C-0000001c}), 11+
 * @param file       the source file Asterisk names ({@code chan_sip.c}, {@code res_pjsip/pjsip_distributor.c}, {@code Ext. s})
 * @param fileLine   the source line, where the layout has it
 * @param function   the C function (or {@code @ context} for dialplan lines), where the layout has it
 * @param hostname   the host a syslog daemon or journald recorded
 * @param program    the syslog tag / journald identifier ({@code asterisk}, {@code freepbx}, …)
 * @param pid        the process id a syslog daemon or journald recorded
 */
public record LogPrefix(Layout layout, Instant timestamp, String level, long threadId, String callId, String file,
                        int fileLine, String function, String hostname, String program, long pid) {
}
