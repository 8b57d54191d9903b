package org.tollgate.banner.jail;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A decision to keep {@code ip} out, made by {@code jail}. Instants are kept to the millisecond, the precision the
 * ban store keeps, so a ban read back after a restart equals the one saved.
 *
 * @param ip       canonical IP text
 * @param jail     the jail's name
 * @param start    when the ban starts (the log time of the failure that triggered it)
 * @param end      when it ends, or {@code null} for a permanent ban
 * @param failures how many failures (or, for a recidive jail, bans) inside findtime led to it
 * @param banCount how many times this ip has been banned, this ban included; drives bantime increments
 * @param decidedBy the cluster node (its host name) that decided the ban, or {@code null} when this host did
 */
public record Ban(String ip, String jail, Instant start, Instant end, int failures, int banCount, String decidedBy) {

    /** A ban decided on this host. */
    public Ban(String ip, String jail, Instant start, Instant end, int failures, int banCount) {
        this(ip, jail, start, end, failures, banCount, null);
    }

    public Ban {
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(jail, "jail");
        start = Objects.requireNonNull(start, "start").truncatedTo(ChronoUnit.MILLIS);
        if (end != null) {
            end = end.truncatedTo(ChronoUnit.MILLIS);
            if (end.isBefore(start)) {
                throw new IllegalArgumentException("ban of " + ip + " in " + jail + " ends at " + end
                        + ", before its start " + start);
            }
        }
        if (failures < 0 || banCount < 1) {
            throw new IllegalArgumentException("ban of " + ip + " in " + jail + " needs failures >= 0 and banCount >= 1, was "
                    + failures + " and " + banCount);
        }
    }

    /** A ban that starts at {@code start} and lasts {@code bantime}, or forever for a negative bantime. */
    public static Ban lasting(String ip, String jail, Instant start, Duration bantime, int failures, int banCount) {
        Instant end = bantime.isNegative() ? null : start.plus(bantime);
        return new Ban(ip, jail, start, end, failures, banCount);
    }

    public boolean permanent() {
        return end == null;
    }

    /** True when the ban is over at {@code now}: it has an end, and the end is not after {@code now}. */
    public boolean endsBy(Instant now) {
        return end != null && !end.isAfter(now);
    }

    /** The same ban, recorded as decided by the cluster node {@code node} (null: this host). */
    public Ban withDecidedBy(String node) {
        return new Ban(ip, jail, start, end, failures, banCount, node);
    }

    /** Whole seconds from start to end, or -1 for a permanent ban (fail2ban's convention). */
    public long bantimeSeconds() {
        return end == null ? -1 : Duration.between(start, end).getSeconds();
    }
}
