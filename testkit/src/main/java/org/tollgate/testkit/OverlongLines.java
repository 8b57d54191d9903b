package org.tollgate.testkit;

/**
 * Failure lines longer than any reader keeps: a From header of 1 MiB, as a SIP client over TCP or TLS can send and
 * Asterisk logs whole. The address Asterisk read from the transport is at the end, after the header, where only a
 * reader that keeps the tail of a long line still sees it.
 */
public final class OverlongLines {

    /** Bytes of the From header's user part. */
    public static final int FROM_BYTES = 1 << 20;
    /** The transport address of {@link #pjsip()}. */
    public static final String PJSIP_SOURCE = "203.0.113.77";
    /** The transport address of {@link #chanSip()}. */
    public static final String CHAN_SIP_SOURCE = "203.0.113.78";

    private OverlongLines() {
    }

    /** P1: pjsip_distributor's failed request, with a From user of {@link #FROM_BYTES} digits. */
    public static String pjsip() {
        return "[2026-01-18 17:40:02] NOTICE[2290] res_pjsip/pjsip_distributor.c: " + pjsipMessage();
    }

    /** The message of {@link #pjsip()}, after the prefix. */
    public static String pjsipMessage() {
        return pjsipMessage(FROM_BYTES);
    }

    /** The message of {@link #pjsip()}, with a From user of {@code fromBytes} digits. */
    public static String pjsipMessage(int fromBytes) {
        return "Request 'REGISTER' from '<sip:" + "9".repeat(fromBytes) + "@203.0.113.5>' failed for '" + PJSIP_SOURCE
                + ":5060' (callid: 4d2c9e8f1a7b) - Failed to authenticate";
    }

    /** {@link #pjsipMessage()} as Asterisk's syslog channel sends it, in an RFC 5424 message. */
    public static String pjsipSyslog() {
        return "<133>1 2026-01-18T17:40:02Z pbx1 asterisk 2289 - - NOTICE[2290]: res_pjsip/pjsip_distributor.c:676 in "
                + "log_failed_request: " + pjsipMessage();
    }

    /** S1: chan_sip's failed registration, with a From user of {@link #FROM_BYTES} digits. */
    public static String chanSip() {
        return "[2026-01-18 17:39:50] NOTICE[2744] chan_sip.c: Registration from '<sip:" + "9".repeat(FROM_BYTES)
                + "@203.0.113.5>' failed for '" + CHAN_SIP_SOURCE + ":5060' - Wrong password";
    }

    /**
     * The message of {@link #pjsip()} as {@code journalctl -o json} writes it: a record whose MESSAGE is over a
     * megabyte, with fields after it.
     */
    public static String journaldRecord() {
        String message = pjsipMessage();
        return "{ \"__CURSOR\" : \"s=fake;i=9;b=0;m=0;t=0;x=0\", \"__REALTIME_TIMESTAMP\" : \"1756393089123456\", "
                + "\"PRIORITY\" : \"5\", \"SYSLOG_IDENTIFIER\" : \"asterisk\", \"MESSAGE\" : \"" + message
                + "\", \"_PID\" : \"4010\", \"_HOSTNAME\" : \"pbx1\", \"_SYSTEMD_UNIT\" : \"asterisk.service\" }";
    }
}
