package org.tollgate.banner.jail;

import java.time.Instant;
import java.util.Objects;

/**
 * What a jail counts: one failed attempt from one source address, at the time the log says it happened (log time,
 * so that a replay of an old log bans as the live run would have). The server adapts normalized events into this.
 *
 * @param timestamp     when it happened, from the log line
 * @param sourceIp      the attacker's address as canonical IP text (the jail canonicalizes again, defensively)
 * @param action        the event's {@code event.action}, such as {@code registration-failed}
 * @param sourceTrusted whether the address is the real peer (a SIP transport address) rather than a header an
 *                      attacker can write; untrusted failures are counted only by jails with {@code trust: any}
 * @param userName      the user or endpoint tried, or {@code null}
 */
public record Failure(Instant timestamp, String sourceIp, String action, boolean sourceTrusted, String userName) {

    public Failure {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(sourceIp, "sourceIp");
        Objects.requireNonNull(action, "action");
    }
}
