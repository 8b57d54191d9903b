package org.tollgate.banner.enforce;

import java.util.Objects;

/**
 * One ban in one firewall action.
 *
 * @param action    the action's name, such as {@code ipset:tollgate-sip}
 * @param state     where the ban stands there
 * @param lastError the action's message from the last failed attempt, kept after a later success; {@code null} when
 *                  no attempt failed
 */
public record ActionStatus(String action, ActionState state, String lastError) {

    public ActionStatus {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(state, "state");
    }

    ActionStatus applied() {
        return new ActionStatus(action, ActionState.APPLIED, lastError);
    }

    ActionStatus failed(String reason) {
        return new ActionStatus(action, ActionState.FAILED, reason);
    }
}
