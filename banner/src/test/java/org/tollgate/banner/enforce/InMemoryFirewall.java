package org.tollgate.banner.enforce;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tollgate.banner.action.ActionException;
import org.tollgate.banner.action.BanOutcome;
import org.tollgate.banner.action.FirewallAction;
import org.tollgate.banner.jail.Ban;

/**
 * A firewall set in memory, standing in for an ipset or nftables set in unit tests. It outlives the enforcers of a
 * test, as the kernel outlives a Tollgate restart. It can be told to fail the next calls (with a per-address
 * failure, or by throwing as when the tool is missing) and to lose entries, as a firewall reload does.
 */
final class InMemoryFirewall implements FirewallAction {

    private final String name;
    /** Address to the ban last applied for it: its end is the kernel timeout. */
    private final Map<String, Ban> entries = new LinkedHashMap<>();
    private int banFailures;
    private int unbanFailures;
    private int missingFailures;
    private boolean throwing;

    InMemoryFirewall(String name) {
        this.name = name;
    }

    /** The next {@code calls} ban calls fail every address; by throwing with {@code throwing}. */
    synchronized InMemoryFirewall failBans(int calls, boolean throwing) {
        this.banFailures = calls;
        this.throwing = throwing;
        return this;
    }

    synchronized InMemoryFirewall failUnbans(int calls) {
        this.unbanFailures = calls;
        return this;
    }

    synchronized InMemoryFirewall failMissing(int calls) {
        this.missingFailures = calls;
        return this;
    }

    /** Drops entries behind Tollgate's back, as {@code firewall-cmd --reload} or {@code nft flush ruleset} do. */
    synchronized void lose(String... ips) {
        for (String ip : ips) {
            entries.remove(ip);
        }
    }

    synchronized void loseAll() {
        entries.clear();
    }

    synchronized Set<String> addresses() {
        return new LinkedHashSet<>(entries.keySet());
    }

    synchronized Ban entry(String ip) {
        return entries.get(ip);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void setUp() {
    }

    @Override
    public synchronized BanOutcome ban(List<Ban> bans) throws ActionException {
        if (banFailures > 0) {
            banFailures--;
            return failure(bans, "ipset v7.17: Kernel error received: Out of memory");
        }
        List<String> applied = new ArrayList<>();
        for (Ban ban : bans) {
            entries.put(ban.ip(), ban);
            applied.add(ban.ip());
        }
        return BanOutcome.allApplied(applied);
    }

    @Override
    public synchronized BanOutcome unban(List<Ban> bans) throws ActionException {
        if (unbanFailures > 0) {
            unbanFailures--;
            return failure(bans, "ipset v7.17: Kernel error received: Resource busy");
        }
        List<String> lifted = new ArrayList<>();
        for (Ban ban : bans) {
            entries.remove(ban.ip());
            lifted.add(ban.ip());
        }
        return BanOutcome.allApplied(lifted);
    }

    private BanOutcome failure(List<Ban> bans, String reason) throws ActionException {
        if (throwing) {
            throw new ActionException(name + ": ipset: no answer within 30s, killed");
        }
        Map<String, String> failed = new LinkedHashMap<>();
        bans.forEach(ban -> failed.put(ban.ip(), reason));
        return new BanOutcome(List.of(), failed);
    }

    @Override
    public synchronized Set<String> missing(Collection<Ban> active) throws ActionException {
        if (missingFailures > 0) {
            missingFailures--;
            throw new ActionException(name + ": cannot list set: ipset exited 1");
        }
        Set<String> missing = new LinkedHashSet<>();
        for (Ban ban : active) {
            if (!entries.containsKey(ban.ip())) {
                missing.add(ban.ip());
            }
        }
        return missing;
    }

    @Override
    public synchronized void tearDown() {
        entries.clear();
    }

    @Override
    public void close() {
    }
}
