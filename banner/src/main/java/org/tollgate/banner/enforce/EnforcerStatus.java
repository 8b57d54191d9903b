package org.tollgate.banner.enforce;

import java.util.List;

/**
 * Everything the {@link Enforcer} knows at one moment.
 *
 * @param bans          the bans in force, earliest start first
 * @param pendingUnbans lifted bans that some action still has to remove; retried with the same backoff
 * @param counters      totals since start
 */
public record EnforcerStatus(List<BanStatus> bans, int pendingUnbans, EnforcerCounters counters) {

    public EnforcerStatus {
        bans = List.copyOf(bans);
    }
}
