package org.tollgate.banner.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tollgate.banner.jail.ActionSettings;
import org.tollgate.banner.jail.Ban;
import org.tollgate.banner.jail.JailSettings;
import org.tollgate.testkit.FakeClock;

/** The ledger alone: no firewall call, no store, time moved by hand. */
class BanLedgerTest {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final JailSettings SIP_AUTH = JailSettings.builder("sip-auth").bantime(HOUR)
            .actions(List.of(new ActionSettings("ipset", Map.of("set", "tollgate-sip"), 1))).build();
    /** Shares sip-auth's set, for a day. */
    private static final JailSettings SIP_SCAN = JailSettings.builder("sip-scan").bantime(Duration.ofDays(1))
            .actions(List.of(new ActionSettings("ipset", Map.of("set", "tollgate-sip"), 2),
                    new ActionSettings("conntrack", Map.of(), 3))).build();

    private final FakeClock clock = new FakeClock("2026-03-02T09:00:00Z");
    private final ActionRouting routing = routing(SIP_AUTH, SIP_SCAN);
    private final BanLedger ledger = new BanLedger(routing, EnforcerOptions.DEFAULTS);

    private static ActionRouting routing(JailSettings... jails) {
        Map<String, JailSettings> byName = new LinkedHashMap<>();
        for (JailSettings jail : jails) {
            byName.put(jail.name(), jail);
        }
        return new ActionRouting(byName, entry -> new InMemoryFirewall(entry.type() + ":" + entry.params()));
    }

    private Ban ban(String ip, String jail, Duration length) {
        return new Ban(ip, jail, clock.instant(), clock.instant().plus(length), 3, 1);
    }

    @Test
    void routingSharesOneActionPerEntryAndKeepsConfigurationOrder() {
        assertThat(routing.actions()).hasSize(2);
        assertThat(routing.of("sip-scan")).extracting(ConfiguredAction::label)
                .containsExactly("ipset:{set=tollgate-sip}", "conntrack:{}");
        assertThat(routing.jailsSharing(routing.of("sip-auth").get(0))).containsExactly("sip-auth", "sip-scan");
    }

    @Test
    void theSnapshotChangesOnlyWhenPublishedAndIsNotChangedAfterwards() {
        EnforcerStatus before = ledger.snapshot();
        TrackedBan entry = ledger.track(ban("192.0.2.10", "sip-auth", HOUR));
        assertThat(ledger.snapshot()).isSameAs(before);
        assertThat(before.bans()).isEmpty();

        ledger.publish();
        EnforcerStatus pending = ledger.snapshot();
        assertThat(pending.bans()).singleElement().satisfies(status -> assertThat(status.applied()).isFalse());

        entry.applied(routing.of("sip-auth").get(0));
        ledger.publish();
        assertThat(pending.bans().get(0).applied()).as("an old snapshot stays as it was").isFalse();
        assertThat(ledger.snapshot().bans().get(0).applied()).isTrue();
    }

    @Test
    void aFailingBanIsRetriedWithADoublingBackoffUpToFiveMinutes() {
        ConfiguredAction ipset = routing.of("sip-auth").get(0);
        TrackedBan entry = ledger.track(ban("192.0.2.10", "sip-auth", Duration.ofDays(7)));
        List<Duration> delays = new java.util.ArrayList<>();
        for (int attempt = 0; attempt < 12; attempt++) {
            entry.failed(ipset, "ipset: exit 1");
            Instant now = clock.instant();
            assertThat(ledger.settle(List.of(entry), Set.of(entry), now)).isEmpty();
            Instant due = ledger.nextRetry().orElseThrow();
            delays.add(Duration.between(now, due));
            assertThat(ledger.takeDueBans(due.minusMillis(1))).as("not before it is due").isEmpty();
            clock.set(due);
            assertThat(ledger.takeDueBans(due)).containsExactly(entry);
        }
        assertThat(delays).startsWith(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4))
                .endsWith(Duration.ofMinutes(5), Duration.ofMinutes(5));

        entry.applied(ipset);
        assertThat(ledger.settle(List.of(entry), Set.of(entry), clock.instant())).as("complete: to mark applied")
                .containsExactly(entry);
        assertThat(ledger.nextRetry()).isEmpty();
    }

    @Test
    void aBanOverByTheTimeItsRetryIsDueIsNotRetried() {
        ConfiguredAction ipset = routing.of("sip-auth").get(0);
        TrackedBan entry = ledger.track(ban("192.0.2.10", "sip-auth", Duration.ofMillis(500)));
        entry.failed(ipset, "ipset: exit 1");
        ledger.settle(List.of(entry), Set.of(entry), clock.instant());

        assertThat(ledger.takeDueBans(clock.advance(Duration.ofSeconds(1)))).isEmpty();
    }

    @Test
    void anAddressHeldLongerByAnotherJailOfTheSameSetKeepsTheLongerTimeout() {
        ConfiguredAction ipset = routing.of("sip-auth").get(0);
        Ban shortBan = ban("192.0.2.10", "sip-auth", HOUR);
        Ban longBan = ban("192.0.2.10", "sip-scan", Duration.ofDays(1));
        ledger.track(shortBan);
        assertThat(ledger.longestHeld(ipset, shortBan)).isEqualTo(shortBan);
        ledger.track(longBan);

        assertThat(ledger.longestHeld(ipset, shortBan)).isEqualTo(longBan);
        ledger.untrack(BanKey.of(longBan));
        assertThat(ledger.longestHeldBy(ipset, "192.0.2.10")).isEqualTo(shortBan);
        ledger.untrack(BanKey.of(shortBan));
        assertThat(ledger.longestHeldBy(ipset, "192.0.2.10")).as("nobody holds it: a lift may remove it").isNull();
    }

    @Test
    void aFailedLiftIsRetriedUntilEveryActionDidIt() {
        ConfiguredAction ipset = routing.of("sip-scan").get(0);
        ConfiguredAction conntrack = routing.of("sip-scan").get(1);
        Ban lifted = ban("198.51.100.7", "sip-scan", Duration.ofDays(1));
        ledger.liftFailed(lifted, Set.of(ipset, conntrack), true, clock.instant());
        ledger.publish();
        assertThat(ledger.snapshot().pendingUnbans()).isEqualTo(1);

        List<PendingUnban> due = ledger.takeDueUnbans(clock.advance(Duration.ofSeconds(1)));
        assertThat(due).singleElement().satisfies(unban -> assertThat(unban.failed()).containsExactlyInAnyOrder(ipset, conntrack));
        assertThat(ledger.liftRetried(due.get(0), Set.of(conntrack), clock.instant())).isFalse();
        assertThat(due.get(0).failed()).containsExactly(conntrack);

        due = ledger.takeDueUnbans(clock.advance(Duration.ofSeconds(2)));
        assertThat(due).hasSize(1);
        assertThat(ledger.liftRetried(due.get(0), Set.of(), clock.instant())).isTrue();
        ledger.publish();
        assertThat(ledger.snapshot().pendingUnbans()).isZero();
    }

    @Test
    void banningAgainCancelsAPendingLift() {
        Ban first = ban("198.51.100.7", "sip-auth", HOUR);
        ledger.liftFailed(first, Set.of(routing.of("sip-auth").get(0)), false, clock.instant());
        ledger.track(ban("198.51.100.7", "sip-auth", HOUR));

        assertThat(ledger.takeDueUnbans(clock.advance(Duration.ofMinutes(10)))).isEmpty();
    }

    @Test
    void countersAreInTheSnapshot() {
        ledger.countBans(3, 1);
        ledger.countLifts(2, 0);
        ledger.countRetried(1);
        ledger.countReconciled(4);
        ledger.countStoreFailure();
        ledger.publish();

        assertThat(ledger.snapshot().counters()).isEqualTo(new EnforcerCounters(3, 1, 1, 4, 2, 0, 1));
    }

    /**
     * The status a publish keeps up to date ban by ban equals the one built whole from every ban in force, sorted by
     * start, address and jail (as each publish built it before): after every publish of a long random run of bans,
     * bans again of the same address and jail (earlier, later, at the same start), lifts, outcomes, retries and
     * snapshots taken in between.
     */
    @Test
    void thePublishedStatusEqualsOneBuiltWholeFromTheBansInForce() {
        for (long seed = 1; seed <= 20; seed++) {
            java.util.Random random = new java.util.Random(seed);
            BanLedger fresh = new BanLedger(routing, EnforcerOptions.DEFAULTS);
            Map<BanKey, TrackedBan> inForce = new LinkedHashMap<>();
            List<String> jails = List.of("sip-auth", "sip-scan");
            Instant start = clock.instant();
            for (int step = 0; step < 400; step++) {
                String ip = "192.0.2." + random.nextInt(12);
                String jail = jails.get(random.nextInt(2));
                BanKey key = new BanKey(ip, jail);
                Instant now = start.plusSeconds(step);
                switch (random.nextInt(7)) {
                    case 0, 1 -> {
                        // A start among a few, so that bans share starts and replace each other in place too.
                        Instant begins = start.plusSeconds(random.nextInt(4) * 60L);
                        Ban ban = new Ban(ip, jail, begins, begins.plus(Duration.ofDays(2)), 3, 1);
                        inForce.put(key, fresh.track(ban));
                    }
                    case 2 -> {
                        fresh.untrack(key);
                        inForce.remove(key);
                    }
                    case 3 -> {
                        TrackedBan entry = inForce.get(key);
                        if (entry != null) {
                            ConfiguredAction action = routing.of(jail).get(random.nextInt(routing.of(jail).size()));
                            if (random.nextBoolean()) {
                                entry.applied(action);
                            } else {
                                entry.failed(action, "exit " + step);
                            }
                            fresh.settle(List.of(entry), Set.of(entry), now);
                        }
                    }
                    case 4 -> fresh.takeDueBans(now.plusSeconds(random.nextInt(600)));
                    case 5 -> fresh.snapshot();
                    default -> {
                        fresh.publish();
                        List<BanStatus> whole = inForce.values().stream()
                                .sorted(java.util.Comparator.comparing((TrackedBan t) -> t.ban().start())
                                        .thenComparing(t -> t.ban().ip()).thenComparing(t -> t.ban().jail()))
                                .map(t -> t.status(fresh.retryDue(t.key()))).toList();
                        assertThat(fresh.snapshot().bans()).as("seed %d, step %d", seed, step).isEqualTo(whole);
                    }
                }
            }
        }
    }
}
