package org.tollgate.server.shield;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tollgate.testkit.NamespacePair.ATTACKER4;
import static org.tollgate.testkit.NamespacePair.ATTACKER6;
import static org.tollgate.testkit.NamespacePair.BYSTANDER4;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.banner.action.CommandRunner;
import org.tollgate.banner.jail.AddressMatcher;
import org.tollgate.banner.shield.Shield;
import org.tollgate.banner.shield.ShieldSettings;
import org.tollgate.banner.shield.ShieldStatus;
import org.tollgate.testkit.NamespacePair;
import org.tollgate.testkit.SipTraffic;
import org.tollgate.testkit.Waits;

/**
 * The shield against real traffic between two network namespaces: SIP requests over UDP and TCP from the attacker's
 * addresses to a sink on the server, with the shield in the server's nftables. Windows are short so that the test
 * sees a source cut off and let through again; every wait is on a condition.
 */
class ShieldIT {

    private static final int SIP = 5080;
    private static final int OTHER = 5090;
    /** The first rung: 3 at once, then one every 10 s. */
    private static final ShieldSettings.Rung FIRST = new ShieldSettings.Rung(3, Duration.ofSeconds(30));
    /** The second: 4 at once, then one every 150 s: it stops the source the first lets through again. */
    private static final ShieldSettings.Rung SECOND = new ShieldSettings.Rung(4, Duration.ofMinutes(10));

    @TempDir
    Path dir;

    private NamespacePair pair;
    private Vertx vertx;

    @AfterEach
    void close() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
        if (pair != null) {
            pair.close();
        }
    }

    private ShieldSettings settings(String backend, Path allow, Path block, Map<String, ShieldSettings.Rung> methods,
                                    List<String> userAgents) {
        return settings(backend, List.of(FIRST, SECOND), allow, block, methods, userAgents);
    }

    private ShieldSettings settings(String backend, List<ShieldSettings.Rung> ladder, Path allow, Path block,
                                    Map<String, ShieldSettings.Rung> methods, List<String> userAgents) {
        return new ShieldSettings(true, backend, ShieldSettings.DEFAULT_NAME, List.of(SIP), ShieldSettings.PROTOCOLS,
                ladder, true, allow, block, methods, userAgents);
    }

    private ShieldVerticle deploy(ShieldSettings settings, AtomicReference<AddressMatcher> allowed) throws Exception {
        Shield shield = Shield.create(settings, new CommandRunner(pair.server().exec(), Duration.ofSeconds(60)));
        ShieldVerticle verticle = new ShieldVerticle(settings, shield, Duration.ofSeconds(2), allowed::set);
        vertx = Vertx.vertx();
        Waits.result(vertx.deployVerticle(verticle).toCompletionStage());
        return verticle;
    }

    @Test
    void aBurstOverTheLadderIsCutOffAtTheFirstRungAndLetThroughAgainAfterItsWindowOverUdpAndTcp() throws Exception {
        pair = NamespacePair.create("nft");
        Path allow = Files.writeString(dir.resolve("allow.list"), "# our office\n" + BYSTANDER4 + "  # the bystander\n");
        ShieldVerticle shield = deploy(settings("nftables", allow, null, Map.of(), List.of()), new AtomicReference<>());
        try (SipTraffic.Sink sink = SipTraffic.sink(pair, SIP, OTHER)) {
            // UDP from the IPv4 attacker and TCP from the IPv6 one, at the same time: each source has its own buckets.
            CompletableFuture<Void> udp = CompletableFuture.runAsync(() -> ladder(shield, sink, "udp", ATTACKER4, "ipv4"));
            CompletableFuture<Void> tcp = CompletableFuture.runAsync(() -> ladder(shield, sink, "tcp", ATTACKER6, "ipv6"));
            udp.join();
            tcp.join();

            // The allow-listed bystander is never limited: every one of a burst of 10 arrives.
            SipTraffic.send(pair, "udp", BYSTANDER4, SIP, "allowed", 10, "REGISTER", null, false);
            Waits.until("all 10 requests of the allow-listed source", () -> sink.received("udp", "allowed") == 10);

            ShieldStatus status = Waits.result(shield.status().toCompletionStage());
            System.out.println("shield status: " + status);
            assertThat(status.inForce()).isTrue();
            assertThat(packets(status, "ladder " + FIRST, "ipv4")).isGreaterThanOrEqualTo(7);
            assertThat(packets(status, "ladder " + SECOND, "ipv4")).isGreaterThanOrEqualTo(1);
            assertThat(packets(status, "ladder " + FIRST, "ipv6")).isGreaterThanOrEqualTo(7);
            assertThat(packets(status, "allow list", "ipv4")).isGreaterThanOrEqualTo(10);
            // What /metrics shows is the reading just taken, not a firewall call of its own.
            assertThat(shield.lastReading()).hasValueSatisfying(reading -> assertThat(reading.status()).isEqualTo(status));
        }
    }

    /**
     * A burst of 10 new requests: the first rung lets 3 through; one more after its refill (10 s); then the second
     * rung, spent, drops what the first lets through.
     */
    private void ladder(ShieldVerticle shield, SipTraffic.Sink sink, String protocol, String from, String family) {
        long started = System.nanoTime();
        SipTraffic.send(pair, protocol, from, SIP, "burst", 10, "REGISTER", null, false);
        double seconds = (System.nanoTime() - started) / 1e9;
        // A request that arrives does so within the sender's run (TCP: within its second); wait for the sink to say.
        Waits.until(protocol + ": the first 3 of the burst", () -> sink.received(protocol, "burst") >= 3);
        int passed = sink.received(protocol, "burst");
        System.out.printf("%s from %s: %d of a burst of 10 passed (sent in %.2f s)%n", protocol, from, passed, seconds);
        // A token comes back every 10 s: a burst sent in less passes 3 exactly.
        assertThat(passed).isBetween(3, 3 + (int) (seconds / 10));

        long cut = System.nanoTime();
        int[] tries = {0};
        Waits.until(protocol + ": a request let through again after the first rung's refill", () -> {
            tries[0]++;
            SipTraffic.send(pair, protocol, from, SIP, "again-" + tries[0], 1, "REGISTER", null, false);
            return sink.received(protocol, "again") >= 1;
        });
        System.out.printf("%s from %s: let through again after %.1f s (%d tries)%n", protocol, from,
                (System.nanoTime() - cut) / 1e9, tries[0]);
        assertThat(tries[0]).isGreaterThan(1);
        assertThat(sink.received(protocol, "again")).isEqualTo(1);

        // 4 have passed: the second rung (4 at once, one every 150 s) is spent and drops what the first lets by.
        int[] late = {0};
        Waits.until(protocol + ": the second rung dropping", () -> {
            late[0]++;
            SipTraffic.send(pair, protocol, from, SIP, "late-" + late[0], 1, "REGISTER", null, false);
            return packets(status(shield), "ladder " + SECOND, family) >= 1;
        });
        System.out.printf("%s from %s: the second rung dropped after %d more tries%n", protocol, from, late[0]);
        assertThat(sink.received(protocol, "late")).isZero();
    }

    private static ShieldStatus status(ShieldVerticle shield) {
        try {
            return Waits.result(shield.status().toCompletionStage());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long packets(ShieldStatus status, String what, String family) {
        return status.rules().stream().filter(r -> r.what().equals(what) && r.family().equals(family))
                .mapToLong(ShieldStatus.Rule::packets).sum();
    }

    @Test
    void blockedSourcesAreDroppedOnEveryPortAndTheListsAreReloadedWhenTheirFilesChange() throws Exception {
        pair = NamespacePair.create("nft");
        Path allow = Files.writeString(dir.resolve("allow.list"), BYSTANDER4 + "\n");
        Path block = Files.writeString(dir.resolve("block.list"), "# known scanners\n2001:db8::/64\n");
        AtomicReference<AddressMatcher> allowed = new AtomicReference<>();
        ShieldVerticle shield = deploy(settings("nftables", allow, block, Map.of(), List.of()), allowed);
        assertThat(allowed.get().matches(BYSTANDER4)).isTrue();
        try (SipTraffic.Sink sink = SipTraffic.sink(pair, SIP, OTHER)) {
            SipTraffic.send(pair, "udp", ATTACKER6, SIP, "blocked-sip", 1, "REGISTER", null, false);
            SipTraffic.send(pair, "udp", ATTACKER6, OTHER, "blocked-other", 1, "REGISTER", null, false);
            // The bystander's request, sent after them on the same path, has arrived: theirs would have too.
            SipTraffic.send(pair, "udp", BYSTANDER4, OTHER, "after", 1, "REGISTER", null, false);
            Waits.until("the bystander's request", () -> sink.received("udp", "after") == 1);
            Waits.until("both drops counted", () -> packets(status(shield), "block list", "ipv6") >= 2);
            assertThat(sink.received("udp", "blocked-sip") + sink.received("udp", "blocked-other")).isZero();

            Files.writeString(block, "# nobody blocked now\n");
            Files.writeString(allow, BYSTANDER4 + "\n" + ATTACKER4 + "/32\n");
            int[] tries = {0};
            Waits.until("the unblocked source let through after the list changed", () -> {
                tries[0]++;
                SipTraffic.send(pair, "udp", ATTACKER6, OTHER, "unblocked-" + tries[0], 1, "REGISTER", null, false);
                return sink.received("udp", "unblocked") >= 1;
            });
            Waits.until("the new allow list handed to the jails", () -> allowed.get().matches(ATTACKER4));
        }
    }

    @Test
    void scannersAreDroppedByMethodFloodAndByUserAgentWhereTheStringMatchExists() throws Exception {
        pair = NamespacePair.create("nft");
        ShieldVerticle shield = deploy(settings("nftables", List.of(new ShieldSettings.Rung(1000, Duration.ofSeconds(1))),
                null, null, Map.of("OPTIONS", new ShieldSettings.Rung(5, Duration.ofMinutes(1))),
                List.of("friendly-scanner", "sipvicious")), new AtomicReference<>());
        try (SipTraffic.Sink sink = SipTraffic.sink(pair, SIP)) {
            // One flow (one socket): the ladder counts it once; the method limit counts every datagram.
            long started = System.nanoTime();
            SipTraffic.send(pair, "udp", ATTACKER4, SIP, "options", 10, "OPTIONS", null, true);
            double seconds = (System.nanoTime() - started) / 1e9;
            SipTraffic.send(pair, "udp", ATTACKER4, SIP, "register", 1, "REGISTER", null, true);
            Waits.until("a REGISTER after the OPTIONS flood", () -> sink.received("udp", "register") == 1);
            int passed = sink.received("udp", "options");
            System.out.printf("OPTIONS flood: %d of 10 passed (sent in %.2f s)%n", passed, seconds);
            assertThat(passed).isBetween(5, 5 + (int) (seconds / 12));

            ShieldStatus status = status(shield);
            if (!status.problems().isEmpty()) {
                System.out.println("User-Agent drops not tested: " + status.problems());
                org.junit.jupiter.api.Assumptions.abort("iptables' string match is not available here: "
                        + status.problems());
            }
            for (String agent : List.of("friendly-scanner", "SIPVicious PBX 0.3")) {
                String tag = agent.substring(0, 5).toLowerCase(java.util.Locale.ROOT);
                SipTraffic.send(pair, "udp", ATTACKER4, SIP, tag, 1, "REGISTER", agent, false);
                SipTraffic.send(pair, "udp", ATTACKER4, SIP, tag + "after", 1, "REGISTER", "Zoiper", false);
                Waits.until("the request after the scanner's", () -> sink.received("udp", tag + "after") == 1);
                assertThat(sink.received("udp", tag)).as("the request of User-Agent %s", agent).isZero();
            }
            assertThat(packets(status(shield), "user-agent friendly-scanner", "ipv4")).isEqualTo(1);
        }
    }

    @Test
    void theShieldIsPutBackAtOnceAfterItsTableIsDeleted() throws Exception {
        pair = NamespacePair.create("nft");
        ShieldVerticle shield = deploy(settings("nftables", null, null, Map.of(), List.of()), new AtomicReference<>());
        Waits.until("the watch on nft monitor running", shield::watching);
        pair.inServer("nft", "delete", "table", "inet", ShieldSettings.DEFAULT_NAME);
        Waits.until("the shield put back", () -> shield.reapplied() >= 1 && status(shield).inForce());
        assertThat(shield.lastReading()).hasValueSatisfying(reading -> assertThat(reading.reapplied()).isEqualTo(shield.reapplied()));

        Waits.result(shield.off().toCompletionStage());
        assertThat(pair.server().run("nft", "list", "table", "inet", ShieldSettings.DEFAULT_NAME).ok()).isFalse();
        assertThat(status(shield).inForce()).isFalse();
    }

    @Test
    void withoutNftTheIptablesBackendCutsABurstOffAtTheFirstRung() throws Exception {
        pair = NamespacePair.create("iptables", "ip6tables", "iptables-restore");
        ShieldVerticle shield = deploy(settings("iptables", null, null,
                Map.of("OPTIONS", new ShieldSettings.Rung(5, Duration.ofMinutes(1))), List.of()),
                new AtomicReference<>());
        assertThat(status(shield).backend()).isEqualTo("iptables:TOLLGATE_SHIELD");
        try (SipTraffic.Sink sink = SipTraffic.sink(pair, SIP)) {
            long started = System.nanoTime();
            SipTraffic.send(pair, "udp", ATTACKER4, SIP, "burst", 10, "REGISTER", null, false);
            double seconds = (System.nanoTime() - started) / 1e9;
            SipTraffic.send(pair, "udp", BYSTANDER4, SIP, "after", 1, "REGISTER", null, false);
            Waits.until("the bystander's request", () -> sink.received("udp", "after") == 1);
            int passed = sink.received("udp", "burst");
            System.out.printf("iptables: %d of a burst of 10 passed (sent in %.2f s)%n", passed, seconds);
            assertThat(passed).isBetween(3, 3 + (int) (seconds / 10));
            ShieldStatus status = status(shield);
            System.out.println("shield status: " + status);
            assertThat(status.inForce()).isTrue();
            assertThat(packets(status, "ladder " + FIRST, "ipv4")).isGreaterThanOrEqualTo(7);
        }
    }
}
