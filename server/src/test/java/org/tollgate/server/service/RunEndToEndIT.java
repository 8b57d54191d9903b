package org.tollgate.server.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tollgate.testkit.NamespacePair.ATTACKER4;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tollgate.testkit.NamespacePair;
import org.tollgate.testkit.ServiceProcess;
import org.tollgate.testkit.TollgateYaml;
import org.tollgate.testkit.Waits;

/**
 * The shipped jar, end to end: {@code java -jar tollgate.jar run} runs inside a network namespace, follows an
 * Asterisk log, bans through the real firewall of that namespace, and writes events as JSON lines. The attacker sits
 * in a second namespace across a veth pair, so a ban is seen where it matters: its datagrams stop arriving.
 *
 * <p>One run covers: a datagram arrives before the ban and is dropped after {@code maxretry} failures; rotation by
 * rename (with lines written to the old file after the rename) and by copytruncate; a SIGTERM and a new start with
 * lines written while stopped. The JSON lines must hold every failure exactly once, in order; the ban must still be in
 * force after the restart. Waits poll up to a deadline; nothing is timed.
 */
class RunEndToEndIT {

    private static final Duration DEADLINE = Waits.PATIENCE;
    private static final int MAXRETRY = 3;
    /** The JVM's exit status once its shutdown hooks ran after a SIGTERM: 128 + 15. */
    private static final int STOPPED_BY_SIGTERM = 143;

    /** The firewall actions under test: the config entry and how to ask the firewall whether an address is banned. */
    enum Firewall {
        IPSET(new String[] {"ipset", "iptables"}, "{type: ipset, set: tollgate-e2e}",
                new String[] {"ipset", "test", "tollgate-e2e", ATTACKER4}),
        NFTABLES(new String[] {"nft"}, "{type: nftables, table: tollgate_e2e}",
                new String[] {"nft", "get", "element", "inet", "tollgate_e2e", "v4", "{", ATTACKER4, "}"});

        final String[] tools;
        final String action;
        final String[] banned;

        Firewall(String[] tools, String action, String[] banned) {
            this.tools = tools;
            this.action = action;
            this.banned = banned;
        }
    }

    @TempDir
    Path dir;

    private Path log;
    private Path events;
    private final FailureLog attacks = new FailureLog("e2e");

    @ParameterizedTest
    @EnumSource(Firewall.class)
    void bansInTheNamespaceFirewallAndLosesOrRepeatsNoEventAcrossRotationsAndARestart(Firewall firewall)
            throws Exception {
        log = dir.resolve("full");
        events = dir.resolve("events.jsonl");
        Path config = dir.resolve("tollgate.yaml");
        Files.writeString(config, config(firewall, dir.resolve("state.db")));
        Files.writeString(log, "[" + FailureLog.stamp() + "] VERBOSE[2281] asterisk.c: Asterisk Ready.\n");

        try (NamespacePair pair = NamespacePair.create(firewall.tools)) {
            ServiceProcess tollgate = start(pair, config, dir.resolve("tollgate-1.out"));
            try {
                assertThat(pair.deliveredFrom(ATTACKER4, Waits.PATIENCE))
                        .as("a datagram from the attacker reaches the server before any failure").isTrue();

                for (int i = 1; i < MAXRETRY; i++) {
                    writeFailure(log, ATTACKER4);
                }
                awaitEvents(tollgate);
                assertThat(pair.server().run(firewall.banned).exitCode()).as("banned after %d failures", MAXRETRY - 1)
                        .isNotZero();
                assertThat(pair.deliveredFrom(ATTACKER4, Waits.PATIENCE)).as("not banned yet, datagrams arrive").isTrue();

                writeFailure(log, ATTACKER4);
                assertThat(pair.droppedFrom(ATTACKER4, 3, DEADLINE))
                        .as("datagrams from the attacker dropped after %d failures%s", MAXRETRY, tollgate.output())
                        .isTrue();
                assertThat(pair.server().run(firewall.banned).exitCode()).as("%s says banned", firewall).isZero();
                awaitEvents(tollgate);

                // logrotate's default: rename, Asterisk writes on into the old file until its logger reopens.
                Path renamed = dir.resolve("full.1");
                Files.move(log, renamed, StandardCopyOption.ATOMIC_MOVE);
                writeFailure(renamed, "203.0.113.10");
                writeFailure(renamed, "203.0.113.11");
                Files.writeString(log, "", StandardOpenOption.CREATE_NEW);
                writeFailure(log, "198.51.100.10");
                writeFailure(log, "198.51.100.11");
                writeFailure(log, "198.51.100.12");
                awaitEvents(tollgate);

                // copytruncate: copied, cut to zero in place, written on from the start.
                Files.copy(log, dir.resolve("full.2"));
                try (FileChannel channel = FileChannel.open(log, StandardOpenOption.WRITE)) {
                    channel.truncate(0);
                }
                writeFailure(log, "203.0.113.20");
                writeFailure(log, "203.0.113.21");
                writeFailure(log, "198.51.100.20");
                awaitEvents(tollgate);

                int beforeRestart = attacks.count();
                assertThat(tollgate.stop()).as("exit code after SIGTERM%s", tollgate.output()).isEqualTo(STOPPED_BY_SIGTERM);
                writeFailure(log, "198.51.100.30");
                writeFailure(log, "198.51.100.31");

                tollgate = start(pair, config, dir.resolve("tollgate-2.out"));
                awaitEvents(tollgate);
                assertThat(pair.server().run(firewall.banned).exitCode()).as("%s still bans after the restart", firewall)
                        .isZero();
                assertThat(pair.droppedFrom(ATTACKER4, 3, DEADLINE))
                        .as("datagrams from the attacker still dropped after the restart").isTrue();
                writeFailure(log, "203.0.113.30");
                awaitEvents(tollgate);

                assertThat(tollgate.stop()).as("exit code after SIGTERM%s", tollgate.output()).isEqualTo(STOPPED_BY_SIGTERM);
                // Stopped, so everything read is written: the file is final.
                List<JsonNode> written = FailureLog.events(events);
                assertThat(written.stream().map(FailureLog::callId).toList())
                        .as("every failure exactly once, in the order written").containsExactlyElementsOf(attacks.callIds());
                assertConsecutive(written.subList(0, beforeRestart), "before the restart");
                assertConsecutive(written.subList(beforeRestart, written.size()), "after the restart");
            } finally {
                tollgate.close();
            }
        }
    }

    private String config(Firewall firewall, Path state) {
        return TollgateYaml.following(log).state(state).jsonl(events, "security").reconcile("1h")
                .jail("sip-auth", "maxretry: " + MAXRETRY, "findtime: 10m", "bantime: 1h", "actions:",
                        "  - " + firewall.action).text();
    }

    private void writeFailure(Path file, String ip) throws IOException {
        attacks.write(file, ip);
    }

    /** Waits until the output holds as many events as failures were written. */
    private void awaitEvents(ServiceProcess tollgate) {
        int want = attacks.count();
        Waits.until(() -> FailureLog.events(events).size() >= want, DEADLINE,
                () -> "expected " + want + " events in " + events + ", found " + FailureLog.events(events).size()
                        + tollgate.output());
    }

    /** Within one run, lines are numbered from where reading began: one by one, none skipped or repeated. */
    private static void assertConsecutive(List<JsonNode> run, String which) {
        for (int i = 1; i < run.size(); i++) {
            assertThat(run.get(i).at("/event/sequence").asLong())
                    .as("event.sequence of %s %s", FailureLog.callId(run.get(i)), which)
                    .isEqualTo(run.get(i - 1).at("/event/sequence").asLong() + 1);
        }
    }

    /** {@code ip netns exec <server> java -jar tollgate.jar run --config …}, its output kept in a file. */
    private static ServiceProcess start(NamespacePair pair, Path config, Path output) throws IOException {
        return ServiceProcess.start(pair.server().exec(), "target/tollgate.jar", config, output, "following the log file");
    }
}
