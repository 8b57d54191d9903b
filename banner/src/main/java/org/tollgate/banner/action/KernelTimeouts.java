package org.tollgate.banner.action;

import java.time.Duration;
import java.time.Instant;
import org.tollgate.banner.jail.Ban;

/**
 * Per-entry timeouts for sets that expire bans in the kernel, so a ban ends on time even while Tollgate is down.
 */
final class KernelTimeouts {

    /**
     * The longest per-entry timeout ipset accepts (2^31 - 1 milliseconds, in seconds: about 24.8 days). A longer ban
     * expires in the kernel first; the reconcile loop sees it missing and puts it back with the time that remains.
     */
    static final long MAX_SECONDS = 2_147_483L;

    private KernelTimeouts() {
    }

    /**
     * Whole seconds {@code ban} has left at {@code now}, at least 1 and at most {@link #MAX_SECONDS}; 0 for a
     * permanent ban, which is how both ipset and nftables spell "no timeout".
     */
    static long seconds(Ban ban, Instant now) {
        if (ban.permanent()) {
            return 0;
        }
        Duration left = Duration.between(now, ban.end());
        long seconds = left.getSeconds() + (left.getNano() > 0 ? 1 : 0);
        // Never 0 for a timed ban: 0 would make it permanent.
        return Math.max(1, Math.min(MAX_SECONDS, seconds));
    }
}
