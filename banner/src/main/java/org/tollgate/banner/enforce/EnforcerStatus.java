package org.tollgate.banner.enforce;

import java.util.List;

/**
 * Everything the {@link Enforcer} knows at one moment: an immutable snapshot, published after each change.
 *
 * @param bans          the bans in force, earliest start first
 * @param pendingUnbans lifted bans that some action still has to remove; retried with the same backoff
 * @param counters      totals since start
 * @param actions       every configured action, in configuration order, and whether it can run
 * @param restoring     stored bans put back at start that are not in force in every action yet: until it is 0 for
 *                      the first time, a restart is not done (0 from then on; later failures are the actions')
 */
public record EnforcerStatus(List<BanStatus> bans, int pendingUnbans, EnforcerCounters counters,
                             List<ActionHealth> actions, int restoring) {

    public EnforcerStatus {
        bans = List.copyOf(bans);
        actions = List.copyOf(actions);
    }

    /** A status with no stored bans left to restore. */
    public EnforcerStatus(List<BanStatus> bans, int pendingUnbans, EnforcerCounters counters,
                          List<ActionHealth> actions) {
        this(bans, pendingUnbans, counters, actions, 0);
    }

    /** A status that says nothing of the actions (tests). */
    public EnforcerStatus(List<BanStatus> bans, int pendingUnbans, EnforcerCounters counters) {
        this(bans, pendingUnbans, counters, List.of());
    }
}
