package org.tollgate.banner.enforce;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import org.tollgate.banner.action.FirewallAction;
import org.tollgate.banner.action.Tools;

/**
 * One firewall action as configured, with the jails whose bans it enforces. Jails naming the same action (type and
 * parameters) share one.
 */
final class ConfiguredAction {

    private final FirewallAction firewall;
    private final String label;
    private final String target;
    private final Set<String> jails = new LinkedHashSet<>();
    private volatile String missingTool;
    /** Why its calls fail since the last one that worked, or null while they work. */
    private volatile String failing;

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

    /** The tool this action needs and cannot find, or null while it is usable. */
    String missingTool() {
        return missingTool;
    }

    boolean usable() {
        return missingTool == null;
    }

    /** Why it is unusable, for statuses and failed bans: {@code 'ipset' is not installed (not found on PATH)}. */
    String unusableReason() {
        return missingTool == null ? null : "'" + missingTool + "' is not installed (not found on PATH)";
    }

    /** Looks for the action's tools again; returns whether it is usable now. */
    boolean checkTools() {
        missingTool = Tools.firstMissing(firewall.tools()).orElse(null);
        return missingTool == null;
    }

    /** Why its calls have failed since the last one that worked, or null while they work. */
    String failing() {
        return failing;
    }

    /**
     * Records a failed call; returns true when it is the first since one worked (the one to say: a tool that keeps
     * failing is said once, not on every retry).
     */
    boolean failed(String reason) {
        boolean first = failing == null;
        failing = reason;
        return first;
    }

    /** Records a call that worked; returns true when calls had failed before it. */
    boolean worked() {
        boolean was = failing != null;
        failing = null;
        return was;
    }

    void serve(String jail) {
        jails.add(jail);
    }

    @Override
    public String toString() {
        return label;
    }
}
