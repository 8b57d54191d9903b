package org.tollgate.banner.enforce;

import java.util.LinkedHashSet;
import java.util.Set;
import org.tollgate.banner.jail.Ban;

/**
 * A lifted ban that some actions failed to remove; retried with the ban backoff. Not thread-safe: the
 * {@link Enforcer} guards it.
 */
final class PendingUnban {

    private final Ban ban;
    private final Set<ConfiguredAction> failed;
    private final boolean stored;
    private int failuresInARow = 1;

    /**
     * @param stored whether the ban is still in the store, to be removed once lifted (an expired ban stays there
     *               until then, so a restart lifts it again)
     */
    PendingUnban(Ban ban, Set<ConfiguredAction> failed, boolean stored) {
        this.ban = ban;
        this.failed = new LinkedHashSet<>(failed);
        this.stored = stored;
    }

    Ban ban() {
        return ban;
    }

    Set<ConfiguredAction> failed() {
        return failed;
    }

    boolean stored() {
        return stored;
    }

    /** Keeps only the actions that failed again; returns how many attempts in a row have failed. */
    int failedAgain(Set<ConfiguredAction> stillFailing) {
        failed.retainAll(stillFailing);
        return ++failuresInARow;
    }
}
