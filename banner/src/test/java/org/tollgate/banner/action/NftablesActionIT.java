package org.tollgate.banner.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tollgate.testkit.NamespacePair.ATTACKER4;
import static org.tollgate.testkit.NamespacePair.ATTACKER6;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tollgate.banner.jail.ActionSettings;
import org.tollgate.banner.jail.Ban;

/** The nftables action against the real nft, inside a namespace of its own. */
class NftablesActionIT {

    @RegisterExtension
    static final ActionLab lab = new ActionLab("nft");
    private static final int TIMED_BANS = 200;

    @AfterEach
    void flushRuleset() throws Exception {
        lab.tearDownAction();
        lab.inServer("nft", "flush", "ruleset");
    }

    private FirewallAction action(Map<String, String> params) {
        return lab.action("nftables", params);
    }

    @Test
    void theSessionSurvivesItsTableVanishingAndBeingClosed() throws Exception {
        FirewallAction nft = action(Map.of());
        nft.setUp();
        lab.banAndAssertDropped(nft, ActionLab.attackerWithPermanentIpv6());
        assertThat(lab.inServer("nft", "list", "set", "inet", "tollgate", "v4")).contains("192.0.2.50 timeout 1h");
        assertThat(lab.inServer("nft", "list", "set", "inet", "tollgate", "v6")).contains("elements = { 2001:db8::50 }");

        // Someone deletes the table by hand while the session runs: the next ban's line declares it again.
        lab.inServer("nft", "delete", "table", "inet", "tollgate");
        Ban second = ActionLab.ban("192.0.2.62", Duration.ofHours(1));
        assertThat(nft.ban(List.of(second)).applied()).containsExactly("192.0.2.62");
        assertThat(lab.inServer("nft", "list", "set", "inet", "tollgate", "v4")).contains("192.0.2.62 timeout 1h");
        assertThat(lab.inServer("nft", "list", "chain", "inet", "tollgate", "input")).contains("ip saddr @v4 drop");

        nft.close();
        Ban third = ActionLab.ban("192.0.2.63", Duration.ofHours(1));
        assertThat(nft.ban(List.of(third)).applied()).containsExactly("192.0.2.63");
        assertThat(lab.inServer("nft", "list", "set", "inet", "tollgate", "v4")).contains("192.0.2.63 timeout 1h");
    }

    /**
     * Single bans one after another, each applied and checked, through the session and through one {@code nft -f}
     * per ban; the time each took is printed as a figure, not asserted.
     */
    @Test
    void singleBansOneAfterAnotherAreEachAppliedThroughTheSessionAndThroughNftF() throws Exception {
        CommandRunner noSession = new CommandRunner(lab.runner().prefix(), Duration.ofSeconds(60)) {
            @Override
            public Session sessionWithSentinel(List<String> command, IntFunction<String> sentinel)
                    throws ActionException {
                throw new ActionException("no session, as before");
            }
        };
        FirewallAction perProcess = lab.action("nftables", Map.of("table", "process"), noSession);
        perProcess.setUp();
        long processNanos = timeSingleBans(perProcess);
        perProcess.tearDown();
        FirewallAction inSession = action(Map.of());
        inSession.setUp();
        long sessionNanos = timeSingleBans(inSession);

        System.out.printf("nftables: one ban takes %.2f ms through nft -f, %.2f ms through the nft -i session "
                + "(mean of %d)%n", processNanos / 1e6, sessionNanos / 1e6, TIMED_BANS);
    }

    private static long timeSingleBans(FirewallAction action) throws ActionException {
        // The first ban starts the session, if any.
        action.ban(List.of(ActionLab.ban("198.51.100.1", Duration.ofHours(1))));
        long started = System.nanoTime();
        for (int i = 0; i < TIMED_BANS; i++) {
            String ip = "203.0.113." + (i % 250 + 1);
            assertThat(action.ban(List.of(ActionLab.ban(ip, Duration.ofHours(1)))).applied()).containsExactly(ip);
        }
        return (System.nanoTime() - started) / TIMED_BANS;
    }

    @Test
    void bansDropTrafficUntilUnbanned() throws Exception {
        FirewallAction nft = action(Map.of());
        nft.setUp();
        nft.setUp();
        lab.assertDeliveredFrom(ATTACKER4);
        lab.assertDeliveredFrom(ATTACKER6);
        List<Ban> bans = ActionLab.attackerWithPermanentIpv6();

        lab.banAndAssertDropped(nft, bans);

        assertThat(lab.inServer("nft", "list", "set", "inet", "tollgate", "v4")).contains("192.0.2.50 timeout 1h");
        assertThat(lab.inServer("nft", "list", "set", "inet", "tollgate", "v6")).contains("elements = { 2001:db8::50 }");
        assertThat(lab.inServer("nft", "list", "chain", "inet", "tollgate", "input"))
                .contains("type filter hook input priority filter - 10; policy accept;");
        lab.banAgainAndAssertNoneMissing(nft, bans);

        lab.unbanAndAssertDelivered(nft, bans);
    }

    @Test
    void aHostFirewallThatAcceptsThePortDoesNotLetABanThrough() throws Exception {
        // A typical host firewall at priority 0: established flows and the SIP port accepted. Its accept ends only its
        // own chain; the ban's drop at priority -10 has already decided.
        lab.inServer("nft", "add table inet host; "
                + "add chain inet host input { type filter hook input priority 0; policy accept; }; "
                + "add rule inet host input ct state established,related accept; "
                + "add rule inet host input udp dport 5060 accept");
        FirewallAction nft = action(Map.of("blocktype", "reject"));
        nft.setUp();
        lab.assertDeliveredFrom(ATTACKER4);

        assertThat(nft.ban(ActionLab.attackerWithPermanentIpv6()).applied())
                .containsExactlyInAnyOrder(ATTACKER4, ATTACKER6);

        lab.assertDroppedFrom(ATTACKER4);
        lab.assertDroppedFrom(ATTACKER6);
    }

    @Test
    void aFlushedRulesetIsMissingAndSetUpAndBanRestoreIt() throws Exception {
        FirewallAction nft = action(Map.of());
        nft.setUp();
        List<Ban> bans = ActionLab.attackerWithPermanentIpv6();
        assertThat(nft.ban(bans).applied()).hasSize(2);
        lab.assertDroppedFrom(ATTACKER4);

        lab.inServer("nft", "flush", "ruleset");

        lab.assertDeliveredFrom(ATTACKER4);
        assertThat(nft.missing(bans)).containsExactlyInAnyOrder(ATTACKER4, ATTACKER6);
        nft.setUp();
        assertThat(nft.ban(bans).applied()).containsExactlyInAnyOrder(ATTACKER4, ATTACKER6);
        lab.assertDroppedFrom(ATTACKER4);
        lab.assertDroppedFrom(ATTACKER6);
        assertThat(nft.missing(bans)).isEmpty();
    }

    @Test
    void aDeletedChainIsMissingAndTheNextBanAloneRestoresIt() throws Exception {
        FirewallAction nft = action(Map.of("table", "pbx"));
        nft.setUp();
        List<Ban> bans = ActionLab.attackerWithPermanentIpv6();
        assertThat(nft.ban(bans).applied()).hasSize(2);

        lab.inServer("nft", "delete", "chain", "inet", "pbx", "input");

        assertThat(nft.missing(bans)).containsExactlyInAnyOrder(ATTACKER4, ATTACKER6);
        assertThat(nft.ban(bans).applied()).hasSize(2);
        lab.assertDroppedFrom(ATTACKER4);
        assertThat(nft.missing(bans)).isEmpty();
    }

    @Test
    void tenThousandBansInOneCall() throws Exception {
        FirewallAction nft = action(Map.of());
        nft.setUp();
        BulkBans bulk = new BulkBans("nftables", nft);

        bulk.banLoseAndRestore();
        bulk.banAgain("ban again (refresh timeouts)");
        bulk.unban();
    }

    /**
     * After {@code nft flush ruleset} the bans are back at once (within a second when the machine is idle), not at the
     * periodic reconcile (10 minutes).
     */
    @Test
    void aFlushedRulesetIsReportedAndTheBansPutBackAtOnce() {
        ActionSettings nftables = new ActionSettings("nftables", Map.of("table", "reload"), 0);
        try (ReapplyingEnforcer service = new ReapplyingEnforcer(lab.runner(), List.of(nftables),
                new ReapplyingEnforcer.Subscription() {
                    @Override
                    public void provoke(int n) {
                        lab.inServer("nft", "add", "table", "inet", "probe" + n);
                        lab.inServer("nft", "delete", "table", "inet", "probe" + n);
                    }

                    @Override
                    public boolean shows(String line, int n) {
                        return line.strip().startsWith("delete table inet probe" + n);
                    }
                })) {
            service.ban(ATTACKER4);
            service.ban(ATTACKER6);
            lab.assertDroppedFrom(ATTACKER4);

            long flushed = System.nanoTime();
            lab.inServer("nft", "flush", "ruleset");
            ReapplyingEnforcer.Reconciled after = service.awaitReconcile(flushed);

            System.out.printf("nftables: reconcile started %d ms after nft flush ruleset was called, bans back after "
                    + "%d ms%n", (after.startedNanos() - flushed) / 1_000_000, (after.finishedNanos() - flushed) / 1_000_000);
            assertThat(after.reason()).isEqualTo("nftables set inet reload v4 deleted, nftables set inet reload v6 "
                    + "deleted, nftables chain inet reload input deleted, nftables table inet reload deleted");
            assertThat(after.report().reapplied()).isEqualTo(2);
            assertThat(lab.inServer("nft", "list", "set", "inet", "reload", "v4")).contains("192.0.2.50");
            lab.assertDroppedFrom(ATTACKER4);
            lab.assertDroppedFrom(ATTACKER6);
        }
    }
}
