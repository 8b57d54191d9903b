package org.tollgate.banner.shield;

import java.util.List;
import java.util.Optional;
import org.tollgate.banner.action.ActionException;
import org.tollgate.banner.action.CommandRunner;
import org.tollgate.banner.action.FirewallMonitor;

/**
 * The shield in one firewall: nftables ({@link NftShield}) or, on hosts without nft, iptables
 * ({@link IptablesShield}). Every change is applied as one transaction; calls are made off the event loop, one at a
 * time.
 */
public interface Shield {

    /** {@code nftables:tollgate_shield} or {@code iptables:TOLLGATE_SHIELD}, for logs and the status. */
    String name();

    /** Puts the whole shield in force, replacing whatever an earlier run left. */
    void apply(AddressList allow, AddressList block) throws ActionException;

    /** Puts new allow and block lists in force, leaving the rate limits' per-source state alone. */
    void reloadLists(AddressList allow, AddressList block) throws ActionException;

    /** What is not in force now (a rule, a set, the table), one short phrase each; empty when all of it is. */
    List<String> missing() throws ActionException;

    /** The rules with their packet counters, as the firewall shows them now. */
    ShieldStatus status() throws ActionException;

    /** Removes the shield from the firewall. */
    void remove() throws ActionException;

    /** What reports at once that the firewall dropped the shield (a flush, a deleted table). */
    Optional<FirewallMonitor> monitor();

    /** What the shield cannot do on this host (a missing match), one sentence each; read after {@link #apply}. */
    List<String> problems();

    /** The shield for {@code settings}: the backend they name, or for {@code auto} nftables when nft runs. */
    static Shield create(ShieldSettings settings, CommandRunner runner) {
        String backend = settings.backend();
        if (backend.equals("auto")) {
            backend = Tools.runs(runner, List.of("nft", "--version")) ? "nftables" : "iptables";
        }
        return backend.equals("nftables") ? new NftShield(settings, runner) : new IptablesShield(settings, runner);
    }
}
