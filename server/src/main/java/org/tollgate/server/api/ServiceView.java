package org.tollgate.server.api;

import java.util.List;
import org.tollgate.banner.enforce.EnforcerStatus;
import org.tollgate.banner.jail.Ban;
import org.tollgate.banner.jail.JailStats;

/**
 * What the admin API sees of the running service and may change in it: the enforcer's bans, the jails' counters,
 * the pipeline's counts. {@link LiveServiceView} is the service itself; tests give a fake.
 *
 * <p>Every method may block (the enforcer waits for a firewall call in progress): call them off the event loop.
 */
public interface ServiceView {

    /** The bans in force with each firewall action's state, and the enforcer's counters. */
    EnforcerStatus status();

    /** Every running jail's counters, in configuration order. */
    List<JailStats> jails();

    /**
     * Bans {@code ip} by hand in {@code jail}, through the jail's actions.
     *
     * @param ip   a canonical IP literal
     * @param jail a running jail
     * @throws IllegalArgumentException when the jail never bans that address (ignoreip, ignoreself)
     */
    Ban ban(String ip, String jail);

    /** Lifts every ban of {@code ip} (canonical), in every jail; returns the bans lifted. */
    List<Ban> unban(String ip);

    /** Counts of the steps before the jails. */
    PipelineCounts pipeline();

    /** The state database: whether writes work, and its table sizes. */
    default StoreStatus store() {
        return StoreStatus.MEMORY;
    }
}
