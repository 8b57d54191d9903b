package org.tollgate.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.tollgate.banner.action.CommandRunner;
import org.tollgate.banner.enforce.ActionFactory;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.banner.enforce.BanStatus;
import org.tollgate.server.TollgateService;
import org.tollgate.server.ban.BanCommand;
import org.tollgate.server.bus.Addresses;
import org.tollgate.server.cluster.ClusterKeys;
import org.tollgate.server.cluster.ClusterStatus;
import org.tollgate.server.config.TollgateConfig;
import org.tollgate.testkit.FreePorts;
import org.tollgate.testkit.Waits;

/**
 * Three services in this JVM, nodes of one cluster on loopback: a cluster-scope jail counts failures seen on every
 * node and its ban is in force on all three; a ban and an unban by hand hold everywhere; a local-scope jail stays on
 * its host; a node that was down gets what it missed when it comes back. (The three-JVM test with real firewalls and
 * network namespaces is ClusterIT.)
 */
class ClusterServiceTest {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    @TempDir
    Path dir;
    private Path secret;
    private final int[] ports = new int[3];
    private final TollgateService[] nodes = new TollgateService[3];

    @BeforeEach
    void secret() throws IOException {
        secret = dir.resolve("cluster.key");
        ClusterKeys.create(secret, "pbx-site");
        for (int i = 0; i < 3; i++) {
            ports[i] = FreePorts.pair();
        }
    }

    @AfterEach
    void stop() {
        for (TollgateService node : nodes) {
            if (node != null) {
                node.stop();
            }
        }
    }

    @Test
    void failuresSpreadOverTheNodesMakeOneBanInForceEverywhere() throws Exception {
        for (int i = 0; i < 3; i++) {
            nodes[i] = start(i);
        }
        Waits.until("three nodes", () -> cluster(0).size() == 3 && cluster(1).size() == 3 && cluster(2).size() == 3);

        // Two failures on each PBX: 6 in all, past maxretry 5 of the cluster-scope jail, under the local jail's 3.
        List<JsonObject> bansPublished = new CopyOnWriteArrayList<>();
        for (TollgateService node : nodes) {
            node.vertx().eventBus().<Buffer>localConsumer(Addresses.BANS, message -> {
                JsonObject ban = new JsonObject(message.body());
                if ("198.51.100.7".equals(ban.getJsonObject("source", new JsonObject()).getString("ip"))) {
                    bansPublished.add(ban);
                }
            });
        }
        // tollgate.events and tollgate.bans are the cluster's: node 0 hears those of every node.
        List<JsonObject> heardOn0 = new CopyOnWriteArrayList<>();
        for (String address : List.of(Addresses.EVENTS, Addresses.BANS)) {
            Waits.result(nodes[0].vertx().eventBus().<Buffer>consumer(address, message -> {
                JsonObject json = new JsonObject(message.body());
                if ("198.51.100.7".equals(json.getJsonObject("source", new JsonObject()).getString("ip"))) {
                    heardOn0.add(json);
                }
            }).completion().toCompletionStage());
        }
        List<Integer> probes = new CopyOnWriteArrayList<>();
        Waits.result(nodes[0].vertx().eventBus().<Integer>consumer("test.probe", message -> probes.add(message.body()))
                .completion().toCompletionStage());
        Waits.until("node 0's consumers known to the others", () -> {
            nodes[1].vertx().eventBus().send("test.probe", 1);
            nodes[2].vertx().eventBus().send("test.probe", 2);
            return probes.contains(1) && probes.contains(2);
        });
        for (int i = 0; i < 3; i++) {
            append(i, failure("198.51.100.7", 2 * i) + failure("198.51.100.7", 2 * i + 1));
        }
        for (int i = 0; i < 3; i++) {
            int node = i;
            Waits.until("the cluster ban on node " + node, () -> held(node, "198.51.100.7", "sip-auth").isPresent());
        }
        long decided = 0;
        for (int i = 0; i < 3; i++) {
            assertThat(held(i, "198.51.100.7", "sip-local")).as("local jail of node " + i).isEmpty();
            decided += cluster(i).bansShared();
        }
        assertThat(decided).as("bans decided in the cluster (no double bans)").isEqualTo(1);
        long deciders = 0;
        for (int i = 0; i < 3; i++) {
            if (held(i, "198.51.100.7", "sip-auth").orElseThrow().decidedBy() == null) {
                deciders++;
            }
        }
        assertThat(deciders).as("nodes that decided it themselves").isEqualTo(1);
        // The deciding node's ban shows the lines that led to it, those the other nodes saw and sent too.
        Waits.until("the ban event of the deciding node", () -> !bansPublished.isEmpty());
        assertThat(bansPublished).as("ban events").hasSize(1);
        List<String> matches = bansPublished.get(0).getJsonObject("tollgate").getJsonArray("matches").stream()
                .map(String.class::cast).toList();
        assertThat(matches).as("the ban's matches").hasSize(5);
        Waits.until(() -> IntStream.range(0, 6).allMatch(n -> heardOn0.stream()
                        .anyMatch(json -> json.encode().contains("(callid: c" + n + ")")))
                && heardOn0.stream().anyMatch(json -> "ban".equals(json.getJsonObject("event").getString("action"))),
                Waits.PATIENCE, () -> "node 0 did not hear the events of every node and the ban: " + heardOn0);
        for (JsonObject heard : heardOn0) {
            assertThat(heard.getJsonObject("observer").getString("hostname")).as("observer.hostname of " + heard)
                    .isNotBlank();
            assertThat(heard.getJsonObject("observer").getString("ip")).as("observer.ip of " + heard)
                    .isEqualTo("127.0.0.1");
        }
        assertThat(matches.stream().map(line -> line.replaceAll(".*\\(callid: c(\\d)\\).*", "$1"))
                .map(callid -> Integer.parseInt(callid) / 2).distinct().count())
                .as("nodes whose lines are among the ban's matches").isGreaterThan(1);

        // By hand: a ban on node 1 holds everywhere, and so does its lift on node 2.
        Waits.result(nodes[1].vertx().eventBus().request(Addresses.BAN_COMMANDS,
                new BanCommand.BanByHand("203.0.113.9", "sip-auth"), BanCommand.REQUEST).toCompletionStage());
        Waits.until("the ban by hand on every node", () -> held(0, "203.0.113.9", "sip-auth").isPresent()
                && held(2, "203.0.113.9", "sip-auth").isPresent());
        Waits.result(nodes[2].vertx().eventBus().request(Addresses.BAN_COMMANDS,
                new BanCommand.UnbanByHand("203.0.113.9"), BanCommand.REQUEST).toCompletionStage());
        Waits.until("the lift by hand on every node", () -> held(0, "203.0.113.9", "sip-auth").isEmpty()
                && held(1, "203.0.113.9", "sip-auth").isEmpty());

        // A node that was down gets, when it is back, the bans made meanwhile.
        nodes[2].stop();
        nodes[2] = null;
        Waits.until("two nodes", () -> cluster(0).size() == 2 && cluster(1).size() == 2);
        Waits.result(nodes[0].vertx().eventBus().request(Addresses.BAN_COMMANDS,
                new BanCommand.BanByHand("192.0.2.33", "sip-auth"), BanCommand.REQUEST).toCompletionStage());
        nodes[2] = start(2);
        Waits.until("the ban made while node 2 was down, on node 2",
                () -> held(2, "192.0.2.33", "sip-auth").isPresent());
        assertThat(held(2, "198.51.100.7", "sip-auth")).as("kept across the restart").isPresent();
        assertThat(held(2, "203.0.113.9", "sip-auth")).as("lifted before, stays lifted").isEmpty();
        Waits.until("node 2 hearing from both others", () -> cluster(2).members().stream()
                .map(ClusterStatus.Member::state).filter("up"::equals).count() == 2);
    }

    /**
     * A cluster the node cannot join in time (here: no time at all) does not keep the host unprotected: the service
     * starts alone, says so in one line among its problems, and bans in every jail, cluster-scope ones included.
     */
    @Test
    void aJoinThatDoesNotFinishInTimeLeavesTheHostBanningAlone() throws Exception {
        TollgateConfig config = TollgateConfig.parse(yaml(0), "node0.yaml");
        java.time.Clock clock = java.time.Clock.systemUTC();
        nodes[0] = Waits.result(TollgateService.start(config, false, clock,
                ActionFactory.firewall(new CommandRunner(), clock), settings -> null, new AtomicReference<>(),
                Duration.ofMillis(1)).toCompletionStage());

        assertThat(nodes[0].problems()).singleElement().asString().contains("cluster pbx-site on 127.0.0.1:")
                .contains("not joined within").contains("this host bans alone").doesNotContain("\n");
        assertThat(cluster(0).enabled()).isFalse();
        append(0, failure("198.51.100.8", 0) + failure("198.51.100.8", 1) + failure("198.51.100.8", 2));
        Waits.until("the local jail's ban", () -> held(0, "198.51.100.8", "sip-local").isPresent());
        append(0, failure("198.51.100.8", 3) + failure("198.51.100.8", 4));
        Waits.until("the cluster-scope jail's ban, decided alone", () -> held(0, "198.51.100.8", "sip-auth")
                .isPresent());
    }

    /**
     * Two parts that formed apart and merge: node 2 starts while no member answers and forms a cluster of its own;
     * nodes 0 and 1, each told only of the other, form theirs; node 2 keeps asking them and the parts merge. Each part
     * holds Vert.x's maps of where the nodes' event buses listen and what they consume without the other's entries,
     * and a merge does not join them: every node must announce itself again, or the three are one cluster that cannot
     * send each other a message. Heard both ways: every node's heartbeats reach the two others, and a message sent on
     * node 0 to a consumer on node 2.
     */
    @Test
    void partsThatFormedApartMergeAndHearEachOther() throws Exception {
        nodes[2] = start(2);
        assertThat(cluster(2).size()).as("node 2 alone at first").isEqualTo(1);
        nodes[0] = start(0, 1);
        nodes[1] = start(1, 0);
        Waits.until("one cluster of three", () -> cluster(0).size() == 3 && cluster(1).size() == 3
                && cluster(2).size() == 3);
        for (int i = 0; i < 3; i++) {
            int node = i;
            Waits.until(() -> cluster(node).members().stream().map(ClusterStatus.Member::state)
                            .filter("up"::equals).count() == 2, Waits.PATIENCE,
                    () -> "node " + node + " does not hear both others: " + cluster(node).members());
        }
        List<Integer> probes = new CopyOnWriteArrayList<>();
        Waits.result(nodes[2].vertx().eventBus().<Integer>consumer("test.probe", message -> probes.add(message.body()))
                .completion().toCompletionStage());
        Waits.until("a message from node 0 on node 2", () -> {
            nodes[0].vertx().eventBus().send("test.probe", 0);
            return probes.contains(0);
        });
    }

    private TollgateService start(int node) throws Exception {
        return start(node, IntStream.range(0, 3).filter(i -> i != node).toArray());
    }

    /** Node {@code node}, told of {@code members} alone. */
    private TollgateService start(int node, int... members) throws Exception {
        return InProcessService.start(TollgateConfig.parse(yaml(node, members), "node" + node + ".yaml"));
    }

    private String yaml(int node) throws IOException {
        return yaml(node, IntStream.range(0, 3).filter(i -> i != node).toArray());
    }

    private String yaml(int node, int... others) throws IOException {
        Path log = dir.resolve("full-" + node);
        if (!Files.exists(log)) {
            Files.writeString(log, "");
        }
        StringBuilder members = new StringBuilder();
        for (int i : others) {
            members.append(members.length() == 0 ? "" : ", ").append("\"127.0.0.1:").append(ports[i]).append('"');
        }
        return """
                sources:
                  - type: file
                    path: %s
                    zone: UTC
                state:
                  path: %s
                jails:
                  sip-auth:
                    maxretry: 5
                    findtime: 10m
                    bantime: 1h
                    ignoreself: false
                    scope: cluster
                    # an alert action: the jail keeps the lines that led to its bans (nothing listens there)
                    actions: [{type: log}, {type: webhook, url: "http://127.0.0.1:9/hook", retries: 0}]
                  sip-local:
                    maxretry: 3
                    findtime: 10m
                    bantime: 1h
                    ignoreself: false
                    actions: [{type: log}]
                cluster:
                  enabled: true
                  name: pbx-site
                  secret_file: %s
                  host: 127.0.0.1
                  port: %d
                  members: [%s]
                """.formatted(log, dir.resolve("state-" + node + ".db"), secret, ports[node], members);
    }

    private void append(int node, String lines) throws IOException {
        Files.writeString(dir.resolve("full-" + node), lines, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private Optional<BanStatus> held(int node, String ip, String jail) {
        return nodes[node].banStatus().bans().stream()
                .filter(ban -> ban.ip().equals(ip) && ban.jail().equals(jail)).findFirst();
    }

    private ClusterStatus cluster(int node) {
        return nodes[node].clusterStatus();
    }

    private static String failure(String ip, int n) {
        String stamp = STAMP.format(LocalDateTime.now(ZoneOffset.UTC));
        return "[" + stamp + "] NOTICE[2290] res_pjsip/pjsip_distributor.c: Request 'REGISTER' from '<sip:10" + n
                + "@203.0.113.5>' failed for '" + ip + ":5060' (callid: c" + n + ") - Failed to authenticate\n";
    }
}
