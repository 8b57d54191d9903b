package org.tollgate.banner.action;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.tollgate.banner.jail.Ban;

/**
 * Puts bans in force in one firewall (an ipset, an nftables set, firewalld rules, ...). Built from a jail's
 * {@link org.tollgate.banner.jail.ActionSettings}. Implementations run commands as argument lists, never through a
 * shell, with a timeout; callers run them off the event loop.
 *
 * <p>Every method is idempotent: banning an address already banned, or lifting one not banned, succeeds. A
 * partial failure is reported in the {@link BanOutcome}, per address; {@link ActionException} is for the action
 * failing as a whole (the tool is missing, the set cannot be created).
 */
public interface FirewallAction extends AutoCloseable {

    /** A short name for logs and metrics, such as {@code ipset:tollgate-sip}. */
    String name();

    /**
     * The programs this action runs, by name (looked up on {@code PATH}) or path: while one is missing the action is
     * unusable, and no call is made ({@link Tools}). Empty for an action that runs none.
     */
    default List<String> tools() {
        return List.of();
    }

    /** Creates the set, table or rule the bans go into; idempotent. */
    void setUp() throws ActionException;

    /** Puts {@code bans} in force, many in one call; idempotent. */
    BanOutcome ban(List<Ban> bans) throws ActionException;

    /** Lifts {@code bans}; idempotent. */
    BanOutcome unban(List<Ban> bans) throws ActionException;

    /** The addresses of {@code active} bans that are NOT in force in the firewall, for reconciling after a restart. */
    Set<String> missing(Collection<Ban> active) throws ActionException;

    /**
     * Asks the firewall whether {@code probes} (bans of documentation addresses, never real ones) are in force, by the
     * way a ban checks its own entries, so that the code and any tool session a ban needs are ready before the first
     * ban after start. Nothing in force is added or removed: an action may rehearse a ban's write on a throwaway
     * object of its own that no rule matches, made and removed within the call (the ipset action's throwaway sets).
     * The default asks {@link #missing}.
     */
    default void warmUp(Collection<Ban> probes) throws ActionException {
        missing(probes);
    }

    /**
     * What reports at once that the firewall dropped this action's bans (a reload, a flushed ruleset), so that they
     * are put back without waiting for the periodic reconcile; empty when the firewall reports no such thing.
     */
    default Optional<FirewallMonitor> monitor() {
        return Optional.empty();
    }

    /** Removes what {@link #setUp} created. */
    void tearDown() throws ActionException;

    /** Releases what the action holds in this process; the firewall keeps its bans (that is {@link #tearDown}). */
    @Override
    void close() throws ActionException;
}
