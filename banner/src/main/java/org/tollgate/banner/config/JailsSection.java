package org.tollgate.banner.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.tollgate.banner.jail.ActionSettings;
import org.tollgate.banner.jail.AddressMatcher;
import org.tollgate.banner.jail.BanTimeIncrement;
import org.tollgate.banner.jail.JailSettings;
import org.tollgate.normalizer.geo.SourceGeo;

/**
 * Reads the {@code jails:} section of tollgate.yaml: a mapping of jail name to settings, keys named as in fail2ban's
 * jail.conf ({@code maxretry}, {@code findtime}, {@code bantime}, {@code bantime.increment}, ...). Every value is
 * checked here, where its line is known; an unknown key is an error that lists the allowed ones.
 */
public final class JailsSection {

    /** The keys of a jail's own fail2ban filters, read by the server (which compiles them), not here. */
    public static final List<String> FILTER_KEYS = List.of("filter", "failregex", "prefregex", "ignoreregex",
            "datepattern");

    /** Every key a jail may have. */
    public static final List<String> KEYS = java.util.stream.Stream.concat(java.util.stream.Stream.of(
            "enabled", "source", "maxretry", "findtime", "bantime",
            "bantime.increment", "bantime.factor", "bantime.formula", "bantime.multipliers", "bantime.maxtime",
            "bantime.rndtime", "bantime.overalljails",
            "ignoreip", "ignoreself", "match", "trust", "count", "maxtracked", "actions", "scope"),
            FILTER_KEYS.stream()).toList();

    private static final List<String> SOURCES = List.of("failures", "bans");
    private static final String EVENT_ACTION = "event.action";
    private static final List<String> TRUSTS = List.of("trusted", "custom", "any");
    private static final List<String> COUNTS = List.of("attempts", "lines");
    private static final List<String> SCOPES = List.of("local", "cluster");
    private static final Pattern ACTION_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Pattern WHITESPACE_OR_COMMA = Pattern.compile("[\\s,]+");

    private JailsSection() {
    }

    /** The jails by name in file order; none when {@code jails} is absent or empty. */
    public static Map<String, JailSettings> read(ConfigNode jails) {
        if (jails == null || jails instanceof ConfigScalar scalar && scalar.isEmpty()) {
            return Map.of();
        }
        Map<String, JailSettings> byName = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigNode> entry : jails.asMap().entries().entrySet()) {
            byName.put(entry.getKey(), jail(entry.getKey(), entry.getValue()));
        }
        return Collections.unmodifiableMap(byName);
    }

    /** One jail's settings from its mapping. */
    public static JailSettings jail(String name, ConfigNode node) {
        if (!JailSettings.NAME.matcher(name).matches()) {
            throw node.error("a jail name is letters, digits, '-' and '_', starting with a letter or digit, at most"
                    + " 32 characters; was " + Echo.quote(name));
        }
        if (!(node instanceof ConfigMap)) {
            throw node.error("expected a mapping of jail settings (maxretry, findtime, bantime, ...), was "
                    + node.describe());
        }
        ConfigMap map = (ConfigMap) node;
        map.allowOnly(KEYS);

        JailSettings.Source source = map.get("source")
                .map(n -> JailSettings.Source.valueOf(n.asScalar().asOneOf(SOURCES).toUpperCase(Locale.ROOT)))
                .orElse(JailSettings.Source.FAILURES);
        JailSettings.Builder builder = JailSettings.builder(name, source);
        map.get("enabled").ifPresent(n -> builder.enabled(n.asScalar().asBoolean()));
        map.get("maxretry").ifPresent(n -> builder.maxretry(n.asScalar().asInt(1, JailSettings.LARGEST_MAXRETRY)));
        map.get("findtime").ifPresent(n -> builder.findtime(positive(n.asScalar(), false)));
        map.get("bantime").ifPresent(n -> builder.bantime(positive(n.asScalar(), true)));
        builder.increment(increment(map));
        map.get("ignoreip").ifPresent(n -> builder.ignoreip(ignoreip(n)));
        map.get("ignoreself").ifPresent(n -> builder.ignoreself(n.asScalar().asBoolean()));
        map.get("maxtracked").ifPresent(n -> builder.maxTracked(n.asScalar().asInt(1, 100_000_000)));
        if (source == JailSettings.Source.BANS) {
            List<String> failureOnly = new ArrayList<>(List.of("match", "trust", "count"));
            failureOnly.addAll(FILTER_KEYS);
            for (String failuresKey : failureOnly) {
                map.get(failuresKey).ifPresent(n -> {
                    throw n.error(failuresKey + " applies to jails that count failures; with source: bans the jail"
                            + " counts every ban of the other jails");
                });
            }
        }
        map.get("match").ifPresent(n -> match(n, builder));
        map.get("trust").ifPresent(n -> builder.trust(
                JailSettings.Trust.valueOf(n.asScalar().asOneOf(TRUSTS).toUpperCase(Locale.ROOT))));
        map.get("count").ifPresent(n -> builder.count(
                JailSettings.Count.valueOf(n.asScalar().asOneOf(COUNTS).toUpperCase(Locale.ROOT))));
        map.get("actions").ifPresent(n -> builder.actions(actions(n)));
        map.get("scope").ifPresent(n -> builder.scope(
                JailSettings.Scope.valueOf(n.asScalar().asOneOf(SCOPES).toUpperCase(Locale.ROOT))));
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            // Each key was checked above; this is the backstop for a combination of them.
            throw map.error(e.getMessage());
        }
    }

    private static Duration positive(ConfigScalar scalar, boolean permanentAllowed) {
        Duration duration = scalar.asDuration(permanentAllowed);
        if (duration.isZero()) {
            throw scalar.error("expected a duration greater than 0" + (permanentAllowed ? " or -1 (permanent)" : "")
                    + ", was " + Echo.quote(scalar.text()));
        }
        return Durations.isPermanent(duration) ? JailSettings.PERMANENT : duration;
    }

    private static BanTimeIncrement increment(ConfigMap map) {
        boolean enabled = map.get("bantime.increment").map(n -> n.asScalar().asBoolean()).orElse(false);
        double factor = map.get("bantime.factor").map(n -> n.asScalar().asPositiveNumber())
                .orElse(BanTimeIncrement.DEFAULT_FACTOR);
        map.get("bantime.formula").ifPresent(n -> {
            String formula = n.asScalar().asString();
            if (!squeeze(formula).equals(squeeze(BanTimeIncrement.DEFAULT_FORMULA))) {
                throw n.error("only fail2ban's default formula '" + BanTimeIncrement.DEFAULT_FORMULA
                        + "' is supported (shape the growth with bantime.factor or bantime.multipliers instead), was "
                        + Echo.quote(formula));
            }
        });
        List<Integer> multipliers = map.get("bantime.multipliers").map(JailsSection::multipliers).orElse(List.of());
        Duration maxtime = map.get("bantime.maxtime").map(n -> positive(n.asScalar(), false)).orElse(null);
        Duration rndtime = map.get("bantime.rndtime").map(n -> n.asScalar().asDuration(false)).orElse(Duration.ZERO);
        boolean overall = map.get("bantime.overalljails").map(n -> n.asScalar().asBoolean()).orElse(false);
        return new BanTimeIncrement(enabled, factor, multipliers, maxtime, rndtime, overall);
    }

    /** A YAML list of whole numbers, or fail2ban's space-separated {@code "1 2 4 8 16"}. */
    private static List<Integer> multipliers(ConfigNode node) {
        List<Integer> multipliers = new ArrayList<>();
        for (ConfigScalar item : items(node)) {
            multipliers.add(item.asInt(1, 1_000_000));
        }
        if (multipliers.isEmpty()) {
            throw node.error("expected at least one multiplier such as [1, 2, 4, 8], was empty");
        }
        return multipliers;
    }

    /** A YAML list, or fail2ban's space-separated {@code "127.0.0.1/8 ::1"}. */
    private static AddressMatcher ignoreip(ConfigNode node) {
        List<String> entries = new ArrayList<>();
        for (ConfigScalar item : items(node)) {
            String entry = item.asString();
            try {
                AddressMatcher.parse(List.of(entry));
            } catch (IllegalArgumentException e) {
                throw item.error(e.getMessage());
            }
            entries.add(entry);
        }
        return AddressMatcher.parse(entries);
    }

    /**
     * {@code match}: a list of {@code event.action} names, or a mapping of {@code event.action} and geo or AS fields
     * ({@code source.geo.country_iso_code: [CN, RU]}) to the values counted.
     */
    private static void match(ConfigNode node, JailSettings.Builder builder) {
        if (!(node instanceof ConfigMap map)) {
            builder.match(actionNames(node));
            return;
        }
        List<String> keys = new ArrayList<>();
        keys.add(EVENT_ACTION);
        keys.addAll(SourceGeo.FIELDS);
        map.allowOnly(keys);
        for (Map.Entry<String, ConfigNode> entry : map.entries().entrySet()) {
            if (entry.getKey().equals(EVENT_ACTION)) {
                builder.match(actionNames(entry.getValue()));
                continue;
            }
            List<String> values = new ArrayList<>();
            for (ConfigScalar item : values(entry.getValue())) {
                values.add(geoValue(entry.getKey(), item));
            }
            if (values.isEmpty()) {
                throw entry.getValue().error("expected at least one value, was empty");
            }
            builder.geoMatch(entry.getKey(), values);
        }
    }

    /** A list of values, or one value: an organization name keeps its spaces. */
    private static List<ConfigScalar> values(ConfigNode node) {
        List<ConfigScalar> values = new ArrayList<>();
        if (node instanceof ConfigList list) {
            list.items().forEach(item -> values.add(item.asScalar()));
        } else if (!node.asScalar().isEmpty()) {
            values.add(node.asScalar());
        }
        return values;
    }

    private static String geoValue(String field, ConfigScalar item) {
        String value = item.asString();
        switch (field) {
            case SourceGeo.COUNTRY_ISO_CODE, SourceGeo.CONTINENT_CODE -> {
                if (!value.matches("[A-Za-z]{2}")) {
                    throw item.error("expected a two-letter code such as " + (field.equals(SourceGeo.COUNTRY_ISO_CODE)
                            ? "DE or CN" : "EU or AS") + ", was " + Echo.quote(value));
                }
            }
            case SourceGeo.AS_NUMBER -> {
                String digits = value.regionMatches(true, 0, "AS", 0, 2) ? value.substring(2) : value;
                if (!digits.matches("[0-9]{1,10}") || Long.parseLong(digits) > 4_294_967_295L) {
                    throw item.error("expected an AS number such as 64500 or AS64500, was " + Echo.quote(value));
                }
                return Long.toString(Long.parseLong(digits));
            }
            default -> {
                // Names are compared as the database writes them.
            }
        }
        return value;
    }

    private static List<String> actionNames(ConfigNode node) {
        List<String> names = new ArrayList<>();
        for (ConfigScalar item : items(node)) {
            String name = item.asString();
            if (!ACTION_NAME.matcher(name).matches()) {
                throw item.error("expected an event.action name such as registration-failed (lower case letters,"
                        + " digits and '-'), was " + Echo.quote(name));
            }
            names.add(name);
        }
        return names;
    }

    static List<ActionSettings> actions(ConfigNode node) {
        if (node instanceof ConfigScalar scalar && scalar.isEmpty()) {
            return List.of();
        }
        List<ActionSettings> actions = new ArrayList<>();
        for (ConfigNode item : node.asList().items()) {
            ConfigMap entry = item.asMap();
            String type = entry.require("type").asScalar().asOneOf(ActionSettings.TYPES);
            Map<String, String> params = new LinkedHashMap<>();
            for (Map.Entry<String, ConfigNode> param : entry.entries().entrySet()) {
                if (!param.getKey().equals("type")) {
                    params.put(param.getKey(), param.getValue().asScalar().asString());
                }
            }
            actions.add(new ActionSettings(type, params, entry.path(), entry.file(), entry.line()));
        }
        return actions;
    }

    /**
     * The scalars of a list, or the words of one scalar split at spaces and commas, as fail2ban writes lists; each
     * word keeps the scalar's path and line.
     */
    static List<ConfigScalar> items(ConfigNode node) {
        List<ConfigScalar> items = new ArrayList<>();
        if (node instanceof ConfigList list) {
            for (ConfigNode item : list.items()) {
                items.add(item.asScalar());
            }
        } else {
            ConfigScalar scalar = node.asScalar();
            if (scalar.text() != null) {
                for (String word : WHITESPACE_OR_COMMA.split(scalar.text().trim())) {
                    if (!word.isEmpty()) {
                        items.add(new ConfigScalar(scalar.path(), scalar.file(), scalar.line(), word));
                    }
                }
            }
        }
        return items;
    }

    private static String squeeze(String text) {
        return text.replaceAll("\\s+", "");
    }
}
