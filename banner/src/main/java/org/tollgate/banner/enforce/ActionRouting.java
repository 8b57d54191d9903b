package org.tollgate.banner.enforce;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.banner.action.ActionException;
import org.tollgate.banner.action.FirewallAction;
import org.tollgate.banner.action.FirewallMonitor;
import org.tollgate.banner.LogFields;
import org.tollgate.banner.jail.ActionSettings;
import org.tollgate.banner.jail.JailSettings;

/**
 * Which firewall actions enforce which jail, built once from the running jails: every distinct action entry (type
 * and parameters) once, in order of first appearance, with a label unique among them; each jail's actions in
 * configuration order (a conntrack action listed after a blocking one runs after it); and, per target (the set or
 * table an action writes into), the jails whose bans go there, so that one jail's unban never removes another's ban.
 */
final class ActionRouting {

    private static final Logger LOG = LoggerFactory.getLogger(ActionRouting.class);

    private final List<ConfiguredAction> actions;
    private final Map<String, List<ConfiguredAction>> byJail;
    private final Map<String, Set<String>> jailsByTarget;
    private final Duration longestFindtime;

    /**
     * @throws org.tollgate.banner.config.ConfigException when an action entry is not valid; the actions built so far
     *                                                    are closed
     */
    ActionRouting(Map<String, JailSettings> jails, ActionFactory factory) {
        Map<List<Object>, ConfiguredAction> byEntry = new LinkedHashMap<>();
        Map<String, List<ConfiguredAction>> routes = new LinkedHashMap<>();
        Map<String, Set<String>> byTarget = new HashMap<>();
        Set<String> labels = new HashSet<>();
        Duration findtime = Duration.ZERO;
        try {
            for (JailSettings jail : jails.values()) {
                findtime = jail.findtime().compareTo(findtime) > 0 ? jail.findtime() : findtime;
                List<ConfiguredAction> own = new ArrayList<>();
                for (ActionSettings entry : jail.actions()) {
                    ConfiguredAction action = byEntry.get(List.of(entry.type(), entry.params()));
                    if (action == null) {
                        FirewallAction firewall = Objects.requireNonNull(factory.create(entry),
                                () -> "action factory returned null for " + entry.type() + " in jail " + jail.name());
                        action = new ConfiguredAction(firewall, uniqueLabel(firewall.name(), labels));
                        byEntry.put(List.of(entry.type(), entry.params()), action);
                    }
                    if (!own.contains(action)) {
                        own.add(action);
                        action.serve(jail.name());
                        byTarget.computeIfAbsent(action.target(), t -> new LinkedHashSet<>()).add(jail.name());
                    }
                }
                routes.put(jail.name(), List.copyOf(own));
            }
        } catch (RuntimeException e) {
            byEntry.values().forEach(action -> closeQuietly(action.firewall()));
            throw e;
        }
        this.actions = List.copyOf(byEntry.values());
        this.byJail = routes;
        this.jailsByTarget = byTarget;
        this.longestFindtime = findtime;
    }

    /** What makes action entries the same action: type and parameters, in order (not where they were written). */
    static List<List<Object>> entries(List<ActionSettings> actions) {
        return actions.stream().map(entry -> List.<Object>of(entry.type(), entry.params())).toList();
    }

    private static String uniqueLabel(String name, Set<String> taken) {
        String label = name;
        for (int n = 2; !taken.add(label); n++) {
            label = name + "#" + n;
        }
        return label;
    }

    /** Every configured action once, in configuration order. */
    List<ConfiguredAction> actions() {
        return actions;
    }

    /** The actions of {@code jail}, in configuration order; empty for a jail that is not running. */
    List<ConfiguredAction> of(String jail) {
        return byJail.getOrDefault(jail, List.of());
    }

    boolean runs(String jail) {
        return byJail.containsKey(jail);
    }

    Set<String> jails() {
        return byJail.keySet();
    }

    /** Every jail whose bans go into {@code action}'s target, its own included. */
    Set<String> jailsSharing(ConfiguredAction action) {
        return jailsByTarget.getOrDefault(action.target(), Set.of());
    }

    Duration longestFindtime() {
        return longestFindtime;
    }

    /** What reports the firewalls' losses at once, one per action that has one. */
    List<FirewallMonitor> monitors() {
        List<FirewallMonitor> monitors = new ArrayList<>();
        for (ConfiguredAction action : actions) {
            action.firewall().monitor().ifPresent(monitors::add);
        }
        return monitors;
    }

    /**
     * Sets every action up; returns how many failed (each ban call tries again). An action whose tool is not
     * installed is not set up: it is unusable, said once here at ERROR, until {@link #probe()} finds the tool.
     */
    int setUp() {
        int failures = 0;
        for (ConfiguredAction action : actions) {
            if (!action.checkTools()) {
                failures++;
                LOG.atError()
                        .addKeyValue(LogFields.ACTION, action.label())
                        .addKeyValue(LogFields.TOOL, action.missingTool())
                        .log("firewall action " + action.label() + " cannot run: " + action.unusableReason()
                                + "; its bans wait (checked every second) until it is installed");
                continue;
            }
            if (setUp(action)) {
                failures++;
            }
        }
        return failures;
    }

    /**
     * Looks again for the tools of the unusable actions (a file lookup, no process); sets up and returns those whose
     * tool is there now.
     */
    List<ConfiguredAction> probe() {
        List<ConfiguredAction> back = new ArrayList<>();
        for (ConfiguredAction action : actions) {
            if (!action.usable() && action.checkTools()) {
                LOG.atInfo().addKeyValue(LogFields.ACTION, action.label())
                        .log("firewall action " + action.label() + " can run now: its tool is installed; its bans follow");
                setUp(action);
                back.add(action);
            }
        }
        return back;
    }

    /** Whether every action is usable. */
    boolean allUsable() {
        return actions.stream().allMatch(ConfiguredAction::usable);
    }

    /** Sets {@code action} up; true when that failed. */
    private static boolean setUp(ConfiguredAction action) {
        try {
            action.firewall().setUp();
            return false;
        } catch (ActionException | RuntimeException e) {
            LOG.atError()
                    .addKeyValue(LogFields.ACTION, action.label())
                    .addKeyValue(LogFields.REASON, ActionRound.message(e))
                    .log("firewall action set-up failed; each ban call tries again");
            return true;
        }
    }

    void close() {
        actions.forEach(action -> closeQuietly(action.firewall()));
    }

    private static void closeQuietly(FirewallAction action) {
        try {
            action.close();
        } catch (ActionException | RuntimeException e) {
            LOG.atWarn().addKeyValue(LogFields.ACTION, action.name()).addKeyValue(LogFields.REASON, ActionRound.message(e))
                    .log("firewall action did not close cleanly");
        }
    }
}
