package org.tollgate.banner.action;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tollgate.banner.jail.Ban;

/**
 * A firewall action that takes every ban and lift, touches nothing and has nothing missing: the actions of the
 * enforcer's dry run at start-up, and of tests (which override {@link #ban} to record what it is handed or to hold
 * the call).
 */
public class AcceptingFirewall implements FirewallAction {

    private final String name;

    public AcceptingFirewall(String name) {
        this.name = name;
    }

    /** Every address applied. */
    public static BanOutcome allApplied(List<Ban> bans) {
        return new BanOutcome(bans.stream().map(Ban::ip).toList(), Map.of());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void setUp() {
    }

    @Override
    public BanOutcome ban(List<Ban> bans) {
        return allApplied(bans);
    }

    @Override
    public BanOutcome unban(List<Ban> bans) {
        return allApplied(bans);
    }

    @Override
    public Set<String> missing(Collection<Ban> active) {
        return Set.of();
    }

    @Override
    public void tearDown() {
    }

    @Override
    public void close() {
    }
}
