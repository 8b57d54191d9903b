package org.tollgate.server.shield;

import java.time.Instant;
import java.util.Objects;
import org.tollgate.banner.shield.ShieldStatus;

/**
 * The shield as last read from the firewall, for {@code /metrics}, which never waits on a firewall call: read at start,
 * at each check that it is in force, and whenever its status is asked for.
 *
 * @param status    what the firewall showed
 * @param readAt    when
 * @param reapplied times the shield was put back after the firewall lost it, so far
 */
public record ShieldReading(ShieldStatus status, Instant readAt, long reapplied) {

    public ShieldReading {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(readAt, "readAt");
    }
}
