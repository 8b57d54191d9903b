package org.tollgate.banner.jail;

import java.time.Instant;
import java.util.Objects;
import org.tollgate.normalizer.geo.SourceGeo;

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
 * @param geo           where the source is, from the geo and AS databases, or {@code null} when unknown
 * @param attemptId     the attempt the line is part of ({@code asterisk.attempt_id}), or {@code null}: every such
 *                      line is an attempt of its own
 * @param line          the log line it was read from, or {@code null}: what an alert shows (fail2ban's
 *                      {@code <matches>})
 */
public record Failure(Instant timestamp, String sourceIp, String action, boolean sourceTrusted, String userName,
                      SourceGeo geo, String attemptId, String line) {

    public Failure {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(sourceIp, "sourceIp");
        Objects.requireNonNull(action, "action");
    }

    /** A failure whose place is unknown, an attempt of its own. */
    public Failure(Instant timestamp, String sourceIp, String action, boolean sourceTrusted, String userName) {
        this(timestamp, sourceIp, action, sourceTrusted, userName, null, null, null);
    }

    /** A failure that is an attempt of its own. */
    public Failure(Instant timestamp, String sourceIp, String action, boolean sourceTrusted, String userName,
                   SourceGeo geo) {
        this(timestamp, sourceIp, action, sourceTrusted, userName, geo, null, null);
    }

    /** A failure of attempt {@code attemptId} (null: an attempt of its own), without its line. */
    public Failure(Instant timestamp, String sourceIp, String action, boolean sourceTrusted, String userName,
                   SourceGeo geo, String attemptId) {
        this(timestamp, sourceIp, action, sourceTrusted, userName, geo, attemptId, null);
    }

    /** The value of a {@link SourceGeo#FIELDS geo or AS field}, or null when unknown. */
    public String geoField(String name) {
        return geo == null ? null : geo.field(name);
    }
}
