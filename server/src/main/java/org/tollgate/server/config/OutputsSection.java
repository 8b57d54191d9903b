package org.tollgate.server.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.tollgate.banner.config.ConfigMap;
import org.tollgate.banner.config.ConfigNode;
import org.tollgate.banner.config.ConfigScalar;
import org.tollgate.server.config.OutputSettings.EventBusBridgeOutput;
import org.tollgate.server.config.OutputSettings.JsonlOutput;
import org.tollgate.server.config.OutputSettings.SyslogOutput;
import org.tollgate.server.config.OutputSettings.TcpJsonOutput;

/** Reads the {@code outputs} section of tollgate.yaml into one {@link OutputSettings} record per entry. */
final class OutputsSection {

    private static final List<String> TYPES = List.of("jsonl", "tcp-json", "syslog", "eventbus-bridge");
    private static final Map<String, List<String>> KEYS = Map.of(
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

    private OutputsSection() {
    }

    static List<OutputSettings> read(ConfigMap root) {
        List<OutputSettings> outputs = new ArrayList<>();
        Map<String, Integer> jsonlPaths = new HashMap<>();
        root.get("outputs").ifPresent(node -> {
            for (ConfigNode item : node.asList().items()) {
                OutputSettings output = output(item.asMap());
                if (output instanceof JsonlOutput jsonl) {
                    String key = jsonl.path().equals("-") ? "-" : Path.of(jsonl.path()).toAbsolutePath().normalize().toString();
                    Integer earlier = jsonlPaths.putIfAbsent(key, jsonl.line());
                    if (earlier != null) {
                        throw item.asMap().require("path").error("'" + jsonl.path() + "' is the file of the jsonl "
                                + "output of line " + earlier + "; two writers would cut into each other's lines");
                    }
                }
                outputs.add(output);
            }
        });
        return List.copyOf(outputs);
    }

    private static OutputSettings output(ConfigMap map) {
        String type = map.require("type").asScalar().asOneOf(TYPES);
        map.allowOnly(KEYS.get(type));
        boolean all = map.get("events").map(n -> n.asScalar().asOneOf(List.of("security", "all")))
                .orElse("security").equals("all");
        int queue = map.get("queue").map(n -> n.asScalar().asInt(1, MAX_QUEUE)).orElse(OutputSettings.DEFAULT_QUEUE);
        if (type.equals("jsonl")) {
            ConfigScalar path = map.require("path").asScalar();
            RotationSettings rotate = map.get("rotate").map(n -> rotation(n, path)).orElse(null);
            return new JsonlOutput(path.asString(), all, queue, rotate, map.line());
        }
        if (type.equals("eventbus-bridge")) {
            ConfigScalar node = map.require("listen").asScalar();
            ListenAddress listen = ListenAddress.parse(node, false, "127.0.0.1:7000 or [::1]:7000");
            if (!listen.loopback()) {
                throw node.error("the event bus bridge has no authentication, so it listens on loopback only: "
                        + "expected 127.0.0.1:<port> or [::1]:<port>, was '" + node.text() + "'");
            }
            return new EventBusBridgeOutput(listen, all, map.line());
        }
        String host = host(map.require("host").asScalar());
        int port = map.require("port").asScalar().asInt(1, 65535);
        String protocol = SyslogOutput.DEFAULT_PROTOCOL;
        String facility = null;
        int maxDatagram = 0;
        if (type.equals("syslog")) {
            protocol = map.get("protocol").map(n -> n.asScalar().asOneOf(List.of("tcp", "udp")))
                    .orElse(SyslogOutput.DEFAULT_PROTOCOL);
            facility = map.get("facility").map(n -> n.asScalar().asOneOf(SyslogOutput.FACILITIES.keySet()))
                    .orElse(SyslogOutput.DEFAULT_FACILITY);
            Optional<ConfigNode> maxNode = map.get("max_datagram");
            if (maxNode.isPresent() && !protocol.equals("udp")) {
                throw maxNode.get().error("applies to protocol: udp only, and protocol is " + protocol);
            }
            if (protocol.equals("udp")) {
                maxDatagram = maxNode.map(n -> n.asScalar().asInt(MIN_DATAGRAM, MAX_DATAGRAM))
                        .orElse(SyslogOutput.DEFAULT_MAX_DATAGRAM);
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
        return type.equals("syslog")
                ? new SyslogOutput(host, port, protocol, facility, all, queue, tls, ca, maxDatagram, map.line())
                : new TcpJsonOutput(host, port, all, queue, tls, ca, map.line());
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

    /** A collector's (or a mail server's) host: a name or an IP literal, resolved when it connects. */
    static String host(ConfigScalar scalar) {
        String host = scalar.asString();
        if (host.isBlank() || host.chars().anyMatch(c -> c <= ' ' || c == '/' || c == '[' || c == ']')) {
            throw scalar.error("expected a host name or an IP address such as siem.example.net or 192.0.2.10, was '"
                    + scalar.text() + "'");
        }
        return host;
    }

    /** The path of a readable PEM file holding at least one certificate. */
    static Path pemCertificates(ConfigScalar scalar) {
        Path path = Path.of(scalar.asString());
        if (Files.isDirectory(path)) {
            throw scalar.error("expected a readable PEM file of CA certificates, was '" + scalar.text()
                    + "' (it is a directory)");
        }
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
}
