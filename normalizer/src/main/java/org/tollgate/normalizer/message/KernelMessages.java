package org.tollgate.normalizer.message;

import static org.tollgate.normalizer.message.Text.at;

import org.tollgate.normalizer.address.Endpoint;
import org.tollgate.normalizer.address.IpLiteral;

/**
 * The kernel's log lines for packets the Tollgate shield dropped, as nftables' {@code log} statement and iptables'
 * {@code LOG} target write them, read from the kernel log (journald, or a kern.log file a syslog daemon writes):
 *
 * <pre>
 * [12345.678901] tollgate-shield-rate: IN=eth0 OUT= MAC=… SRC=203.0.113.5 DST=192.0.2.1 LEN=432 TOS=0x00 PREC=0x00
 *     TTL=52 ID=0 DF PROTO=UDP SPT=5070 DPT=5060 LEN=412
 * </pre>
 *
 * {@code SRC} is what the kernel saw, so it is trusted: a jail can turn repeated drops into a ban. Only lines whose
 * program is {@code kernel} are read here ({@link MessageClassifier} never sees the prefix inside an Asterisk
 * message), so a SIP header that copies the text counts for nothing. The uptime stamp is optional: journald and
 * rsyslog's imklog leave it out.
 */
public final class KernelMessages {

    /** The log prefix of the shield's rate-limit drops. */
    public static final String RATE_PREFIX = "tollgate-shield-rate: ";
    /** The log prefix of the shield's scanner drops. */
    public static final String SCAN_PREFIX = "tollgate-shield-scan: ";
    public static final String PROVIDER = "tollgate-shield";

    private KernelMessages() {
    }

    /** The finding of a shield drop line {@code text[start…]}, or null for any other kernel line. */
    public static Finding parse(String text, int start) {
        int s = skipUptime(text, start);
        EventAction action;
        String reason;
        if (at(text, s, RATE_PREFIX)) {
            action = EventAction.SHIELD_RATE_LIMITED;
            reason = "new SIP requests over the shield's rate limit";
            s += RATE_PREFIX.length();
        } else if (at(text, s, SCAN_PREFIX)) {
            action = EventAction.SHIELD_SCANNER_DROPPED;
            reason = "SIP scanner dropped by the shield";
            s += SCAN_PREFIX.length();
        } else {
            return null;
        }
        String src = field(text, s, " SRC=");
        String ip = src == null ? null : IpLiteral.canonical(src);
        if (ip == null) {
            return null;
        }
        String proto = field(text, s, " PROTO=");
        String dst = field(text, s, " DST=");
        String dstIp = dst == null ? null : IpLiteral.canonical(dst);
        Finding.Builder finding = Finding.of(action, PROVIDER).reason(reason)
                .source(new Endpoint(ip, port(field(text, s, " SPT="))), AddressOrigin.TRANSPORT);
        if (dstIp != null) {
            finding.destination(new Endpoint(dstIp, port(field(text, s, " DPT="))));
        }
        if ("UDP".equals(proto) || "TCP".equals(proto)) {
            finding.transport(proto);
        }
        return finding.build();
    }

    /** Skips {@code [ 12345.678901] } when the line starts with it. */
    private static int skipUptime(String text, int s) {
        if (s < text.length() && text.charAt(s) == '[') {
            int close = text.indexOf("] ", s);
            if (close > 0 && close - s <= 20) {
                return close + 2;
            }
        }
        return s;
    }

    /** The value of {@code name} ({@code " SRC="}, with its leading space) up to the next space, or null. */
    private static String field(String text, int from, String name) {
        // IN= is the first field; every other one follows a space.
        int at = text.indexOf(name, from - 1);
        if (at < 0) {
            return null;
        }
        int value = at + name.length();
        int end = text.indexOf(' ', value);
        return text.substring(value, end < 0 ? text.length() : end);
    }

    private static int port(String text) {
        if (text == null || text.isEmpty() || text.length() > 5) {
            return Endpoint.NO_PORT;
        }
        int port = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return Endpoint.NO_PORT;
            }
            port = port * 10 + (c - '0');
        }
        return port >= 1 && port <= 65_535 ? port : Endpoint.NO_PORT;
    }
}
