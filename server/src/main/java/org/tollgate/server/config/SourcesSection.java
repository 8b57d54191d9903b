package org.tollgate.server.config;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tollgate.banner.config.ConfigMap;
import org.tollgate.banner.config.ConfigNode;
import org.tollgate.banner.config.ConfigScalar;
import org.tollgate.server.config.SourceSettings.FileSource;
import org.tollgate.server.config.SourceSettings.JournaldSource;
import org.tollgate.server.config.SourceSettings.StdinSource;
import org.tollgate.server.config.SourceSettings.SyslogSource;

/** Reads the {@code sources} section of tollgate.yaml into one {@link SourceSettings} record per entry. */
final class SourcesSection {

    private static final List<String> TYPES = List.of("file", "syslog", "journald", "stdin");
    private static final Map<String, List<String>> KEYS = Map.of(
            SourceSettings.FILE, List.of("type", "path", "start", "patched", "zone"),
            SourceSettings.SYSLOG, List.of("type", "listen", "protocol", "patched", "zone"),
            SourceSettings.JOURNALD, List.of("type", "unit", "since", "patched", "zone"),
            SourceSettings.STDIN, List.of("type", "patched", "zone"));

    private SourcesSection() {
    }

    static List<SourceSettings> read(ConfigMap root) {
        ConfigNode node = root.get("sources").orElseThrow(() -> root.error(
                "sources: expected at least one source such as {type: file, path: /var/log/asterisk/full}, was missing"));
        List<SourceSettings> sources = new ArrayList<>();
        boolean stdin = false;
        for (ConfigNode item : node.asList().items()) {
            SourceSettings source = source(item.asMap());
            if (source instanceof StdinSource && stdin) {
                throw item.error("only one source can read stdin");
            }
            stdin |= source instanceof StdinSource;
            sources.add(source);
        }
        return List.copyOf(sources);
    }

    private static SourceSettings source(ConfigMap map) {
        String type = map.require("type").asScalar().asOneOf(TYPES);
        allowKeys(map, type);
        boolean patched = map.get("patched").map(n -> n.asScalar().asBoolean()).orElse(false);
        ZoneId zone = map.get("zone").map(n -> zone(n.asScalar())).orElse(ZoneId.systemDefault());
        return switch (type) {
            case SourceSettings.SYSLOG -> new SyslogSource(
                    map.get("listen").map(n -> ListenAddress.parse(n.asScalar(), true,
                            "127.0.0.1:5514, [::1]:5514 or 0.0.0.0:514")).orElse(SyslogSource.DEFAULT_LISTEN),
                    map.get("protocol").map(n -> n.asScalar().asOneOf(List.of("udp", "tcp", "both")))
                            .orElse(SyslogSource.DEFAULT_PROTOCOL),
                    patched, zone, map.line());
            case SourceSettings.JOURNALD -> new JournaldSource(unit(map.require("unit").asScalar()),
                    map.get("since").map(n -> since(n.asScalar())).orElse(JournaldSource.DEFAULT_SINCE),
                    patched, zone, map.line());
            case SourceSettings.STDIN -> new StdinSource(patched, zone, map.line());
            default -> new FileSource(map.require("path").asScalar().asString(),
                    map.get("start").map(n -> n.asScalar().asOneOf(List.of("beginning", "end")))
                            .orElse(FileSource.DEFAULT_START),
                    patched, zone, map.line());
        };
    }

    /** Fails on a key the source's type does not take, naming the type and the keys it does take. */
    private static void allowKeys(ConfigMap map, String type) {
        List<String> allowed = KEYS.get(type);
        for (Map.Entry<String, ConfigNode> entry : map.entries().entrySet()) {
            if (!allowed.contains(entry.getKey())) {
                throw entry.getValue().error("unknown key '" + entry.getKey() + "' for a " + type
                        + " source; allowed keys: " + String.join(", ", allowed));
            }
        }
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

    private static ZoneId zone(ConfigScalar scalar) {
        try {
            return ZoneId.of(scalar.asString());
        } catch (DateTimeException e) {
            throw scalar.error("expected a time zone such as UTC or Europe/Berlin, was '" + scalar.text() + "'");
        }
    }
}
