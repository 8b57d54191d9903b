package org.tollgate.server.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tollgate.banner.config.ConfigList;
import org.tollgate.banner.config.ConfigMap;
import org.tollgate.banner.config.ConfigNode;
import org.tollgate.banner.config.ConfigScalar;
import org.tollgate.normalizer.call.DestinationClass;
import org.tollgate.normalizer.call.NumberingPlan;

/**
 * Reads the {@code numbering:} section of tollgate.yaml into the {@link NumberingPlan} call events are classified
 * by. Every key is optional and falls back to the built-in plan's value; under {@code prefixes} each class named
 * replaces that class's built-in prefixes (an empty list drops them) and the others keep theirs.
 *
 * <pre>
 * numbering:
 *   country_code: 49
 *   international_prefixes: ["00", "+"]
 *   national_prefixes: ["0"]
 *   outside_prefixes: ["9"]
 *   emergency: [112, 110]
 *   short_codes: [116, 118]
 *   internal_max_length: 4
 *   prefixes:
 *     premium: ["+979", "0900", "0137"]
 *     satellite: ["+870", "+881", "+882", "+883"]
 * </pre>
 */
final class NumberingSection {

    static final String SECTION = "numbering";
    private static final List<String> KEYS = List.of("country_code", "international_prefixes", "national_prefixes",
            "outside_prefixes", "emergency", "short_codes", "internal_max_length", "prefixes");

    private NumberingSection() {
    }

    /** The plan; the built-in one when the section is absent or empty. */
    static NumberingPlan read(ConfigMap root) {
        Optional<ConfigNode> section = root.get(SECTION);
        if (section.isEmpty() || section.get() instanceof ConfigScalar scalar && scalar.isEmpty()) {
            return NumberingPlan.defaults();
        }
        ConfigMap map = section.get().asMap();
        map.allowOnly(KEYS);
        String country = map.get("country_code").map(node -> {
            ConfigScalar scalar = node.asScalar();
            if (!scalar.asString().matches("[1-9][0-9]{0,2}")) {
                throw scalar.error("expected a country code of 1 to 3 digits without prefix (49, 1, 44), was "
                        + scalar.describe());
            }
            return scalar.text();
        }).orElse(null);
        List<String> international = map.get("international_prefixes")
                .map(node -> digits(node, "\\+|[0-9]{1,4}", "'+' or 1 to 4 digits (00, 011)"))
                .orElse(NumberingPlan.DEFAULT_INTERNATIONAL_PREFIXES);
        List<String> national = map.get("national_prefixes")
                .map(node -> digits(node, "[0-9]{1,3}", "1 to 3 digits (0, 1)"))
                .orElse(NumberingPlan.DEFAULT_NATIONAL_PREFIXES);
        List<String> outside = map.get("outside_prefixes")
                .map(node -> digits(node, "[0-9]{1,2}", "1 or 2 digits (9, 0)")).orElse(List.of());
        List<String> emergency = map.get("emergency")
                .map(node -> digits(node, "[0-9]{2,6}", "a number of 2 to 6 digits (112, 911)"))
                .orElse(NumberingPlan.DEFAULT_EMERGENCY);
        List<String> shortCodes = map.get("short_codes")
                .map(node -> digits(node, "[0-9]{1,8}", "1 to 8 digits (116, 118)"))
                .orElse(NumberingPlan.DEFAULT_SHORT_CODES);
        int internal = map.get("internal_max_length").map(node -> node.asScalar().asInt(0, 15))
                .orElse(NumberingPlan.DEFAULT_INTERNAL_MAX_LENGTH);
        Map<String, DestinationClass> prefixes = map.get("prefixes").map(NumberingSection::prefixes)
                .orElse(NumberingPlan.defaultPrefixes());
        try {
            return new NumberingPlan(international, national, country, outside, Set.copyOf(emergency), shortCodes,
                    internal, prefixes);
        } catch (IllegalArgumentException e) {
            throw map.error(e.getMessage());
        }
    }

    /** Class to prefixes; the classes not named keep the built-in prefixes. */
    private static Map<String, DestinationClass> prefixes(ConfigNode node) {
        ConfigMap map = node.asMap();
        List<String> classes = NumberingPlan.PREFIX_CLASSES.stream().map(DestinationClass::id).toList();
        map.allowOnly(classes);
        Map<String, DestinationClass> prefixes = new LinkedHashMap<>();
        NumberingPlan.defaultPrefixes().forEach((prefix, type) -> {
            if (!map.has(type.id())) {
                prefixes.put(prefix, type);
            }
        });
        Map<String, ConfigScalar> where = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigNode> entry : map.entries().entrySet()) {
            DestinationClass type = DestinationClass.byId(entry.getKey());
            for (ConfigScalar item : scalars(entry.getValue())) {
                String prefix = item.asString();
                if (!prefix.matches("\\+?[0-9]{1,8}")) {
                    throw item.error("expected a prefix of 1 to 8 digits, '+' first for a number dialled"
                            + " internationally (+881, 0900), was " + item.describe());
                }
                ConfigScalar before = where.putIfAbsent(prefix, item);
                if (before != null) {
                    throw item.error("the prefix '" + prefix + "' is already given on line " + before.line());
                }
                prefixes.put(prefix, type);
            }
        }
        return prefixes;
    }

    /** A list (or one value) of distinct digit strings that match {@code pattern}. */
    private static List<String> digits(ConfigNode node, String pattern, String expected) {
        Set<String> values = new LinkedHashSet<>();
        for (ConfigScalar item : scalars(node)) {
            String text = item.asString();
            if (!text.matches(pattern)) {
                throw item.error("expected " + expected + ", was " + item.describe());
            }
            values.add(text);
        }
        return new ArrayList<>(values);
    }

    private static List<ConfigScalar> scalars(ConfigNode node) {
        List<ConfigScalar> items = new ArrayList<>();
        if (node instanceof ConfigList list) {
            list.items().forEach(item -> items.add(item.asScalar()));
        } else if (!(node instanceof ConfigScalar scalar && scalar.isEmpty())) {
            items.add(node.asScalar());
        }
        return items;
    }
}
