package org.tollgate.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.tollgate.banner.config.ConfigMap;
import org.tollgate.banner.config.ConfigNode;
import org.tollgate.banner.config.ConfigScalar;
import org.tollgate.normalizer.address.IpLiteral;

/**
 * The {@code cluster} section of tollgate.yaml: several PBX hosts that share events and bans, with no central server.
 * Off unless {@code enabled: true}.
 *
 * <pre>
 * cluster:
 *   enabled: true
 *   name: pbx-site-a
 *   secret_file: /etc/tollgate/cluster.key     # made once by `tollgate cluster init`, copied to every node
 *   host: 10.0.0.5                             # this node's address; the others reach it there
 *   port: 7800                                 # membership and shared state; the event bus uses port + 1
 *   members: ["10.0.0.6:7800", "10.0.0.7:7800"]
 *   join_timeout: 30s                          # then this host bans alone until restarted
 * </pre>
 *
 * @param enabled         whether this host joins a cluster
 * @param name            the cluster's name; the secret file was made for it
 * @param secretFile      the key material every node shares ({@code tollgate cluster init})
 * @param secretFileLine  the line of {@code secret_file}, for messages
 * @param host            the IP literal this node binds to and the others connect to (canonical)
 * @param port            membership and shared state (JGroups); the event bus listens on {@code port + 1}
 * @param members         the other nodes' {@code host:port}, a fixed list (no multicast discovery)
 * @param eventsPerSecond at most this many security events a second go to the other nodes; the rest stay local
 * @param joinTimeout     how long the start waits for the join before this host bans alone (a slow or frozen member
 *                        must not leave the host unprotected)
 * @param file            the configuration file as the user named it, for messages
 */
public record ClusterSettings(boolean enabled, String name, Path secretFile, int secretFileLine, String host, int port,
                              List<ListenAddress> members, int eventsPerSecond, Duration joinTimeout,
                              String file) {

    public static final String SECTION = "cluster";
    public static final List<String> KEYS = List.of("enabled", "name", "secret_file", "host", "port", "members",
            "events_per_second", "join_timeout");
    public static final int DEFAULT_PORT = 7800;
    public static final int DEFAULT_EVENTS_PER_SECOND = 1_000;
    public static final Duration DEFAULT_JOIN_TIMEOUT = Duration.ofSeconds(30);
    /** The longest wait for the join a configuration may ask for: longer, the host would stay unprotected too long. */
    public static final Duration MAX_JOIN_TIMEOUT = Duration.ofMinutes(10);
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    public ClusterSettings {
        Objects.requireNonNull(members, "members");
        members = List.copyOf(members);
    }

    /** No cluster: this host alone. */
    public static ClusterSettings disabled(String file) {
        return new ClusterSettings(false, null, null, 0, null, 0, List.of(), 0, DEFAULT_JOIN_TIMEOUT, file);
    }

    /** The event bus port: the one after {@link #port}. */
    public int eventBusPort() {
        return port + 1;
    }

    /** Reads the {@code cluster} section of {@code root}; off when there is none. */
    static ClusterSettings read(ConfigMap root) {
        Optional<ConfigNode> section = root.get(SECTION);
        if (section.isEmpty() || section.get() instanceof ConfigScalar scalar && scalar.isEmpty()) {
            return disabled(root.file());
        }
        ConfigMap map = section.get().asMap();
        map.allowOnly(KEYS);
        boolean enabled = map.get("enabled").map(n -> n.asScalar().asBoolean()).orElse(false);
        if (!enabled) {
            return disabled(root.file());
        }
        ConfigScalar nameNode = map.require("name").asScalar();
        String name = nameNode.asString();
        if (!NAME.matcher(name).matches()) {
            throw nameNode.error("expected a cluster name of letters, digits, '-' and '_', starting with a letter or"
                    + " digit, at most 64 characters, was " + nameNode.describe());
        }
        ConfigScalar secretNode = map.require("secret_file").asScalar();
        Path secret = Path.of(secretNode.asString());
        ConfigScalar hostNode = map.require("host").asScalar();
        String host = IpLiteral.canonical(hostNode.asString());
        if (host == null || IpLiteral.unbannable(IpLiteral.toBytes(host)) != null && !ListenAddress.isLoopback(host)) {
            throw hostNode.error("expected this node's own IP address, the one the other nodes reach (such as"
                    + " 10.0.0.5; never a host name, 0.0.0.0 or ::), was " + hostNode.describe());
        }
        int port = map.get("port").map(n -> n.asScalar().asInt(1, 65_534)).orElse(DEFAULT_PORT);
        List<ListenAddress> members = new ArrayList<>();
        ConfigNode membersNode = map.require("members");
        if (!(membersNode instanceof ConfigScalar scalar && scalar.isEmpty())) {
            for (ConfigNode item : membersNode.asList().items()) {
                ListenAddress member = ListenAddress.parse(item.asScalar(), false, "10.0.0.6:7800 or [2001:db8::6]:7800");
                if (!(member.host().equals(host) && member.port() == port)) {
                    members.add(member);
                }
            }
        }
        int events = map.get("events_per_second").map(n -> n.asScalar().asInt(0, 100_000))
                .orElse(DEFAULT_EVENTS_PER_SECOND);
        Duration joinTimeout = map.get("join_timeout").map(n -> {
            Duration value = n.asScalar().asDuration(false);
            if (value.compareTo(Duration.ofSeconds(1)) < 0 || value.compareTo(MAX_JOIN_TIMEOUT) > 0) {
                throw n.error("expected a duration from 1s to 10m, was " + n.describe());
            }
            return value;
        }).orElse(DEFAULT_JOIN_TIMEOUT);
        return new ClusterSettings(true, name, secret, secretNode.line(), host, port, members, events, joinTimeout,
                root.file());
    }

    /** For the start-up log. */
    @Override
    public String toString() {
        if (!enabled) {
            return "off";
        }
        return name + " on " + new ListenAddress(host, port) + " (event bus " + eventBusPort() + ") members="
                + members + " secret_file=" + secretFile + " events_per_second=" + eventsPerSecond + " join_timeout="
                + joinTimeout.toSeconds() + "s";
    }
}
