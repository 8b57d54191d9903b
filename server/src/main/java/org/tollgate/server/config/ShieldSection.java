package org.tollgate.server.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.tollgate.banner.config.ConfigList;
import org.tollgate.banner.config.ConfigMap;
import org.tollgate.banner.config.ConfigNode;
import org.tollgate.banner.config.ConfigScalar;
import org.tollgate.banner.config.Durations;
import org.tollgate.banner.shield.AddressList;
import org.tollgate.banner.shield.ShieldSettings;

/**
 * Reads the {@code shield} section of tollgate.yaml into {@link ShieldSettings}. Every value that goes into a firewall
 * rule is checked here: ports are numbers, methods come from a fixed list, User-Agents are plain printable text, and
 * the allow and block files are read (entries with their file and line in errors) before anything is started.
 */
final class ShieldSection {

    static final String SECTION = "shield";
    private static final List<String> KEYS = List.of("enabled", "backend", "name", "ports", "protocols", "ladder",
            "log", "allow", "block", "methods", "user_agents");

    private ShieldSection() {
    }

    static ShieldSettings read(ConfigMap root) {
        Optional<ConfigNode> section = root.get(SECTION);
        if (section.isEmpty() || section.get() instanceof ConfigScalar scalar && scalar.isEmpty()) {
            return ShieldSettings.OFF;
        }
        ConfigMap map = section.get().asMap();
        map.allowOnly(KEYS);
        ShieldSettings off = ShieldSettings.OFF;
        boolean enabled = map.get("enabled").map(n -> n.asScalar().asBoolean()).orElse(false);
        String backend = map.get("backend").map(n -> n.asScalar().asOneOf(ShieldSettings.BACKENDS)).orElse("auto");
        String name = map.get("name").map(ShieldSection::name).orElse(ShieldSettings.DEFAULT_NAME);
        List<Integer> ports = map.get("ports").map(ShieldSection::ports).orElse(ShieldSettings.DEFAULT_PORTS);
        List<String> protocols = map.get("protocols").map(ShieldSection::protocols).orElse(ShieldSettings.PROTOCOLS);
        List<ShieldSettings.Rung> ladder = map.get("ladder").map(ShieldSection::ladder)
                .orElse(ShieldSettings.DEFAULT_LADDER);
        boolean log = map.get("log").map(n -> n.asScalar().asBoolean()).orElse(off.log());
        Path allow = map.get("allow").map(ShieldSection::listFile).orElse(null);
        Path block = map.get("block").map(ShieldSection::listFile).orElse(null);
        Map<String, ShieldSettings.Rung> methods = map.get("methods").map(ShieldSection::methods).orElse(Map.of());
        List<String> agents = map.get("user_agents").map(ShieldSection::userAgents).orElse(List.of());
        return new ShieldSettings(enabled, backend, name, ports, protocols, ladder, log, allow, block, methods, agents);
    }

    private static String name(ConfigNode node) {
        ConfigScalar scalar = node.asScalar();
        if (!scalar.asString().matches("[a-z][a-z0-9_]{0,23}")) {
            throw scalar.error("expected lower-case letters, digits and '_', starting with a letter, at most 24"
                    + " characters (an nftables table name), was " + scalar.describe());
        }
        return scalar.text();
    }

    private static List<Integer> ports(ConfigNode node) {
        List<Integer> ports = new ArrayList<>();
        for (ConfigScalar item : scalars(node)) {
            int port = item.asInt(1, 65_535);
            if (!ports.contains(port)) {
                ports.add(port);
            }
        }
        if (ports.isEmpty() || ports.size() > 15) {
            throw node.error("expected 1 to 15 ports such as [5060, 5061], was " + ports.size());
        }
        return ports;
    }

    private static List<String> protocols(ConfigNode node) {
        List<String> protocols = new ArrayList<>();
        for (ConfigScalar item : scalars(node)) {
            String protocol = item.asOneOf(ShieldSettings.PROTOCOLS);
            if (!protocols.contains(protocol)) {
                protocols.add(protocol);
            }
        }
        if (protocols.isEmpty()) {
            throw node.error("expected udp, tcp or both, was empty");
        }
        return protocols;
    }

    private static List<ShieldSettings.Rung> ladder(ConfigNode node) {
        List<ShieldSettings.Rung> ladder = new ArrayList<>();
        for (ConfigScalar item : scalars(node)) {
            ladder.add(rung(item));
        }
        if (ladder.size() > 10) {
            throw node.error("expected at most 10 rungs, was " + ladder.size());
        }
        return ladder;
    }

    private static ShieldSettings.Rung rung(ConfigScalar scalar) {
        try {
            return ShieldSettings.Rung.parse(scalar.asString(), text -> Durations.parse(text, false));
        } catch (IllegalArgumentException e) {
            throw scalar.error(e.getMessage());
        }
    }

    private static Map<String, ShieldSettings.Rung> methods(ConfigNode node) {
        Map<String, ShieldSettings.Rung> methods = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigNode> entry : node.asMap().entries().entrySet()) {
            String method = entry.getKey().toUpperCase(Locale.ROOT);
            if (!ShieldSettings.METHODS.contains(method)) {
                throw entry.getValue().error("expected a SIP method (" + String.join(", ", ShieldSettings.METHODS)
                        + "), was '" + entry.getKey() + "'");
            }
            methods.put(method, rung(entry.getValue().asScalar()));
        }
        return methods;
    }

    private static List<String> userAgents(ConfigNode node) {
        List<String> agents = new ArrayList<>();
        for (ConfigScalar item : scalars(node)) {
            String agent = item.asString();
            if (agent.equals("default")) {
                agents.addAll(ShieldSettings.DEFAULT_USER_AGENTS);
                continue;
            }
            if (!agent.matches("[A-Za-z0-9 ._/:+()-]{3,64}")) {
                throw item.error("expected a User-Agent of 3 to 64 letters, digits, spaces and ._/:+()- such as"
                        + " friendly-scanner, or default for the usual scanners, was " + item.describe());
            }
            agents.add(agent);
        }
        return agents;
    }

    /** A list file: read now, so that a bad entry stops the start with its file and line. */
    private static Path listFile(ConfigNode node) {
        ConfigScalar scalar = node.asScalar();
        Path file = Path.of(scalar.asString());
        try {
            AddressList.read(file);
        } catch (IllegalArgumentException e) {
            throw scalar.error(e.getMessage());
        }
        return file;
    }

    private static List<ConfigScalar> scalars(ConfigNode node) {
        List<ConfigScalar> items = new ArrayList<>();
        if (node instanceof ConfigList list) {
            list.items().forEach(item -> items.add(item.asScalar()));
        } else {
            items.add(node.asScalar());
        }
        return items;
    }
}
