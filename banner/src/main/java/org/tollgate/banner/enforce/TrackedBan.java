package org.tollgate.banner.enforce;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.tollgate.banner.jail.Ban;

/**
 * A ban in force and where it stands in each action of its jail. Not thread-safe: the {@link Enforcer} guards it.
 * Every change of what its {@link #status} shows is told to its ledger, which publishes only the bans that changed.
 */
final class TrackedBan {

    private final Ban ban;
    private final Consumer<TrackedBan> changed;
    private final Map<ConfiguredAction, ActionStatus> states = new LinkedHashMap<>();
    private int retries;
    private int failuresInARow;
    private boolean markedApplied;

    /** @param changed told of every change of this ban's {@link #status} (its ledger) */
    TrackedBan(Ban ban, List<ConfiguredAction> actions, Consumer<TrackedBan> changed) {
        this.ban = ban;
        this.changed = changed;
        for (ConfiguredAction action : actions) {
            states.put(action, new ActionStatus(action.label(), ActionState.PENDING, null));
        }
    }

    Ban ban() {
        return ban;
    }

    BanKey key() {
        return BanKey.of(ban);
    }

    void applied(ConfiguredAction action) {
        states.computeIfPresent(action, (a, status) -> status.applied());
        changed.accept(this);
    }

    void failed(ConfiguredAction action, String reason) {
        states.computeIfPresent(action, (a, status) -> status.failed(reason));
        changed.accept(this);
    }

    /** The actions whose last attempt failed. */
    List<ConfiguredAction> failedActions() {
        List<ConfiguredAction> failed = new ArrayList<>();
        states.forEach((action, status) -> {
            if (status.state() == ActionState.FAILED) {
                failed.add(action);
            }
        });
        return failed;
    }

    /** True when every action of the jail has the ban in force. */
    boolean complete() {
        for (ActionStatus status : states.values()) {
            if (status.state() != ActionState.APPLIED) {
                return false;
            }
        }
        return true;
    }

    void retried() {
        retries++;
        changed.accept(this);
    }

    /** Counts one more attempt that left the ban incomplete; returns how many in a row. */
    int failedAgain() {
        return ++failuresInARow;
    }

    void succeeded() {
        failuresInARow = 0;
    }

    boolean markedApplied() {
        return markedApplied;
    }

    void markApplied() {
        markedApplied = true;
    }

    BanStatus status(Instant nextRetry) {
        return new BanStatus(ban.ip(), ban.jail(), ban.start(), ban.end(), List.copyOf(states.values()), retries,
                nextRetry, ban.decidedBy());
    }
}
