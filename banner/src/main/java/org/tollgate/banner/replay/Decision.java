package org.tollgate.banner.replay;

import java.time.Instant;
import java.util.Objects;
import org.tollgate.banner.jail.Ban;

/**
 * What the jails decided at one moment of log time, without touching a firewall.
 *
 * @param kind           ban or unban
 * @param timestamp      log time of the decision: a ban's start, or an unban's end of ban
 * @param ip             the address
 * @param jail           the jail that decided
 * @param failures       failures (for a recidive jail: bans) that led to the ban
 * @param bantimeSeconds length of the ban, -1 for permanent
 */
public record Decision(Kind kind, Instant timestamp, String ip, String jail, int failures, long bantimeSeconds) {

    /** Ban or unban. */
    public enum Kind {
        BAN("ban"),
        UNBAN("unban");

        private final String action;

        Kind(String action) {
            this.action = action;
        }

        /** The {@code event.action} written for it. */
        public String action() {
            return action;
        }
    }

    public Decision {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(jail, "jail");
    }

    /** The decision to ban, at the ban's start. */
    public static Decision ban(Ban ban) {
        return new Decision(Kind.BAN, ban.start(), ban.ip(), ban.jail(), ban.failures(), ban.bantimeSeconds());
    }

    /** The decision to lift a (non-permanent) ban, at its end. */
    public static Decision unban(Ban ban) {
        if (ban.permanent()) {
            throw new IllegalArgumentException("the ban of " + ban.ip() + " in " + ban.jail() + " is permanent; it has no end");
        }
        return new Decision(Kind.UNBAN, ban.end(), ban.ip(), ban.jail(), ban.failures(), ban.bantimeSeconds());
    }
}
