package org.tollgate.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.testkit.ClusterLab;
import org.tollgate.testkit.Waits;

/**
 * Three PBX hosts, each {@code java -jar tollgate.jar run} in a network namespace of its own with its own nftables
 * firewall and host name, joined through a bridge: bans propagate (timed from the line written on A to the element
 * in C's firewall, printed); a cluster-scope jail counts attempts spread over the three; a ban by hand with the CLI
 * on B holds on every firewall, and so does its lift on C, with no node putting the ban back afterwards (through the
 * restart and the partition below, and a comparison with the shared map on every node); A killed (SIGKILL) leaves
 * B and C with every ban and gets what it missed when it comes back; B cut off keeps enforcing, decides bans of its
 * own, and catches up (both ways) when its link returns; a node with another secret, and one with another cluster
 * name, are refused.
 *
 * <p>{@code -Dcluster.bans=50} sets how many bans are timed (after {@value #WARM_UP} untimed ones).
 */
class ClusterIT {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final Pattern NODE_ID = Pattern.compile("cluster joined .*node_id=(\\S+)");
    /** A member row of {@code tollgate status}: address, host name, state, last contact. */
    private static final Pattern MEMBER_UP = Pattern.compile("^\\S+:\\d+\\s+\\S+\\s+up\\s");
    private static final Pattern LAST_COMPARISON = Pattern.compile("compared with the shared map \\d+ times, last (\\S+Z)");
    private static final Duration LONG = Duration.ofSeconds(120);
    /** The nodes' {@code cluster.join_timeout}. */
    private static final Duration JOIN = Duration.ofMinutes(5);
    /** A table each monitor sees added before it is trusted to see the bans. */
    private static final String MONITOR_PROBE = "clusterit_probe";
    private static final int A = 0;
    private static final int B = 1;
    private static final int C = 2;
    private static final int STRANGER = 3;
    private static final int OTHER_NAME = 4;
    /** Bans before the timed ones: the first of each path (JIT, the first nft call, connections) are not timed. */
    private static final int WARM_UP = 5;

    @TempDir
    Path dir;
    private ClusterLab lab;
    private final Node[] nodes = new Node[5];
    private final List<Process> monitors = new ArrayList<>();

    @AfterEach
    void tearDown() {
        for (Node node : nodes) {
            if (node != null) {
                node.kill();
            }
        }
        monitors.forEach(Process::destroyForcibly);
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void bansReachEveryNodeAndSurviveKillsAndPartitions() throws Exception {
        lab = ClusterLab.create(5, "nft", "java");
        Path secret = dir.resolve("cluster.key");
        ClusterKeys.create(secret, "pbx-site");
        for (int i : new int[] {A, B, C}) {
            nodes[i] = new Node(i, "pbx-site", secret);
            nodes[i].start();
        }
        for (int i : new int[] {A, B, C}) {
            Node node = nodes[i];
            // The view's size is logged as soon as the view changes; the node id with "cluster joined", after the
            // node's registrations are done: both are needed before the ids are read.
            // Three JVMs joining over TLS on a busy machine may take longer than the service's default wait, after
            // which a node bans alone: the nodes here are given join_timeout (JOIN), and a node that gave up anyway
            // fails the test at once with its log.
            Waits.until(() -> node.logged("members=3") && node.logged("cluster joined")
                            || node.logged("not joined within"), JOIN.plus(LONG),
                    () -> node.name + " not in a cluster of 3: " + node.log());
            assertThat(node.logged("not joined within")).as(node.name + " started alone: " + node.log()).isFalse();
        }
        Monitor onA = monitor(A);
        Monitor onB = monitor(B);
        Monitor onC = monitor(C);

        // 1. Propagation: bans decided on A (addresses A owns), timed from the line written on A to C's firewall.
        List<String> ids = new ArrayList<>();
        for (int i : new int[] {A, B, C}) {
            ids.add(nodes[i].nodeId());
        }
        int count = Integer.getInteger("cluster.bans", 50);
        List<String> decidedOnA = new ArrayList<>();
        List<Long> micros = new ArrayList<>();
        int candidate = 1;
        while (decidedOnA.size() < WARM_UP + count) {
            String ip = "203.0.113." + candidate++;
            if (!FailureOwners.owner(sorted(ids), ip).equals(nodes[A].nodeId())) {
                continue;
            }
            long written = System.nanoTime();
            nodes[A].append(probe(ip, decidedOnA.size()));
            Waits.until(() -> onC.seen(ip) != null, LONG, () -> ip + " not in C's firewall; C: " + nodes[C].log());
            if (decidedOnA.size() >= WARM_UP) {
                micros.add((onC.seen(ip) - written) / 1_000);
            }
            decidedOnA.add(ip);
        }
        Collections.sort(micros);
        System.out.printf("cluster propagation, line on A -> nftables element on C, %d bans after %d untimed: median"
                        + " %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n", micros.size(), WARM_UP,
                percentile(micros, 0.5), percentile(micros, 0.9), percentile(micros, 0.99),
                micros.get(micros.size() - 1) / 1000.0);
        for (String ip : decidedOnA) {
            Waits.until(() -> onB.seen(ip) != null, LONG, () -> ip + " not in B's firewall; B: " + nodes[B].log());
        }

        // 2. A cluster-scope jail: 2 attempts on each PBX, maxretry 5, one ban in force on all three firewalls.
        String spread = "192.0.2.77";
        for (int i : new int[] {A, B, C}) {
            nodes[i].append(authFailure(spread, 2 * i) + authFailure(spread, 2 * i + 1));
        }
        for (int i : new int[] {A, B, C}) {
            int node = i;
            Waits.until(() -> firewall(node).contains(spread), LONG, () -> spread + " not banned on " + nodes[node].name);
        }

        // 3. By hand: a ban with the CLI on B (POST /api/bans) in force on every firewall, its lift on C
        // (DELETE /api/bans/{ip}) lifted on every firewall; then no node puts it back, whatever follows (the messages,
        // A's restart, B's partition and merge, the comparisons with the shared map: checked at the end).
        String byHand = "192.0.2.150";
        nodes[B].cli("set", "sip-probe", "banip", byHand);
        for (int i : new int[] {A, B, C}) {
            int node = i;
            Waits.until(() -> firewall(node).contains(byHand), LONG, () -> "ban by hand on B not on " + nodes[node].name);
        }
        nodes[C].cli("set", "sip-probe", "unbanip", byHand);
        for (int i : new int[] {A, B, C}) {
            int node = i;
            Waits.until(() -> !firewall(node).contains(byHand), LONG,
                    () -> "lift by hand on C not on " + nodes[node].name + ": " + nodes[node].log());
        }
        long liftedEverywhere = System.nanoTime();
        Instant liftedEverywhereAt = Instant.now();

        // 4. A killed: B and C keep every ban; a ban made meanwhile reaches A when it is back.
        int markB = nodes[B].mark();
        int markC = nodes[C].mark();
        nodes[A].kill();
        for (int i : new int[] {B, C}) {
            assertThat(firewall(i)).as("bans on " + nodes[i].name + " after A died").containsAll(decidedOnA);
        }
        Waits.until(() -> nodes[B].loggedAfter(markB, "members=2") && nodes[C].loggedAfter(markC, "members=2"),
                LONG, () -> "A not seen gone: " + nodes[B].log());
        String whileADown = "203.0.113.250";
        nodes[B].append(probe(whileADown, 900));
        Waits.until(() -> onC.seen(whileADown) != null, LONG, () -> whileADown + " not on C");
        long restarted = System.nanoTime();
        int markA = nodes[A].mark();
        nodes[A].start();
        Waits.until(() -> firewall(A).contains(whileADown), LONG, () -> "A did not catch up: " + nodes[A].log());
        System.out.printf("cluster: A restarted after SIGKILL had the ban it missed %.1f s after its start%n",
                (System.nanoTime() - restarted) / 1e9);
        assertThat(firewall(A)).as("A's own bans after its restart").containsAll(decidedOnA);

        // 5. B cut off: it keeps every ban and bans alone; both sides catch up when the link returns.
        Waits.until(() -> nodes[A].loggedAfter(markA, "members=3"), LONG,
                () -> "A not back in the cluster: " + nodes[A].log());
        lab.cut(B);
        Waits.until(() -> nodes[B].logged("alone in the cluster"), LONG, () -> "B never saw itself cut off");
        assertThat(firewall(B)).as("B's bans while cut off").containsAll(decidedOnA);
        String duringCutOnA = "192.0.2.200";
        String duringCutOnB = "192.0.2.201";
        nodes[A].append(probe(duringCutOnA, 901));
        nodes[B].append(probe(duringCutOnB, 902));
        Waits.until(() -> firewall(B).contains(duringCutOnB), LONG, () -> "B did not ban alone");
        Waits.until(() -> firewall(C).contains(duringCutOnA), LONG, () -> "A's ban did not reach C");
        assertThat(firewall(B)).doesNotContain(duringCutOnA);
        long mended = System.nanoTime();
        lab.mend(B);
        Waits.until(() -> firewall(B).contains(duringCutOnA), LONG, () -> "B did not catch up: " + nodes[B].log());
        Waits.until(() -> firewall(A).contains(duringCutOnB) && firewall(C).contains(duringCutOnB), LONG,
                () -> "B's ban while cut off did not reach A and C");
        System.out.printf("cluster: B cut off, link back: both sides had each other's bans %.1f s later%n",
                (System.nanoTime() - mended) / 1e9);
        // Not through the shared map alone: after the merge every node hears both others on the event bus again.
        for (int i : new int[] {A, B, C}) {
            Node node = nodes[i];
            Waits.until(() -> node.membersUp() == 2, LONG,
                    () -> node.name + " does not hear both others after the merge: " + node.status());
        }
        System.out.printf("cluster: B cut off, link back: every node heard both others %.1f s later%n",
                (System.nanoTime() - mended) / 1e9);

        // The lift by hand holds: every node finished a comparison with the shared map since (A's after its restart, B's
        // after the merge; each also every 30 s), and no firewall had the address added again.
        for (int i : new int[] {A, B, C}) {
            Node node = nodes[i];
            Waits.until(() -> node.lastComparison().isAfter(liftedEverywhereAt), LONG,
                    () -> node.name + " made no comparison with the shared map after the lift: " + node.log());
        }
        for (Monitor monitor : List.of(onA, onB, onC)) {
            assertThat(monitor.addedSince(byHand, liftedEverywhere)).as("the lifted ban added again").isZero();
        }
        for (int i : new int[] {A, B, C}) {
            assertThat(firewall(i)).as("lifted ban on " + nodes[i].name).doesNotContain(byHand);
        }

        // 6. Strangers: another secret, and another cluster's name (with its own secret), pointed at A, B and C.
        Path strangerSecret = dir.resolve("stranger.key");
        ClusterKeys.create(strangerSecret, "pbx-site");
        Path otherSecret = dir.resolve("other.key");
        ClusterKeys.create(otherSecret, "pbx-other");
        nodes[STRANGER] = new Node(STRANGER, "pbx-site", strangerSecret);
        nodes[OTHER_NAME] = new Node(OTHER_NAME, "pbx-other", otherSecret);
        nodes[STRANGER].start();
        nodes[OTHER_NAME].start();
        for (int i : new int[] {STRANGER, OTHER_NAME}) {
            Node node = nodes[i];
            Waits.until(() -> node.logged("cluster joined"), LONG, () -> node.name + " did not start: " + node.log());
            assertThat(node.logged("members=1")).as(node.name + " alone").isTrue();
            assertThat(firewall(i)).as(node.name + " got no shared ban").doesNotContainAnyElementsOf(decidedOnA);
        }
        for (int i : new int[] {A, B, C}) {
            assertThat(nodes[i].logged("members=4")).as(nodes[i].name + " let a stranger in").isFalse();
        }
    }

    /** Lines of {@code nft monitor} in a node, with when each address was first added to a set. */
    private Monitor monitor(int node) throws IOException {
        Process process = new ProcessBuilder(lab.node(node).exec("nft", "monitor")).redirectErrorStream(true).start();
        monitors.add(process);
        Monitor monitor = new Monitor();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    long at = System.nanoTime();
                    if (line.startsWith("add table inet " + MONITOR_PROBE)) {
                        monitor.listening = true;
                    } else if (line.startsWith("add element")) {
                        Matcher address = Pattern.compile("[0-9a-f.:]+(?= timeout| expires|,| })").matcher(line);
                        while (address.find()) {
                            monitor.added.putIfAbsent(address.group(), at);
                            monitor.adds.computeIfAbsent(address.group(), ip -> new CopyOnWriteArrayList<>()).add(at);
                        }
                    }
                }
            } catch (IOException e) {
                // killed
            }
        }, "nft-monitor-" + node);
        reader.setDaemon(true);
        reader.start();
        // nft monitor prints nothing when it starts: until a change of ours shows, changes may go unseen (a busy
        // machine starts it late), so a table is added and dropped until the monitor reports it.
        Waits.until(() -> {
            lab.node(node).run("nft", "add", "table", "inet", MONITOR_PROBE);
            lab.node(node).run("nft", "delete", "table", "inet", MONITOR_PROBE);
            return monitor.listening;
        }, LONG, () -> "nft monitor on " + nodes[node].name + " never reported a change");
        return monitor;
    }

    private static final class Monitor {
        volatile boolean listening;
        final Map<String, Long> added = new ConcurrentHashMap<>();
        final Map<String, List<Long>> adds = new ConcurrentHashMap<>();

        Long seen(String ip) {
            return added.get(ip);
        }

        /** How often {@code ip} was added to a set after {@code nanos}. */
        long addedSince(String ip, long nanos) {
            return adds.getOrDefault(ip, List.of()).stream().filter(at -> at > nanos).count();
        }
    }

    /** The addresses in the node's nftables sets. */
    private java.util.Set<String> firewall(int node) {
        String ruleset = lab.node(node).run("nft", "list", "ruleset").stdout();
        java.util.Set<String> addresses = new java.util.HashSet<>();
        Matcher matcher = Pattern.compile("\\b\\d+\\.\\d+\\.\\d+\\.\\d+\\b").matcher(ruleset);
        while (matcher.find()) {
            addresses.add(matcher.group());
        }
        return addresses;
    }

    /** The nearest-rank percentile of sorted microseconds, in milliseconds. */
    private static double percentile(List<Long> sortedMicros, double p) {
        int rank = (int) Math.ceil(p * sortedMicros.size());
        return sortedMicros.get(Math.max(0, Math.min(sortedMicros.size() - 1, rank - 1))) / 1000.0;
    }

    private static List<String> sorted(List<String> ids) {
        List<String> copy = new ArrayList<>(ids);
        copy.sort(null);
        return copy;
    }

    private static String probe(String ip, int n) {
        return "[" + STAMP.format(LocalDateTime.now(ZoneOffset.UTC)) + "] NOTICE[2290] res_pjsip/pjsip_distributor.c:"
                + " Request 'INVITE' from '<sip:" + n + "@203.0.113.5>' failed for '" + ip + ":5060' (callid: p" + n
                + ") - No matching endpoint found\n";
    }

    private static String authFailure(String ip, int n) {
        return "[" + STAMP.format(LocalDateTime.now(ZoneOffset.UTC)) + "] NOTICE[2290] res_pjsip/pjsip_distributor.c:"
                + " Request 'REGISTER' from '<sip:10" + n + "@203.0.113.5>' failed for '" + ip + ":5060' (callid: a"
                + n + ") - Failed to authenticate\n";
    }

    private static String jar() {
        return Path.of(System.getProperty("tollgate.jar", "target/tollgate.jar")).toAbsolutePath().toString();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The admin API's token, the same for every node. */
    private Path token() throws IOException {
        Path token = dir.resolve("token");
        if (!Files.exists(token)) {
            Files.writeString(token, "cluster-it-token-0123456789");
            Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        }
        return token;
    }

    /** One node: its configuration, its log, its process. */
    private final class Node {
        final int index;
        final String name;
        final Path config;
        final Path log;
        final Path output;
        Process process;

        Node(int index, String cluster, Path secret) throws IOException {
            this.index = index;
            this.name = ClusterLab.hostname(index);
            Path home = dir.resolve(name);
            Files.createDirectories(home);
            log = home.resolve("full");
            Files.writeString(log, "");
            output = home.resolve("tollgate.log");
            StringBuilder members = new StringBuilder();
            for (int i : new int[] {A, B, C}) {
                if (i != index) {
                    members.append(members.length() == 0 ? "" : ", ").append('"').append(ClusterLab.address(i))
                            .append(":7800\"");
                }
            }
            config = home.resolve("tollgate.yaml");
            Files.writeString(config, """
                    sources:
                      - type: file
                        path: %s
                        zone: UTC
                    state:
                      path: %s
                    jails:
                      sip-auth:
                        match: [auth-failed]
                        maxretry: 5
                        bantime: 1h
                        scope: cluster
                        actions: [{type: nftables}]
                      sip-probe:
                        match: [endpoint-not-found]
                        maxretry: 1
                        bantime: 1h
                        scope: cluster
                        actions: [{type: nftables}]
                    cluster:
                      enabled: true
                      name: %s
                      secret_file: %s
                      host: %s
                      port: 7800
                      members: [%s]
                      join_timeout: %ds
                    api:
                      listen: 127.0.0.1:9190
                      token_file: %s
                    """.formatted(log, home.resolve("state.db"), cluster, secret, ClusterLab.address(index), members,
                    JOIN.toSeconds(), token()));
        }

        void start() throws IOException {
            process = new ProcessBuilder(lab.exec(index, java(), "-Xmx256m", "-jar", jar(), "run", "--config",
                    config.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                    .start();
        }

        /** {@code tollgate ARGS --config} this node's file, run in the node (through its admin API); must succeed. */
        String cli(String... args) throws IOException, InterruptedException {
            Process cli = new ProcessBuilder(lab.exec(index, cliArgv(args))).redirectErrorStream(true).start();
            String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(cli.waitFor()).as("tollgate " + String.join(" ", args) + " on " + name + ": " + out).isZero();
            return out;
        }

        private String[] cliArgv(String... args) {
            List<String> argv = new ArrayList<>(List.of(java(), "-jar", jar()));
            argv.addAll(List.of(args));
            argv.addAll(List.of("--config", config.toString()));
            return argv.toArray(String[]::new);
        }

        /** What {@code tollgate status} says in this node; empty when it cannot answer now. */
        String status() {
            try {
                Process cli = new ProcessBuilder(lab.exec(index, cliArgv("status"))).redirectErrorStream(true).start();
                String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                cli.waitFor();
                return out;
            } catch (IOException e) {
                return "";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "";
            }
        }

        /**
         * When this node last finished a comparison with the shared map ({@code tollgate status}); the epoch when it
         * made none yet or cannot answer now.
         */
        Instant lastComparison() {
            Matcher last = LAST_COMPARISON.matcher(status());
            return last.find() ? Instant.parse(last.group(1)) : Instant.EPOCH;
        }

        /** How many other members this node hears from now: its {@code tollgate status} rows whose state is up. */
        long membersUp() {
            return status().lines().filter(line -> MEMBER_UP.matcher(line).find()).count();
        }

        /** SIGKILL: no goodbye to the cluster, no state flushed beyond what is on disk. */
        void kill() {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        void append(String lines) throws IOException {
            Files.writeString(log, lines, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        }

        String log() {
            try {
                return Files.readString(output);
            } catch (IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }

        boolean logged(String text) {
            return log().contains(text);
        }

        /** How much was logged so far: for {@link #loggedAfter}. */
        int mark() {
            return log().length();
        }

        boolean loggedAfter(int mark, String text) {
            String all = log();
            return all.length() > mark && all.substring(mark).contains(text);
        }

        /** This run's node id: the last one logged (a restart logs a new one). */
        String nodeId() {
            Matcher matcher = NODE_ID.matcher(log());
            String id = null;
            while (matcher.find()) {
                id = matcher.group(1);
            }
            assertThat(id).as(name + "'s node id").isNotNull();
            return id;
        }
    }
}
