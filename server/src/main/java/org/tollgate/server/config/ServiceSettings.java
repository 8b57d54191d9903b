package org.tollgate.server.config;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.tollgate.banner.config.ConfigMap;
import org.tollgate.banner.config.ConfigNode;
import org.tollgate.banner.config.ConfigScalar;
import org.tollgate.banner.config.TollgateConfigFile;
import org.tollgate.normalizer.address.IpLiteral;
import org.tollgate.server.output.SyslogFormat;

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
    private static final Map<String, List<String>> OUTPUT_KEYS = Map.of(
            "jsonl", List.of("type", "path", "events", "queue", "rotate"),
            "tcp-json", List.of("type", "host", "port", "events", "queue", "tls", "tls_ca"),
            "syslog", List.of("type", "host", "port", "protocol", "facility", "events", "queue", "tls", "tls_ca",
                    "max_datagram"),
            "eventbus-bridge", List.of("type", "listen", "events"));
    private static final int MAX_QUEUE = 10_000_000;
    /** RFC 5426: the least every IPv4 receiver takes, and the most one UDP datagram carries. */
    private static final int MIN_DATAGRAM = 480;
    private static final int MAX_DATAGRAM = 65_507;
    private static final List<String> ROTATE_KEYS = List.of("max_size", "daily", "max_files", "compress");

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
        Map<String, Integer> jsonlPaths = new HashMap<>();
        root.get("outputs").ifPresent(node -> {
            for (ConfigNode item : node.asList().items()) {
                OutputSettings output = output(item.asMap());
                Integer earlier = !output.type().equals("jsonl") ? null : jsonlPaths.putIfAbsent(
                        output.path().equals("-") ? "-" : Path.of(output.path()).toAbsolutePath().normalize().toString(),
                        output.line());
                if (earlier != null) {
                    throw item.asMap().require("path").error("'" + output.path() + "' is the file of the jsonl "
                            + "output of line " + earlier + "; two writers would cut into each other's lines");
                }
                outputs.add(output);
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
        ConfigScalar typeNode = map.require("type").asScalar();
        String type = typeNode.asOneOf(OUTPUT_TYPES);
        map.allowOnly(OUTPUT_KEYS.get(type));
        boolean all = map.get("events").map(n -> n.asScalar().asOneOf(List.of("security", "all")))
                .orElse("security").equals("all");
        int queue = map.get("queue").map(n -> n.asScalar().asInt(1, MAX_QUEUE)).orElse(OutputSettings.DEFAULT_QUEUE);
        if (type.equals("jsonl")) {
            ConfigScalar path = map.require("path").asScalar();
            RotationSettings rotate = map.get("rotate").map(n -> rotation(n, path)).orElse(null);
            return OutputSettings.jsonl(path.asString(), all, queue, rotate, map.line());
        }
        if (type.equals("eventbus-bridge")) {
            ConfigScalar listen = map.require("listen").asScalar();
            int colon = listenColon(listen);
            String host = hostOf(listen.asString().substring(0, colon));
            if (!isLoopback(host)) {
                throw listen.error("the event bus bridge has no authentication, so it listens on loopback only: "
                        + "expected 127.0.0.1:<port> or [::1]:<port>, was '" + listen.text() + "'");
            }
            int port = portOf(listen, listen.text().substring(colon + 1));
            return new OutputSettings(type, null, all, map.line(), host, port, null, null, queue, false, null, 0);
        }
        String host = hostOf(map.require("host").asScalar());
        int port = map.require("port").asScalar().asInt(1, 65535);
        String protocol = OutputSettings.DEFAULT_PROTOCOL;
        String facility = null;
        int maxDatagram = 0;
        if (type.equals("syslog")) {
            protocol = map.get("protocol").map(n -> n.asScalar().asOneOf(List.of("tcp", "udp")))
                    .orElse(OutputSettings.DEFAULT_PROTOCOL);
            facility = map.get("facility").map(n -> n.asScalar().asOneOf(SyslogFormat.FACILITIES.keySet()))
                    .orElse(OutputSettings.DEFAULT_FACILITY);
            maxDatagram = OutputSettings.DEFAULT_MAX_DATAGRAM;
            Optional<ConfigNode> maxNode = map.get("max_datagram");
            if (maxNode.isPresent()) {
                if (!protocol.equals("udp")) {
                    throw maxNode.get().error("applies to protocol: udp only, and protocol is " + protocol);
                }
                maxDatagram = maxNode.get().asScalar().asInt(MIN_DATAGRAM, MAX_DATAGRAM);
            }
        }
        boolean tls = map.get("tls").map(n -> n.asScalar().asBoolean()).orElse(false);
        if (tls && protocol.equals("udp")) {
            throw map.require("tls").error("TLS needs protocol: tcp, and protocol is udp");
        }
        Path ca = null;
        Optional<ConfigNode> caNode = map.get("tls_ca");
        if (caNode.isPresent()) {
            if (!tls) {
                throw caNode.get().error("applies with tls: true only");
            }
            ca = pemCertificates(caNode.get().asScalar());
        }
        return new OutputSettings(type, null, all, map.line(), host, port, protocol, facility, queue, tls, ca,
                maxDatagram);
    }

    /** {@code rotate:} of a jsonl output that writes to {@code path}. */
    private static RotationSettings rotation(ConfigNode node, ConfigScalar path) {
        if (path.asString().equals("-")) {
            throw node.error("applies to a file only, and path is - (stdout)");
        }
        if (path.text().indexOf('%') >= 0) {
            throw path.error("a file that is rotated cannot have % in its name (Logback's rolled-file patterns use it), "
                    + "was " + path.describe());
        }
        ConfigMap map = node.asMap();
        map.allowOnly(ROTATE_KEYS);
        long maxSize = map.get("max_size").map(n -> byteSize(n.asScalar())).orElse(0L);
        boolean daily = map.get("daily").map(n -> n.asScalar().asBoolean()).orElse(false);
        if (maxSize == 0 && !daily) {
            throw map.error("expected max_size, daily: true or both, such as {max_size: 100MB, max_files: 10}");
        }
        int maxFiles = map.get("max_files").map(n -> n.asScalar().asInt(1, RotationSettings.MAX_FILES))
                .orElse(RotationSettings.DEFAULT_MAX_FILES);
        boolean compress = map.get("compress").map(n -> n.asScalar().asBoolean()).orElse(true);
        return new RotationSettings(maxSize, daily, maxFiles, compress);
    }

    /** {@code <number>KB|MB|GB}, 1024-based as Logback and logrotate count, from 1KB to 1024GB. */
    private static long byteSize(ConfigScalar scalar) {
        String text = scalar.asString();
        int digits = 0;
        while (digits < text.length() && text.charAt(digits) >= '0' && text.charAt(digits) <= '9') {
            digits++;
        }
        String unit = text.substring(digits).toUpperCase(Locale.ROOT);
        int shift = switch (unit) {
            case "KB" -> 10;
            case "MB" -> 20;
            case "GB" -> 30;
            default -> -1;
        };
        long size = -1;
        if (shift > 0 && digits > 0 && digits <= 7) {
            size = Long.parseLong(text.substring(0, digits)) << shift;
        }
        if (size < RotationSettings.MIN_SIZE || size > RotationSettings.MAX_SIZE) {
            throw scalar.error("expected <number>KB|MB|GB such as 100MB, from 1KB to 1024GB, was " + scalar.describe());
        }
        return size;
    }

    private static String hostOf(ConfigScalar scalar) {
        String host = scalar.asString();
        if (host.isBlank() || host.chars().anyMatch(c -> c <= ' ' || c == '/' || c == '[' || c == ']')) {
            throw scalar.error("expected a host name or an IP address such as siem.example.net or 192.0.2.10, was '"
                    + scalar.text() + "'");
        }
        return host;
    }

    private static String hostOf(String bracketed) {
        return bracketed.startsWith("[") && bracketed.endsWith("]")
                ? bracketed.substring(1, bracketed.length() - 1) : bracketed;
    }

    /** The colon before the port in {@code host:port} or {@code [v6]:port}. */
    private static int listenColon(ConfigScalar listen) {
        String text = listen.asString();
        int colon = text.lastIndexOf(':');
        boolean bracketed = text.startsWith("[");
        if (colon <= 0 || (bracketed ? text.charAt(colon - 1) != ']' : text.indexOf(':') != colon)) {
            throw listen.error("expected <address>:<port> such as 127.0.0.1:7000 or [::1]:7000, was '" + text + "'");
        }
        return colon;
    }

    private static int portOf(ConfigScalar node, String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw node.error("expected a port from 1 to 65535 after the address, was '" + node.text() + "'");
    }

    private static boolean isLoopback(String host) {
        byte[] address = IpLiteral.toBytes(host);
        try {
            return address != null && InetAddress.getByAddress(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The path of a readable PEM file holding at least one certificate. */
    private static Path pemCertificates(ConfigScalar scalar) {
        Path path = Path.of(scalar.asString());
        try (InputStream in = Files.newInputStream(path)) {
            if (!CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
                return path;
            }
        } catch (IOException | CertificateException e) {
            throw scalar.error("expected a readable PEM file of CA certificates, was '" + scalar.text() + "' ("
                    + e.getMessage() + ")");
        }
        throw scalar.error("expected a readable PEM file of CA certificates, was '" + scalar.text()
                + "' (no certificate in it)");
    }

    private static ZoneId zone(ConfigScalar scalar) {
        try {
            return ZoneId.of(scalar.asString());
        } catch (DateTimeException e) {
            throw scalar.error("expected a time zone such as UTC or Europe/Berlin, was '" + scalar.text() + "'");
        }
    }
}
