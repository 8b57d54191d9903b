package org.tollgate.banner.enforce;

import java.time.Instant;
import java.util.List;

/**
 * One ban in force and how far its firewall actions have applied it, for the API and the status page.
 *
 * @param ip        the banned address
 * @param jail      the jail that banned it
 * @param start     when the ban started
 * @param end       when it ends, or {@code null} for a permanent ban
 * @param actions   per firewall action of the jail, in configuration order
 * @param retries   how many retries were made for it so far
 * @param nextRetry when the next retry is due, or {@code null} when none is scheduled
 * @param decidedBy the cluster node that decided the ban, or {@code null} when this host did
 */
public record BanStatus(String ip, String jail, Instant start, Instant end, List<ActionStatus> actions, int retries,
                        Instant nextRetry, String decidedBy) {

    public BanStatus {
        actions = List.copyOf(actions);
    }

    /** A ban this host decided. */
    public BanStatus(String ip, String jail, Instant start, Instant end, List<ActionStatus> actions, int retries,
                     Instant nextRetry) {
        this(ip, jail, start, end, actions, retries, nextRetry, null);
    }

    /** True when every action of the jail has the ban in force. */
    public boolean applied() {
        return actions.stream().allMatch(action -> action.state() == ActionState.APPLIED);
    }
}
