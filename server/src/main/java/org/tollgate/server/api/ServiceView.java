package org.tollgate.server.api;

import org.tollgate.server.cluster.ClusterStatus;

import io.vertx.core.Future;
import java.util.List;
import org.tollgate.banner.enforce.EnforcerStatus;
import org.tollgate.banner.jail.Ban;
import org.tollgate.banner.jail.JailStats;

/**
 * What the admin API sees of the running service and may change in it: the enforcer's bans, the jails' counters,
 * the pipeline's counts. {@link LiveServiceView} is the service itself; tests give a fake.
 *
 * <p>The reads ({@link #status()}, {@link #jails()}, {@link #pipeline()}) return at once (snapshots and counters);
 * the changes complete when the banner made them, after any firewall call ahead of them.
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
     * @return the ban, or a failure: {@link IllegalArgumentException} when the jail never bans that address (ignoreip,
     *         ignoreself)
     */
    Future<Ban> ban(String ip, String jail);

    /** Lifts every ban of {@code ip} (canonical), in every jail; the bans lifted, none when it was not banned. */
    Future<List<Ban>> unban(String ip);

    /**
     * Lifts the ban of {@code ip} (canonical) in {@code jail} alone; the ban lifted, none when that jail did not hold
     * one.
     *
     * @param jail a running jail
     */
    Future<List<Ban>> unban(String ip, String jail);

    /**
     * Reads the configuration file again and applies what can change while the service runs; the one line that says
     * what changed, or a failure whose message says why nothing did.
     */
    default Future<String> reload() {
        return Future.failedFuture(new UnsupportedOperationException("this service cannot reload its configuration"));
    }

    /** Counts of the steps before the jails. */
    PipelineCounts pipeline();

    /** The cluster as this node sees it: members, their health, what was shared. */
    default ClusterStatus cluster() {
        return ClusterStatus.NONE;
    }

    /** The state database: whether writes work, and its table sizes. */
    default StoreStatus store() {
        return StoreStatus.MEMORY;
    }
}
