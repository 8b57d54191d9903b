package org.tollgate.server.alert;

import org.tollgate.server.config.AlertSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The subject and body of a ban mail: one ban, or a digest of the bans that came while the last mail was being sent
 * or since it left less than an interval ago. Plain text; every value from a log line is put in as text, after the
 * characters a mail reader could take for anything else (control characters) are replaced.
 */
final class MailText {

    /** Bans whose log lines a digest shows; the others get their table row only. */
    static final int DIGEST_LINES_OF = 20;
    /** Longest log line shown. */
    static final int LONGEST_LINE = 500;

    private MailText() {
    }

    /**
     * @param host    this host's name
     * @param bans    the bans to tell, oldest first (at least one)
     * @param dropped bans that came while the queue was full, not listed
     * @param context whether to name the users tried and what failed
     */
    static String subject(String host, List<BanNotice> bans, long dropped) {
        if (bans.size() == 1 && dropped == 0) {
            BanNotice ban = bans.get(0);
            if (ban.isFraud()) {
                return "[Tollgate " + host + "] " + ban.jail() + ": " + clean(String.join(", ", ban.users()))
                        + " tripped " + clean(String.join(", ", ban.failureActions()));
            }
            return "[Tollgate " + host + "] " + ban.jail() + ": " + ban.ip() + " banned" + (ban.manual() ? " by hand" : "");
        }
        Map<String, Integer> perJail = new LinkedHashMap<>();
        bans.forEach(ban -> perJail.merge(ban.jail(), 1, Integer::sum));
        StringBuilder jails = new StringBuilder();
        perJail.forEach((jail, count) -> jails.append(jails.length() == 0 ? "" : ", ").append(jail).append(' ')
                .append(count));
        boolean fraud = bans.stream().anyMatch(BanNotice::isFraud);
        return "[Tollgate " + host + "] " + (bans.size() + dropped) + (fraud ? " bans and fraud alerts: " : " bans: ")
                + jails;
    }

    static String body(String host, List<BanNotice> bans, long dropped, boolean context) {
        StringBuilder out = new StringBuilder(1024);
        if (bans.size() == 1 && dropped == 0 && bans.get(0).isFraud()) {
            BanNotice alert = bans.get(0);
            out.append("Tollgate on ").append(host).append(": fraud jail ")
                    .append(alert.jail().substring(AlertSettings.FRAUD_PREFIX.length())).append(" tripped.\n\n");
            fraud(out, alert);
            return out.toString();
        }
        if (bans.size() == 1 && dropped == 0) {
            BanNotice ban = bans.get(0);
            out.append("Tollgate on ").append(host).append(" banned ").append(ban.ip()).append(" in jail ")
                    .append(ban.jail()).append(ban.manual() ? " (by hand)" : "").append(".\n\n");
            describe(out, ban, context);
            return out.toString();
        }
        out.append("Tollgate on ").append(host).append(" banned ").append(bans.size() + dropped)
                .append(" addresses since its last mail");
        if (dropped > 0) {
            out.append("; ").append(dropped).append(" of them came while ").append(bans.size())
                    .append(" were already waiting and are not listed");
        }
        out.append(".\n\n");
        String format = "%-39s %-16s %-24s %8s  %s%n";
        out.append(String.format(format, "ADDRESS", "JAIL", "UNTIL", "FAILURES", context ? "USERS TRIED" : ""));
        for (BanNotice ban : bans) {
            out.append(String.format(format, ban.ip() == null ? "-" : ban.ip(), clean(ban.jail()), until(ban),
                    ban.failures(), context || ban.isFraud() ? clean(String.join(", ", ban.users())) : ""));
        }
        for (BanNotice alert : bans) {
            if (alert.isFraud()) {
                out.append('\n').append(clean(alert.jail())).append(":\n");
                fraud(out, alert);
            }
        }
        int shown = 0;
        for (BanNotice ban : bans) {
            if (ban.matches().isEmpty() || shown == DIGEST_LINES_OF) {
                continue;
            }
            if (shown == 0) {
                out.append("\nThe lines that led to ").append(bans.size() > DIGEST_LINES_OF ? "the first " + DIGEST_LINES_OF
                        + " bans" : "each ban").append(":\n");
            }
            out.append('\n').append(ban.ip()).append(" (").append(clean(ban.jail())).append("):\n");
            lines(out, ban);
            shown++;
        }
        return out.toString();
    }

    /** A fraud alert: what tripped, by whom, from where, and the reason with its count. */
    private static void fraud(StringBuilder out, BanNotice alert) {
        out.append("Reason:      ").append(clean(alert.fraud())).append('\n');
        out.append("Endpoint:    ").append(clean(String.join(", ", alert.users()))).append('\n');
        out.append("Limit:       ").append(clean(String.join(", ", alert.failureActions()))).append(" (")
                .append(alert.failures()).append(" counted)\n");
        out.append("Source:      ").append(alert.ip() == null ? "unknown" : alert.ip()).append('\n');
        out.append("At:          ").append(alert.start()).append("; quiet for this key until ").append(until(alert))
                .append('\n');
    }

    private static void describe(StringBuilder out, BanNotice ban, boolean context) {
        out.append("Banned:      ").append(ban.start()).append(" until ").append(until(ban));
        if (ban.end() != null) {
            out.append(" (").append(length(Duration.between(ban.start(), ban.end()))).append(')');
        }
        out.append('\n');
        if (!ban.manual()) {
            out.append("Failures:    ").append(ban.failures()).append('\n');
        }
        if (context && !ban.users().isEmpty()) {
            out.append("Users tried: ").append(clean(String.join(", ", ban.users()))).append('\n');
        }
        if (context && !ban.failureActions().isEmpty()) {
            out.append("What failed: ").append(String.join(", ", ban.failureActions())).append('\n');
        }
        if (!ban.matches().isEmpty()) {
            out.append("\nThe lines that led to it:\n");
            lines(out, ban);
        }
    }

    private static void lines(StringBuilder out, BanNotice ban) {
        for (String line : ban.matches()) {
            String shown = line.length() > LONGEST_LINE ? line.substring(0, LONGEST_LINE) + " …" : line;
            out.append("    ").append(clean(shown)).append('\n');
        }
    }

    private static String until(BanNotice ban) {
        Instant end = ban.end();
        return end == null ? "permanent" : end.toString();
    }

    private static String length(Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }

    /** Control characters (an attacker's escape sequences, a CR that would start a new mail line) as U+FFFD. */
    static String clean(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f || c >= 0x80 && c < 0xa0 || c == '\u2028' || c == '\u2029') {
                if (out == null) {
                    out = new StringBuilder(text.length()).append(text, 0, i);
                }
                out.append('\uFFFD');
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }
}
