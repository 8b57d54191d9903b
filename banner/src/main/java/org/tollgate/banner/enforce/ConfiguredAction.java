package org.tollgate.banner.enforce;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import org.tollgate.banner.action.FirewallAction;

/**
 * One firewall action as configured, with the jails whose bans it enforces. Jails naming the same action (type and
 * parameters) share one.
 */
final class ConfiguredAction {

    private final FirewallAction firewall;
    private final String label;
    private final String target;
    private final Set<String> jails = new LinkedHashSet<>();

    /**
     * @param firewall the action
     * @param label    its name in statuses and logs, unique among the configured actions
     */
    ConfiguredAction(FirewallAction firewall, String label) {
        this.firewall = firewall;
        this.label = label;
        this.target = firewall.name();
    }

    FirewallAction firewall() {
        return firewall;
    }

    String label() {
        return label;
    }

    /**
     * What the action writes into, its {@link FirewallAction#name()} ({@code ipset:tollgate-sip}): actions with the
     * same target share firewall state, so one jail's unban must not remove another jail's ban there.
     */
    String target() {
        return target;
    }

    Set<String> jails() {
        return Collections.unmodifiableSet(jails);
    }

    void serve(String jail) {
        jails.add(jail);
    }

    @Override
    public String toString() {
        return label;
    }
}
