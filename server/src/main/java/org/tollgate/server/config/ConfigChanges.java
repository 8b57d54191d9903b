package org.tollgate.server.config;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.tollgate.banner.jail.JailSettings;

/**
 * What {@code tollgate reload} changes, from the configuration running and the one just read: which jails take new
 * settings in place (keeping their counts and bans), whether the sources, the alert actions or the custom filters
 * start again, and what waits for a restart.
 *
 * <p>Live: a running jail's settings other than its firewall actions, scope and source (maxretry, findtime, bantime,
 * increments, ignoreip, ignoreself, match, trust, count, filters, alerts); the sources; the alert actions; the
 * custom filters' files. After a restart only: jails added, removed, enabled or disabled, a jail's actions, scope or
 * source; the state file, the outputs, the admin API, the reconcile interval, enrichment, the shield, the numbering
 * plan, the fraud jails, the manager (ami) and the cluster. Where a setting was written (its line) is not a change.
 *
 * @param jails         the running jails' new settings, to apply in place, in configuration order
 * @param jailChanges   what changes in them ({@code sip-auth maxretry 5 -> 4}), one entry each
 * @param sources       whether the sources start again (their read positions are kept)
 * @param alerts        whether the alert actions start again
 * @param customFilters whether the custom filters are replaced (whenever there are any: their files are read again)
 * @param needRestart   what changed but waits for a restart, one entry each ({@code api}, {@code jail ami added})
 */
public record ConfigChanges(List<JailSettings> jails, List<String> jailChanges, boolean sources, boolean alerts,
                            boolean customFilters, List<String> needRestart) {

    /** Where a setting was written: not a change. */
    private static final Set<String> PLACE = Set.of("line", "file");

    /**
     * @param started the configuration the service started with (for what waits for a restart)
     * @param running the running jails' settings, by name
     * @param live    the configuration last applied (for the sources, alerts and filters)
     * @param next    the configuration just read
     */
    public static ConfigChanges between(TollgateConfig started, Map<String, JailSettings> running,
                                        TollgateConfig live, TollgateConfig next) {
        List<String> restart = new ArrayList<>();
        restartIfChanged(restart, "state", started.statePath(), next.statePath());
        restartIfChanged(restart, "outputs", started.outputs(), next.outputs());
        restartIfChanged(restart, "api", started.api(), next.api());
        restartIfChanged(restart, "reconcile", started.reconcileInterval(), next.reconcileInterval());
        restartIfChanged(restart, EnrichSettings.SECTION, started.enrich(), next.enrich());
        restartIfChanged(restart, ShieldSection.SECTION, started.shield(), next.shield());
        restartIfChanged(restart, "fraud", started.fraud(), next.fraud());
        restartIfChanged(restart, "ami", started.ami(), next.ami());
        restartIfChanged(restart, "numbering", started.numbering(), next.numbering());
        restartIfChanged(restart, ClusterSettings.SECTION, started.cluster(), next.cluster());
        List<JailSettings> apply = new ArrayList<>();
        List<String> changes = new ArrayList<>();
        for (JailSettings jail : next.jails().values()) {
            JailSettings now = running.get(jail.name());
            if (now == null) {
                if (jail.enabled()) {
                    restart.add("jail " + jail.name() + (started.jails().containsKey(jail.name()) ? " enabled" : " added"));
                }
                continue;
            }
            if (!jail.enabled()) {
                restart.add("jail " + jail.name() + " disabled");
                continue;
            }
            List<String> fixed = new ArrayList<>();
            for (String key : List.of("actions", "scope", "source")) {
                if (!same(component(now, key), component(jail, key))) {
                    fixed.add(key);
                }
            }
            if (!fixed.isEmpty()) {
                restart.add("jail " + jail.name() + " " + String.join(", ", fixed));
                continue;
            }
            List<String> differ = differences(now, jail);
            if (!differ.isEmpty()) {
                apply.add(jail);
                changes.add(jail.name() + " " + String.join(", ", differ));
            }
        }
        for (String name : running.keySet()) {
            JailSettings jail = next.jails().get(name);
            if (jail == null) {
                restart.add("jail " + name + " removed");
            }
        }
        return new ConfigChanges(List.copyOf(apply), List.copyOf(changes), !same(live.sources(), next.sources()),
                !same(told(live.alerts()), told(next.alerts())), !live.customFilters().isEmpty() || !next.customFilters().isEmpty(),
                List.copyOf(restart));
    }

    /** Nothing to apply and nothing waiting. */
    public boolean none() {
        return jails.isEmpty() && !sources && !alerts && !customFilters && needRestart.isEmpty();
    }

    /** The one line {@code tollgate reload} answers with, after {@code file}. */
    public String describe(String file) {
        List<String> parts = new ArrayList<>();
        if (!jailChanges.isEmpty()) {
            parts.add("jails " + String.join("; ", jailChanges));
        }
        if (sources) {
            parts.add("sources started again (read positions kept)");
        }
        if (alerts) {
            parts.add("alert actions started again");
        }
        if (customFilters) {
            parts.add("custom filters read again");
        }
        String applied = parts.isEmpty() ? "nothing to change" : String.join("; ", parts);
        return "reloaded " + file + ": " + applied + (needRestart.isEmpty() ? ""
                : "; needs a restart to take effect (kept as started): " + String.join(", ", needRestart));
    }

    /** The jails that list alert actions, with them: a jail with none changes nothing for the alerts. */
    private static Map<String, List<AlertSettings>> told(Map<String, List<AlertSettings>> alerts) {
        Map<String, List<AlertSettings>> told = new java.util.LinkedHashMap<>();
        alerts.forEach((jail, actions) -> {
            if (!actions.isEmpty()) {
                told.put(jail, actions);
            }
        });
        return told;
    }

    private static void restartIfChanged(List<String> restart, String section, Object started, Object next) {
        if (!same(started, next)) {
            restart.add(section);
        }
    }

    /** The settings that differ, {@code key old -> new} (values of up to 40 characters, else the key alone). */
    private static List<String> differences(Record now, Record next) {
        List<String> differ = new ArrayList<>();
        for (RecordComponent component : now.getClass().getRecordComponents()) {
            Object before = value(component, now);
            Object after = value(component, next);
            if (!same(before, after)) {
                String shown = String.valueOf(before) + " -> " + after;
                differ.add(shown.length() <= 40 ? component.getName() + " " + shown : component.getName());
            }
        }
        return differ;
    }

    private static Object component(Record record, String name) {
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            if (component.getName().equals(name)) {
                return value(component, record);
            }
        }
        throw new IllegalArgumentException(record.getClass().getSimpleName() + " has no " + name);
    }

    private static Object value(RecordComponent component, Record record) {
        try {
            var accessor = component.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + component, e);
        }
    }

    /**
     * Whether two settings say the same: records component by component, leaving out where they were written;
     * lists and maps element by element; other values by {@code equals}, or by their text when their class keeps
     * identity equality (an address matcher, a compiled filter).
     */
    static boolean same(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null || a.getClass() != b.getClass() && !(a instanceof List && b instanceof List)
                && !(a instanceof Map && b instanceof Map)) {
            return false;
        }
        if (a instanceof Record record) {
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                if (!place(component.getName())
                        && !same(value(component, record), value(component, (Record) b))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List<?> left && b instanceof List<?> right) {
            return left.size() == right.size() && sameInOrder(left.iterator(), right.iterator());
        }
        if (a instanceof Map<?, ?> left && b instanceof Map<?, ?> right) {
            if (!left.keySet().equals(right.keySet())) {
                return false;
            }
            for (Map.Entry<?, ?> entry : left.entrySet()) {
                if (!same(entry.getValue(), right.get(entry.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a.equals(b)) {
            return true;
        }
        return !overridesEquals(a.getClass()) && Objects.equals(a.toString(), b.toString());
    }

    /** {@code line}, {@code file}, {@code tokenFileLine}: where a setting was written. */
    private static boolean place(String component) {
        return PLACE.contains(component) || component.endsWith("Line");
    }

    private static boolean sameInOrder(Iterator<?> left, Iterator<?> right) {
        while (left.hasNext()) {
            if (!same(left.next(), right.next())) {
                return false;
            }
        }
        return true;
    }

    private static boolean overridesEquals(Class<?> type) {
        try {
            return type.getMethod("equals", Object.class).getDeclaringClass() != Object.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
