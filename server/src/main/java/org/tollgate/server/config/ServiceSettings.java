package org.tollgate.server.config;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tollgate.banner.config.ConfigList;
import org.tollgate.banner.config.ConfigMap;
import org.tollgate.banner.config.ConfigNode;
import org.tollgate.banner.config.ConfigScalar;
import org.tollgate.banner.config.TollgateConfigFile;
import org.tollgate.normalizer.address.IpLiteral;

/**
 * The sections of tollgate.yaml the service reads besides {@code jails}, validated once at start. Errors name the
 * key, echo the value and give the line, as the jails' do.
 *
 * @param sources           where lines come from
 * @param statePath         the SQLite state file, or null for state kept in memory only
 * @param outputs           where events go
 * @param reconcileInterval how often every active ban is checked to be in force
 */
public record ServiceSettings(List<SourceSettings> sources, Path statePath, List<OutputSettings> outputs,
                              Duration reconcileInterval) {

    public static final List<String> SECTIONS = List.of("sources", "state", "jails", "outputs", "api", "reconcile");
    public static final Duration DEFAULT_RECONCILE_INTERVAL = Duration.ofSeconds(30);
    private static final List<String> SOURCE_TYPES = List.of("file", "syslog", "journald", "stdin");
    private static final Map<String, List<String>> SOURCE_KEYS = Map.of(
            SourceSettings.FILE, List.of("type", "path", "start", "patched", "zone"),
            SourceSettings.SYSLOG, List.of("type", "listen", "protocol", "patched", "zone"),
            SourceSettings.JOURNALD, List.of("type", "unit", "since", "patched", "zone"),
            SourceSettings.STDIN, List.of("type", "patched", "zone"));
    private static final List<String> OUTPUT_TYPES = List.of("jsonl", "tcp-json", "syslog", "eventbus-bridge");
    private static final List<String> SERVED_OUTPUT_TYPES = List.of("jsonl");

    public static ServiceSettings read(TollgateConfigFile file) {
        ConfigMap root = file.root();
        root.allowOnly(SECTIONS);
        List<SourceSettings> sources = new ArrayList<>();
        Optional<ConfigNode> sourcesNode = root.get("sources");
        if (sourcesNode.isEmpty()) {
            throw root.error("sources: expected at least one source such as {type: file, path: /var/log/asterisk/full}, was missing");
        }
        boolean stdin = false;
        for (ConfigNode item : sourcesNode.get().asList().items()) {
            SourceSettings source = source(item.asMap());
            if (source.type().equals(SourceSettings.STDIN) && stdin) {
                throw item.error("only one source can read stdin");
            }
            stdin |= source.type().equals(SourceSettings.STDIN);
            sources.add(source);
        }
        Path state = root.get("state").map(node -> {
            ConfigMap map = node.asMap();
            map.allowOnly(List.of("path"));
            String path = map.require("path").asScalar().asString();
            return path.equals(":memory:") ? null : Path.of(path);
        }).orElse(null);
        List<OutputSettings> outputs = new ArrayList<>();
        root.get("outputs").ifPresent(node -> {
            for (ConfigNode item : node.asList().items()) {
                outputs.add(output(item.asMap()));
            }
        });
        Duration reconcile = root.get("reconcile").map(node -> {
            ConfigMap map = node.asMap();
            map.allowOnly(List.of("interval"));
            return map.require("interval").asScalar().asDuration(false);
        }).orElse(DEFAULT_RECONCILE_INTERVAL);
        return new ServiceSettings(List.copyOf(sources), state, List.copyOf(outputs), reconcile);
    }

    private static SourceSettings source(ConfigMap map) {
        ConfigScalar typeNode = map.require("type").asScalar();
        String type = typeNode.asOneOf(SOURCE_TYPES);
        allowSourceKeys(map, type);
        boolean patched = map.get("patched").map(n -> n.asScalar().asBoolean()).orElse(false);
        ZoneId zone = map.get("zone").map(n -> zone(n.asScalar())).orElse(ZoneId.systemDefault());
        switch (type) {
            case SourceSettings.SYSLOG -> {
                Listen listen = map.get("listen").map(n -> listen(n.asScalar()))
                        .orElse(new Listen(SourceSettings.DEFAULT_LISTEN_HOST, SourceSettings.DEFAULT_LISTEN_PORT));
                String protocol = map.get("protocol").map(n -> n.asScalar().asOneOf(List.of("udp", "tcp", "both")))
                        .orElse(SourceSettings.DEFAULT_PROTOCOL);
                return SourceSettings.syslog(listen.host(), listen.port(), protocol, patched, zone, map.line());
            }
            case SourceSettings.JOURNALD -> {
                String unit = unit(map.require("unit").asScalar());
                String since = map.get("since").map(n -> since(n.asScalar())).orElse(SourceSettings.DEFAULT_SINCE);
                return SourceSettings.journald(unit, since, patched, zone, map.line());
            }
            case SourceSettings.STDIN -> {
                return SourceSettings.stdin(patched, zone, map.line());
            }
            default -> {
                String path = map.require("path").asScalar().asString();
                String start = map.get("start").map(n -> n.asScalar().asOneOf(List.of("beginning", "end")))
                        .orElse(SourceSettings.DEFAULT_START);
                return new SourceSettings(type, path, patched, zone, start, map.line());
            }
        }
    }

    /** Fails on a key the source's type does not take, naming the type and the keys it does take. */
    private static void allowSourceKeys(ConfigMap map, String type) {
        List<String> allowed = SOURCE_KEYS.get(type);
        for (Map.Entry<String, ConfigNode> entry : map.entries().entrySet()) {
            if (!allowed.contains(entry.getKey())) {
                throw entry.getValue().error("unknown key '" + entry.getKey() + "' for a " + type
                        + " source; allowed keys: " + String.join(", ", allowed));
            }
        }
    }

    /** {@code host:port} or {@code [ipv6]:port}; the host an IP literal or {@code localhost}. */
    private static Listen listen(ConfigScalar scalar) {
        String text = scalar.asString();
        String problem = "expected <address>:<port> such as 127.0.0.1:5514, [::1]:5514 or 0.0.0.0:514, was "
                + scalar.describe();
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw scalar.error(problem);
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
            if (host.indexOf(':') < 0 || IpLiteral.canonical(host) == null) {
                throw scalar.error(problem);
            }
        } else if (host.indexOf(':') >= 0 || (!host.equals("localhost") && IpLiteral.canonical(host) == null)) {
            throw scalar.error(problem);
        }
        String port = text.substring(colon + 1);
        int number = -1;
        if (port.length() <= 5 && port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            number = Integer.parseInt(port);
        }
        if (number < 1 || number > 65535) {
            throw scalar.error("expected a port from 1 to 65535 after the address, was " + scalar.describe());
        }
        return new Listen(host, number);
    }

    private record Listen(String host, int port) {
    }

    /** A unit name or pattern as journalctl's {@code --unit} takes it. */
    private static String unit(ConfigScalar scalar) {
        String text = scalar.asString();
        boolean ok = !text.startsWith("-") && text.length() <= 256;
        for (int i = 0; ok && i < text.length(); i++) {
            char c = text.charAt(i);
            ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || ":_.\\@-*?[]".indexOf(c) >= 0;
        }
        if (!ok) {
            throw scalar.error("expected a systemd unit name such as asterisk.service (letters, digits and :_.\\@-, "
                    + "globs *?[]), was " + scalar.describe());
        }
        return text;
    }

    /** {@code now}, or a journal cursor as {@code journalctl --show-cursor} prints it. */
    private static String since(ConfigScalar scalar) {
        String text = scalar.asString();
        if (text.equals("now")) {
            return text;
        }
        boolean ok = text.startsWith("s=") && text.indexOf(";i=") > 0 && text.length() <= 512;
        for (int i = 0; ok && i < text.length(); i++) {
            char c = text.charAt(i);
            ok = c > ' ' && c < 0x7f && c != '"' && c != '\\';
        }
        if (!ok) {
            throw scalar.error("expected now or a journal cursor such as s=…;i=…;b=…;m=…;t=…;x=… "
                    + "(journalctl --show-cursor), was " + scalar.describe());
        }
        return text;
    }

    private static OutputSettings output(ConfigMap map) {
        map.allowOnly(List.of("type", "path", "events", "host", "port", "protocol"));
        ConfigScalar typeNode = map.require("type").asScalar();
        String type = typeNode.asOneOf(OUTPUT_TYPES);
        if (!SERVED_OUTPUT_TYPES.contains(type)) {
            throw typeNode.error("output type '" + type + "' is not served by this version yet; use "
                    + String.join(", ", SERVED_OUTPUT_TYPES));
        }
        String path = map.require("path").asScalar().asString();
        boolean all = map.get("events").map(n -> n.asScalar().asOneOf(List.of("security", "all")))
                .orElse("security").equals("all");
        return new OutputSettings(type, path, all, map.line());
    }

    private static ZoneId zone(ConfigScalar scalar) {
        try {
            return ZoneId.of(scalar.asString());
        } catch (DateTimeException e) {
            throw scalar.error("expected a time zone such as UTC or Europe/Berlin, was '" + scalar.text() + "'");
        }
    }

    static ConfigList list(ConfigNode node) {
        return node.asList();
    }
}
