package org.tollgate.server.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.tollgate.testkit.NamespacePair.ATTACKER4;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tollgate.testkit.NamespacePair;
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

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final Duration DEADLINE = Waits.PATIENCE;
    private static final Duration START_DEADLINE = Duration.ofSeconds(90);
    private static final int MAXRETRY = 3;
    /** The JVM's exit status once its shutdown hooks ran after a SIGTERM: 128 + 15. */
    private static final int STOPPED_BY_SIGTERM = 143;

    /** The firewall actions under test: the config entry and how to ask the firewall whether an address is banned. */
    enum Firewall {
        IPSET(new String[] {"ipset", "iptables"}, "type: ipset\n        set: tollgate-e2e",
                new String[] {"ipset", "test", "tollgate-e2e", ATTACKER4}),
        NFTABLES(new String[] {"nft"}, "type: nftables\n        table: tollgate_e2e",
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
    private final List<String> expected = new ArrayList<>();

    @ParameterizedTest
    @EnumSource(Firewall.class)
    void bansInTheNamespaceFirewallAndLosesOrRepeatsNoEventAcrossRotationsAndARestart(Firewall firewall)
            throws Exception {
        log = dir.resolve("full");
        events = dir.resolve("events.jsonl");
        Path config = dir.resolve("tollgate.yaml");
        Files.writeString(config, config(firewall, dir.resolve("state.db")));
        Files.writeString(log, "[" + now() + "] VERBOSE[2281] asterisk.c: Asterisk Ready.\n");

        try (NamespacePair pair = NamespacePair.create(firewall.tools)) {
            TollgateProcess tollgate = TollgateProcess.start(pair, config, dir.resolve("tollgate-1.out"));
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

                int beforeRestart = expected.size();
                assertThat(tollgate.stop()).as("exit code after SIGTERM%s", tollgate.output()).isEqualTo(STOPPED_BY_SIGTERM);
                writeFailure(log, "198.51.100.30");
                writeFailure(log, "198.51.100.31");

                tollgate = TollgateProcess.start(pair, config, dir.resolve("tollgate-2.out"));
                awaitEvents(tollgate);
                assertThat(pair.server().run(firewall.banned).exitCode()).as("%s still bans after the restart", firewall)
                        .isZero();
                assertThat(pair.droppedFrom(ATTACKER4, 3, DEADLINE))
                        .as("datagrams from the attacker still dropped after the restart").isTrue();
                writeFailure(log, "203.0.113.30");
                awaitEvents(tollgate);

                assertThat(tollgate.stop()).as("exit code after SIGTERM%s", tollgate.output()).isEqualTo(STOPPED_BY_SIGTERM);
                // Stopped, so everything read is written: the file is final.
                List<JsonNode> written = readEvents();
                assertThat(written.stream().map(RunEndToEndIT::callId).toList())
                        .as("every failure exactly once, in the order written").containsExactlyElementsOf(expected);
                assertConsecutive(written.subList(0, beforeRestart), "before the restart");
                assertConsecutive(written.subList(beforeRestart, written.size()), "after the restart");
            } finally {
                tollgate.kill();
            }
        }
    }

    private String config(Firewall firewall, Path state) {
        return """
                sources:
                  - type: file
                    path: %s
                    zone: UTC
                state:
                  path: %s
                outputs:
                  - type: jsonl
                    path: %s
                    events: security
                reconcile:
                  interval: 1h
                jails:
                  sip-auth:
                    maxretry: %d
                    findtime: 10m
                    bantime: 1h
                    actions:
                      - %s
                """.formatted(log, state, events, MAXRETRY, firewall.action);
    }

    /** Appends one PJSIP "Failed to authenticate" line from {@code ip}, with a call id that names it in the events. */
    private void writeFailure(Path file, String ip) throws IOException {
        String callId = "e2e-" + (expected.size() + 1);
        expected.add(callId);
        Files.writeString(file, "[" + now() + "] NOTICE[2290] res_pjsip/pjsip_distributor.c: Request 'REGISTER' from "
                + "'<sip:100@203.0.113.5>' failed for '" + ip + ":5060' (callid: " + callId
                + ") - Failed to authenticate\n", StandardOpenOption.APPEND);
    }

    private static String now() {
        return STAMP.format(LocalDateTime.now(ZoneOffset.UTC));
    }

    /** Waits until the output holds as many events as failures were written. */
    private void awaitEvents(TollgateProcess tollgate) {
        int want = expected.size();
        Waits.until(() -> readEvents().size() >= want, DEADLINE,
                () -> "expected " + want + " events in " + events + ", found " + readEvents().size() + tollgate.output());
    }

    private List<JsonNode> readEvents() {
        try {
            if (!Files.exists(events)) {
                return List.of();
            }
            List<JsonNode> nodes = new ArrayList<>();
            for (String line : Files.readAllLines(events)) {
                // A line still being written is not an event yet.
                if (line.endsWith("}")) {
                    nodes.add(JSON.readTree(line));
                }
            }
            return nodes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String callId(JsonNode event) {
        String message = event.path("message").asText();
        int start = message.indexOf("(callid: ");
        int end = message.indexOf(')', start);
        return start < 0 || end < 0 ? message : message.substring(start + "(callid: ".length(), end);
    }

    /** Within one run, lines are numbered from where reading began: one by one, none skipped or repeated. */
    private static void assertConsecutive(List<JsonNode> run, String which) {
        for (int i = 1; i < run.size(); i++) {
            assertThat(run.get(i).at("/event/sequence").asLong())
                    .as("event.sequence of %s %s", callId(run.get(i)), which)
                    .isEqualTo(run.get(i - 1).at("/event/sequence").asLong() + 1);
        }
    }

    /** {@code ip netns exec <server> java -jar tollgate.jar run --config …}, its output kept in a file. */
    private static final class TollgateProcess {

        private final Process process;
        private final Path output;

        private TollgateProcess(Process process, Path output) {
            this.process = process;
            this.output = output;
        }

        static TollgateProcess start(NamespacePair pair, Path config, Path output) throws IOException {
            Path jar = Path.of(System.getProperty("tollgate.jar", "target/tollgate.jar"));
            if (!Files.isRegularFile(jar)) {
                fail(jar.toAbsolutePath() + " is missing: run through failsafe (./mvnw verify), after package");
            }
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process process = new ProcessBuilder(pair.server().exec(java, "-jar", jar.toAbsolutePath().toString(), "run",
                    "--config", config.toString()))
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            TollgateProcess tollgate = new TollgateProcess(process, output);
            Waits.until(() -> !process.isAlive() || tollgate.text().contains("following the log file"), START_DEADLINE,
                    () -> "tollgate run did not start" + tollgate.output());
            if (!process.isAlive()) {
                fail("tollgate run exited " + process.exitValue() + tollgate.output());
            }
            return tollgate;
        }

        /** SIGTERM, as systemd stops it; returns the exit code. */
        int stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                fail("tollgate run still running " + DEADLINE.toSeconds() + "s after SIGTERM" + output());
            }
            return process.exitValue();
        }

        void kill() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            }
        }

        String text() {
            try {
                return Files.exists(output) ? Files.readString(output) : "";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The process's own log, for failure messages. */
        String output() {
            return "\n--- " + output + " ---\n" + text();
        }
    }
}
