package org.tollgate.server.config;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tollgate.banner.config.ConfigList;
import org.tollgate.banner.config.ConfigMap;
import org.tollgate.banner.config.ConfigNode;
import org.tollgate.banner.config.ConfigScalar;
import org.tollgate.banner.config.TollgateConfigFile;

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
    private static final List<String> SERVED_SOURCE_TYPES = List.of("file");
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
        for (ConfigNode item : sourcesNode.get().asList().items()) {
            sources.add(source(item.asMap()));
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
        map.allowOnly(List.of("type", "path", "patched", "zone", "start", "listen", "unit"));
        ConfigScalar typeNode = map.require("type").asScalar();
        String type = typeNode.asOneOf(SOURCE_TYPES);
        if (!SERVED_SOURCE_TYPES.contains(type)) {
            throw typeNode.error("source type '" + type + "' is not served by this version yet; use "
                    + String.join(", ", SERVED_SOURCE_TYPES));
        }
        String path = map.require("path").asScalar().asString();
        boolean patched = map.get("patched").map(n -> n.asScalar().asBoolean()).orElse(false);
        ZoneId zone = map.get("zone").map(n -> zone(n.asScalar())).orElse(ZoneId.systemDefault());
        String start = map.get("start").map(n -> n.asScalar().asOneOf(List.of("beginning", "end")))
                .orElse(SourceSettings.DEFAULT_START);
        return new SourceSettings(type, path, patched, zone, start, map.line());
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
