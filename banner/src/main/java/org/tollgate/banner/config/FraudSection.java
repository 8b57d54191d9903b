package org.tollgate.banner.config;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.tollgate.banner.fraud.FraudSettings;
import org.tollgate.banner.jail.ActionSettings;
import org.tollgate.normalizer.call.DestinationClass;

/**
 * Reads the {@code fraud:} section of tollgate.yaml: fraud jails by name, each with the limits it trips on. Every value
 * is checked here, where its line is known; an unknown key is an error that lists the allowed ones.
 *
 * <pre>
 * fraud:
 *   office:
 *     per: endpoint                # or source
 *     contexts: [from-internal]
 *     calls: {classes: [international, premium, satellite], max: 10, window: 10m}
 *     minutes: {max: 120, window: 1h}
 *     concurrent: 4
 *     new_destinations: {max: 8, window: 1h}
 *     hours: {from: "07:00", to: "20:00", zone: Europe/Berlin}
 *     blocked: [premium, satellite]
 *     bantime: 1h
 *     ban_source: sip-auth         # a failure jail: bans the trusted source with its bantime and actions
 *     stop_calls: true             # hang up its calls and block new ones through the manager (ami:)
 * </pre>
 */
public final class FraudSection {

    /** The key of the section. */
    public static final String SECTION = "fraud";
    public static final List<String> KEYS = List.of("enabled", "actions", "per", "contexts", "calls", "minutes", "concurrent",
            "new_destinations", "hours", "blocked", "bantime", "ban_source", "stop_calls",
            "maxtracked");
    private static final List<String> LIMIT_KEYS = List.of("classes", "max", "window");
    private static final List<String> HOURS_KEYS = List.of("from", "to", "zone", "classes");
    private static final List<String> PERS = List.of("endpoint", "source");

    private FraudSection() {
    }

    /** The fraud jails by name in file order; none when the section is absent or empty. */
    public static Map<String, FraudSettings> read(ConfigNode section) {
        if (section == null || section instanceof ConfigScalar scalar && scalar.isEmpty()) {
            return Map.of();
        }
        Map<String, FraudSettings> byName = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigNode> entry : section.asMap().entries().entrySet()) {
            byName.put(entry.getKey(), jail(entry.getKey(), entry.getValue()));
        }
        return Collections.unmodifiableMap(byName);
    }

    /**
     * Each fraud jail's {@code actions}: alert actions only ({@code mail}, {@code webhook}), told of its alerts; a
     * fraud jail has no firewall action of its own ({@code ban_source} bans through a failure jail's).
     *
     * @param section the {@code fraud} section, or null
     * @throws ConfigException naming an entry that is not an alert action
     */
    public static Map<String, List<ActionSettings>> alerts(ConfigNode section) {
        Map<String, List<ActionSettings>> byName = new LinkedHashMap<>();
        if (section == null || section instanceof ConfigScalar scalar && scalar.isEmpty()) {
            return byName;
        }
        for (Map.Entry<String, ConfigNode> entry : section.asMap().entries().entrySet()) {
            byName.put(entry.getKey(), entry.getValue().asMap().get("actions").map(FraudSection::alertActions)
                    .orElse(List.of()));
        }
        return byName;
    }

    private static List<ActionSettings> alertActions(ConfigNode node) {
        List<ActionSettings> actions = JailsSection.actions(node);
        for (ActionSettings action : actions) {
            if (!action.alert()) {
                throw new ConfigException(action.path() + ".type", "a fraud jail's actions are alert actions (mail,"
                        + " webhook), was '" + action.type() + "'; to ban the caller's address use ban_source",
                        action.file(), action.line());
            }
        }
        return actions;
    }

    private static FraudSettings jail(String name, ConfigNode node) {
        if (!FraudSettings.NAME.matcher(name).matches()) {
            throw node.error("a fraud jail name is letters, digits, '-' and '_', starting with a letter or digit, at"
                    + " most 32 characters; was " + Echo.quote(name));
        }
        ConfigMap map = node.asMap();
        map.allowOnly(KEYS);
        map.get("actions").ifPresent(FraudSection::alertActions);
        boolean enabled = map.get("enabled").map(n -> n.asScalar().asBoolean()).orElse(true);
        FraudSettings.Per per = map.get("per")
                .map(n -> FraudSettings.Per.valueOf(n.asScalar().asOneOf(PERS).toUpperCase(Locale.ROOT)))
                .orElse(FraudSettings.Per.ENDPOINT);
        Set<String> contexts = new LinkedHashSet<>();
        map.get("contexts").ifPresent(n -> JailsSection.items(n).forEach(item -> contexts.add(item.asString())));
        List<FraudSettings.Limit> limits = new ArrayList<>();
        map.get("calls").ifPresent(n -> limits(n, FraudSettings.Measure.CALLS, limits));
        map.get("minutes").ifPresent(n -> limits(n, FraudSettings.Measure.MINUTES, limits));
        int concurrent = map.get("concurrent").map(n -> n.asScalar().asInt(0, 100_000)).orElse(0);
        FraudSettings.NewDestinations fresh = map.get("new_destinations").map(n -> {
            ConfigMap limit = n.asMap();
            limit.allowOnly(LIMIT_KEYS);
            return new FraudSettings.NewDestinations(classes(limit), limit.require("max").asScalar().asInt(0, 100_000),
                    window(limit));
        }).orElse(null);
        FraudSettings.Hours hours = map.get("hours").map(FraudSection::hours).orElse(null);
        Set<DestinationClass> blocked = map.get("blocked").map(FraudSection::classList)
                .orElse(EnumSet.noneOf(DestinationClass.class));
        Duration bantime = map.get("bantime").map(n -> positive(n.asScalar())).orElse(FraudSettings.DEFAULT_BANTIME);
        String banSource = map.get("ban_source").map(n -> n.asScalar().asString()).orElse(null);
        boolean stopCalls = map.get("stop_calls").map(n -> n.asScalar().asBoolean()).orElse(false);
        int maxTracked = map.get("maxtracked").map(n -> n.asScalar().asInt(1, 10_000_000))
                .orElse(FraudSettings.DEFAULT_MAX_TRACKED);
        if (limits.isEmpty() && concurrent == 0 && fresh == null && hours == null && blocked.isEmpty()) {
            throw map.error("a fraud jail needs at least one of calls, minutes, concurrent, new_destinations, hours,"
                    + " blocked");
        }
        try {
            return new FraudSettings(name, enabled, per, contexts, limits, concurrent, fresh, hours, blocked, bantime,
                    banSource, stopCalls, maxTracked);
        } catch (IllegalArgumentException e) {
            throw map.error(e.getMessage());
        }
    }

    /** One limit as a mapping, or a list of them. */
    private static void limits(ConfigNode node, FraudSettings.Measure measure, List<FraudSettings.Limit> out) {
        List<ConfigNode> items = node instanceof ConfigList list ? list.items() : List.of(node);
        for (ConfigNode item : items) {
            ConfigMap limit = item.asMap();
            limit.allowOnly(LIMIT_KEYS);
            out.add(new FraudSettings.Limit(measure, classes(limit), limit.require("max").asScalar().asInt(0, 1_000_000),
                    window(limit)));
        }
    }

    private static Set<DestinationClass> classes(ConfigMap map) {
        return map.get("classes").map(FraudSection::classList)
                .orElse(EnumSet.copyOf(FraudSettings.DEFAULT_CLASSES));
    }

    private static Set<DestinationClass> classList(ConfigNode node) {
        Set<DestinationClass> classes = EnumSet.noneOf(DestinationClass.class);
        for (ConfigScalar item : JailsSection.items(node)) {
            DestinationClass type = DestinationClass.byId(item.asString());
            if (type == null || type == DestinationClass.EMERGENCY) {
                throw item.error("expected a destination class (" + String.join(", ", DestinationClass.ids().stream()
                        .filter(id -> !id.equals(DestinationClass.EMERGENCY.id())).toList())
                        + "; emergency calls are never limited), was " + Echo.quote(item.text()));
            }
            classes.add(type);
        }
        if (classes.isEmpty()) {
            throw node.error("expected at least one destination class, was empty");
        }
        return classes;
    }

    private static Duration window(ConfigMap map) {
        return positive(map.require("window").asScalar());
    }

    private static FraudSettings.Hours hours(ConfigNode node) {
        ConfigMap map = node.asMap();
        map.allowOnly(HOURS_KEYS);
        ZoneId zone = map.get("zone").map(n -> {
            try {
                return ZoneId.of(n.asScalar().asString());
            } catch (DateTimeException e) {
                throw n.error("expected a time zone such as UTC or Europe/Berlin, was " + Echo.quote(n.asScalar().text()));
            }
        }).orElse(ZoneId.systemDefault());
        return new FraudSettings.Hours(time(map.require("from").asScalar()), time(map.require("to").asScalar()), zone,
                classes(map));
    }

    private static LocalTime time(ConfigScalar scalar) {
        try {
            return LocalTime.parse(scalar.asString());
        } catch (DateTimeParseException e) {
            throw scalar.error("expected a time of day such as 07:00, was " + Echo.quote(scalar.text()));
        }
    }

    private static Duration positive(ConfigScalar scalar) {
        Duration duration = scalar.asDuration(false);
        if (duration.isZero()) {
            throw scalar.error("expected a duration greater than 0, was " + Echo.quote(scalar.text()));
        }
        return duration;
    }
}
