package org.tollgate.server.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tollgate.banner.config.ConfigException;
import org.tollgate.banner.config.ConfigList;
import org.tollgate.banner.config.ConfigMap;
import org.tollgate.banner.config.ConfigNode;
import org.tollgate.banner.config.ConfigScalar;
import org.tollgate.banner.jail.JailSettings;
import org.tollgate.server.adopt.fail2ban.Fail2banFilter;
import org.tollgate.server.custom.CustomFilters;

/**
 * The jails' own fail2ban filters, read and compiled at load: {@code filter} names filter files
 * ({@code /etc/fail2ban/filter.d/asterisk-custom.conf}, several as a list), or {@code failregex} (with
 * {@code prefregex}, {@code ignoreregex}, {@code datepattern}) writes one inline, named after the jail. A filter named
 * by several jails is read once. Any problem (a file that is missing or malformed, a regex fail2ban or Java would
 * refuse) is an error naming the file and the line.
 *
 * @param filters every filter, in configuration order
 * @param jails   the jails, each with the names of its filters
 */
record CustomFiltersSection(CustomFilters filters, Map<String, JailSettings> jails) {

    private static final List<String> INLINE = List.of("failregex", "prefregex", "ignoreregex", "datepattern");

    static CustomFiltersSection read(ConfigMap root, Map<String, JailSettings> jails, Path filterDir) {
        Map<String, Fail2banFilter> byName = new LinkedHashMap<>();
        Map<String, String> specByName = new LinkedHashMap<>();
        Map<String, JailSettings> named = new LinkedHashMap<>();
        ConfigNode section = root.get("jails").orElse(null);
        if (jails.isEmpty()) {
            return new CustomFiltersSection(CustomFilters.NONE, jails);
        }
        for (JailSettings jail : jails.values()) {
            // Every jail was read from this tree as a mapping.
            ConfigMap map = section.asMap().require(jail.name()).asMap();
            Set<String> names = jailFilters(jail.name(), map, filterDir, byName, specByName);
            if (names.isEmpty() && jail.trust() == JailSettings.Trust.CUSTOM) {
                throw map.get("trust").orElse(map).error("trust: custom applies to a jail with its own filter"
                        + " (filter or failregex), and this jail has none");
            }
            named.put(jail.name(), names.isEmpty() ? jail : jail.withFilters(names));
        }
        return new CustomFiltersSection(new CustomFilters(List.copyOf(byName.values())),
                Collections.unmodifiableMap(named));
    }

    private static Set<String> jailFilters(String jail, ConfigMap map, Path filterDir,
                                           Map<String, Fail2banFilter> byName, Map<String, String> specByName) {
        Set<String> names = new LinkedHashSet<>();
        ConfigNode files = map.get("filter").orElse(null);
        boolean inline = INLINE.stream().anyMatch(map::has);
        if (files != null && inline) {
            throw map.get("failregex").or(() -> map.get(INLINE.stream().filter(map::has).findFirst().get()))
                    .get().error("a jail takes either filter (files) or failregex (inline), not both");
        }
        if (files != null) {
            for (ConfigScalar item : scalars(files)) {
                String spec = item.asString();
                String name;
                try {
                    name = Fail2banFilter.nameOf(spec);
                } catch (IllegalArgumentException e) {
                    throw item.error("expected a fail2ban filter file such as /etc/fail2ban/filter.d/asterisk.conf,"
                            + " optionally with [key=value]: " + e.getMessage());
                }
                add(name, spec, item, () -> {
                    try {
                        return Fail2banFilter.read(spec);
                    } catch (ConfigException e) {
                        // A problem with the file as a whole (missing, not UTF-8) is said where it is named.
                        throw e.line() > 0 ? e : item.error(e.problem() + ": " + e.file());
                    }
                }, byName, specByName);
                names.add(name);
            }
        }
        if (inline) {
            if (!map.has("failregex")) {
                String other = INLINE.stream().filter(map::has).findFirst().orElseThrow();
                throw map.get(other).get().error(other + " goes with failregex, which this jail does not have");
            }
            Map<String, Fail2banFilter.Written> options = new LinkedHashMap<>();
            for (String key : INLINE) {
                map.get(key).ifPresent(node -> options.put(key, written(node)));
            }
            add(jail, "(inline) " + jail, map.require("failregex"), () -> {
                try {
                    return Fail2banFilter.inline(jail, options, filterDir);
                } catch (ConfigException e) {
                    // The problem is in this file: name the jail's key, as every other error here does.
                    throw e.file().equals(map.file())
                            ? new ConfigException(map.path() + "." + e.key(), e.problem(), e.file(), e.line()) : e;
                }
            }, byName, specByName);
            names.add(jail);
        }
        return names;
    }

    @FunctionalInterface
    private interface Reading {
        Fail2banFilter read() throws IOException;
    }

    private static void add(String name, String spec, ConfigNode where, Reading reading,
                            Map<String, Fail2banFilter> byName, Map<String, String> specByName) {
        String earlier = specByName.get(name);
        if (earlier != null) {
            if (!earlier.equals(spec)) {
                throw where.error("two filters are named '" + name + "' (" + earlier + " and " + spec + "): events"
                        + " name a filter by its name, custom:" + name);
            }
            return;
        }
        try {
            byName.put(name, reading.read());
        } catch (IOException e) {
            throw where.error("cannot read the filter: " + e.getMessage());
        }
        specByName.put(name, spec);
    }

    /** A list of lines, or one value whose lines are the list: the text and each line's number. */
    private static Fail2banFilter.Written written(ConfigNode node) {
        List<String> lines = new ArrayList<>();
        List<Integer> numbers = new ArrayList<>();
        for (ConfigScalar item : scalars(node)) {
            String[] parts = item.asString().split("\n", -1);
            for (String part : parts) {
                lines.add(part);
                numbers.add(item.line());
            }
        }
        if (lines.isEmpty()) {
            throw node.error("expected at least one expression, was empty");
        }
        return new Fail2banFilter.Written(String.join("\n", lines), node.file(), numbers);
    }

    private static List<ConfigScalar> scalars(ConfigNode node) {
        List<ConfigScalar> items = new ArrayList<>();
        if (node instanceof ConfigList list) {
            for (ConfigNode item : list.items()) {
                items.add(item.asScalar());
            }
        } else {
            items.add(node.asScalar());
        }
        return items;
    }
}
