package org.tollgate.banner.enforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.banner.jail.ActionSettings;
import org.tollgate.banner.jail.Ban;
import org.tollgate.banner.jail.BanTimeIncrement;
import org.tollgate.banner.jail.Failure;
import org.tollgate.banner.jail.HostAddresses;
import org.tollgate.banner.jail.InMemoryBanHistory;
import org.tollgate.banner.jail.JailSettings;
import org.tollgate.banner.jail.Jails;
import org.tollgate.banner.store.BanStore;
import org.tollgate.testkit.FakeClock;
import org.tollgate.testkit.Waits;

class EnforcerTest {

    private static final Duration HOUR = Duration.ofHours(1);

    private static final JailSettings SIP_AUTH = JailSettings.builder("sip-auth")
            .maxretry(3).findtime(Duration.ofMinutes(10)).bantime(HOUR).ignoreself(false)
            .actions(List.of(ipset("tollgate-sip"))).build();
    /** Shares the set of sip-auth, as in the shipped tollgate.yaml. */
    private static final JailSettings SIP_SCAN = JailSettings.builder("sip-scan")
            .maxretry(3).findtime(Duration.ofMinutes(10)).bantime(Duration.ofDays(1)).ignoreself(false)
            .actions(List.of(ipset("tollgate-sip"))).build();
    private static final JailSettings AMI = JailSettings.builder("ami")
            .maxretry(3).findtime(Duration.ofDays(1)).bantime(Duration.ofDays(365)).ignoreself(false)
            .actions(List.of(ipset("tollgate-ami"))).build();

    @TempDir
    Path dir;

    private final FakeClock clock = new FakeClock("2026-03-02T09:00:00Z");
    /** By set name; they outlive the enforcers, as the kernel outlives a restart. */
    private final Map<String, InMemoryFirewall> firewalls = new HashMap<>();
    /** By set name, the recorder of the latest enforcer. */
    private final Map<String, RecordingAction> recorders = new HashMap<>();

    private BanStore store;
    private Jails jails;
    private Enforcer enforcer;

    private static ActionSettings ipset(String set) {
        return new ActionSettings("ipset", Map.of("set", set), 0);
    }

    private InMemoryFirewall firewall(String set) {
        return firewalls.computeIfAbsent(set, s -> new InMemoryFirewall("ipset:" + s));
    }

    private RecordingAction recorder(String set) {
        return recorders.get(set);
    }

    /** A Tollgate process: a store on the state file, fresh jails, an enforcer; not started. */
    private Enforcer boot(EnforcerOptions options, JailSettings... settings) {
        store = BanStore.open(dir.resolve("state.db"), clock);
        jails = new Jails(List.of(settings), clock, new SplittableRandom(1), new InMemoryBanHistory(),
                HostAddresses.none());
        enforcer = new Enforcer(jails, store, clock, entry -> {
            RecordingAction recorder = new RecordingAction(firewall(entry.params().get("set")));
            recorders.put(entry.params().get("set"), recorder);
            return recorder;
        }, options);
        return enforcer;
    }

    private Enforcer start(JailSettings... settings) {
        boot(EnforcerOptions.DEFAULTS, settings).start();
        return enforcer;
    }

    /** Stops the process (bans stay in the firewall and the store) and builds the next one, not started. */
    private Enforcer restart(JailSettings... settings) {
        enforcer.close();
        store.close();
        return boot(EnforcerOptions.DEFAULTS, settings);
    }

    @AfterEach
    void stop() {
        if (enforcer != null) {
            enforcer.close();
        }
        if (store != null) {
            store.close();
        }
    }

    private List<Ban> failures(String ip, int times) {
        List<Ban> bans = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            bans.addAll(enforcer.onFailure(new Failure(clock.instant(), ip, "registration-failed", true, "1001")));
        }
        return bans;
    }

    private Ban lasting(String ip, String jail, Duration bantime) {
        return Ban.lasting(ip, jail, clock.instant(), bantime, 0, 1);
    }

    private BanStatus status(String ip, String jail) {
        return enforcer.status().bans().stream().filter(s -> s.ip().equals(ip) && s.jail().equals(jail))
                .findFirst().orElseThrow(() -> new AssertionError("no status of " + ip + " in " + jail));
    }

    @Test
    void theWarmUpOnlyAsksTheActionsAboutDocumentationAddressesAndChangesNothing() {
        start(SIP_AUTH, AMI);
        recorder("tollgate-sip").clear();
        recorder("tollgate-ami").clear();

        assertThat(enforcer.warmUp()).as("bans of the dry run, in its throwaway jails: each address of each round")
                .isGreaterThanOrEqualTo(2 * WarmUp.ROUNDS);

        for (String set : List.of("tollgate-sip", "tollgate-ami")) {
            assertThat(recorder(set).calls()).extracting(RecordingAction.Call::method).containsExactly("warmUp");
            assertThat(recorder(set).addresses("warmUp")).containsExactlyElementsOf(WarmUp.PROBES);
            assertThat(firewall(set).addresses()).isEmpty();
        }
        assertThat(jails.active()).isEmpty();
        assertThat(store.active(clock.instant())).isEmpty();
        assertThat(enforcer.counters()).isEqualTo(new EnforcerCounters(0, 0, 0, 0, 0, 0, 0));
        assertThat(failures("192.0.2.10", 2)).as("the warm-up's failures were not counted by the real jails").isEmpty();
    }

    @Test
    void aBanIsSavedAppliedAndMarkedApplied() {
        start(SIP_AUTH);

        List<Ban> bans = failures("192.0.2.10", 3);

        assertThat(bans).extracting(Ban::ip).containsExactly("192.0.2.10");
        assertThat(firewall("tollgate-sip").addresses()).containsExactly("192.0.2.10");
        assertThat(recorder("tollgate-sip").calls("ban")).containsExactly(List.of("192.0.2.10"));
        BanStatus status = status("192.0.2.10", "sip-auth");
        assertThat(status.applied()).isTrue();
        assertThat(status.actions()).containsExactly(
                new ActionStatus("ipset:tollgate-sip", ActionState.APPLIED, null));
        assertThat(status.end()).isEqualTo(clock.instant().plus(HOUR));
        assertThat(store.active(clock.instant())).containsExactlyElementsOf(bans);
        assertThat(store.unapplied()).isEmpty();
        assertThat(enforcer.counters()).isEqualTo(new EnforcerCounters(1, 0, 0, 0, 0, 0, 0));
    }

    /**
     * Between bans the store's late writer sleeps on its own timer (no ban wakes it), and still writes the row of a ban
     * whose firewall call hangs.
     */
    @Test
    void aBanIsStoredWhileItsFirewallCallIsStillRunning() throws Exception {
        start(SIP_AUTH);
        failures("192.0.2.9", 3);
        Waits.until("the late writer asleep on its timer after a ban", EnforcerTest::lateWritersAsleep);
        InMemoryFirewall sip = firewall("tollgate-sip");
        AtomicReference<Thread> caller = new AtomicReference<>();
        CompletableFuture<List<Ban>> inside;
        // Holding the firewall's monitor keeps the enforcer inside its firewall call.
        synchronized (sip) {
            inside = CompletableFuture.supplyAsync(() -> {
                caller.set(Thread.currentThread());
                return failures("192.0.2.10", 3);
            });
            Waits.until("the enforcer waiting in its firewall call",
                    () -> caller.get() != null && caller.get().getState() == Thread.State.BLOCKED);
            Waits.until("the ban's write beside its firewall call",
                    () -> store.active(clock.instant()).stream().anyMatch(ban -> ban.ip().equals("192.0.2.10")));
            assertThat(sip.addresses()).containsExactly("192.0.2.9");
            assertThat(store.unapplied()).extracting(Ban::ip).containsExactly("192.0.2.10");
        }

        assertThat(inside.get(Waits.PATIENCE.toSeconds(), TimeUnit.SECONDS)).extracting(Ban::ip)
                .containsExactly("192.0.2.10");
        assertThat(sip.addresses()).containsExactlyInAnyOrder("192.0.2.9", "192.0.2.10");
        assertThat(store.unapplied()).isEmpty();
        Waits.until("the late writer asleep on its timer again", EnforcerTest::lateWritersAsleep);
    }

    /** True when every ban store's late writer sleeps on its timer. */
    private static boolean lateWritersAsleep() {
        List<Thread> writers = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("tollgate-ban-store")).toList();
        return !writers.isEmpty() && writers.stream().allMatch(thread -> thread.getState() == Thread.State.TIMED_WAITING);
    }

    @Test
    void theBansOfABurstGoToTheFirewallInOneCall() {
        start(SIP_AUTH);
        List<Failure> burst = new ArrayList<>();
        for (String ip : List.of("192.0.2.10", "192.0.2.11", "2001:db8::12")) {
            for (int i = 0; i < 3; i++) {
                burst.add(new Failure(clock.instant(), ip, "registration-failed", true, "1001"));
            }
        }

        List<Ban> bans = enforcer.onFailures(burst);

        assertThat(bans).extracting(Ban::ip).containsExactly("192.0.2.10", "192.0.2.11", "2001:db8::12");
        assertThat(recorder("tollgate-sip").calls("ban"))
                .containsExactly(List.of("192.0.2.10", "192.0.2.11", "2001:db8::12"));
        assertThat(store.unapplied()).isEmpty();
    }

    @Test
    void aFailedBanIsRetriedWithBackoffUntilApplied() {
        start(SIP_AUTH);
        firewall("tollgate-sip").failBans(3, false);

        Instant banned = clock.instant();
        failures("192.0.2.10", 3);

        BanStatus first = status("192.0.2.10", "sip-auth");
        assertThat(first.actions()).singleElement().satisfies(action -> {
            assertThat(action.state()).isEqualTo(ActionState.FAILED);
            assertThat(action.lastError()).contains("Out of memory");
        });
        assertThat(first.nextRetry()).isEqualTo(banned.plusSeconds(1));
        assertThat(enforcer.nextRetry()).contains(banned.plusSeconds(1));
        assertThat(store.unapplied()).extracting(Ban::ip).containsExactly("192.0.2.10");

        assertThat(enforcer.retryDue(clock.advance(Duration.ofMillis(999)))).as("not due yet").isZero();
        assertThat(enforcer.retryDue(clock.advance(Duration.ofMillis(1)))).isEqualTo(1);
        assertThat(status("192.0.2.10", "sip-auth").nextRetry()).isEqualTo(clock.instant().plusSeconds(2));
        assertThat(enforcer.retryDue(clock.advance(Duration.ofSeconds(2)))).isEqualTo(1);
        assertThat(status("192.0.2.10", "sip-auth").nextRetry()).isEqualTo(clock.instant().plusSeconds(4));
        assertThat(enforcer.retryDue(clock.advance(Duration.ofSeconds(3)))).isZero();
        assertThat(firewall("tollgate-sip").addresses()).isEmpty();

        assertThat(enforcer.retryDue(clock.advance(Duration.ofSeconds(1)))).isEqualTo(1);

        BanStatus applied = status("192.0.2.10", "sip-auth");
        assertThat(applied.applied()).isTrue();
        assertThat(applied.retries()).isEqualTo(3);
        assertThat(applied.nextRetry()).isNull();
        assertThat(applied.actions().get(0).lastError()).as("last error kept").contains("Out of memory");
        assertThat(firewall("tollgate-sip").addresses()).containsExactly("192.0.2.10");
        assertThat(recorder("tollgate-sip").calls("ban")).hasSize(4);
        assertThat(store.unapplied()).isEmpty();
        assertThat(enforcer.nextRetry()).isEmpty();
        assertThat(enforcer.counters()).isEqualTo(new EnforcerCounters(1, 3, 3, 0, 0, 0, 0));
    }

    @Test
    void anActionThatThrowsIsCountedAndRetriedNeverThrown() {
        start(SIP_AUTH);
        firewall("tollgate-sip").failBans(1, true);

        assertThat(failures("192.0.2.10", 3)).hasSize(1);

        assertThat(status("192.0.2.10", "sip-auth").actions().get(0).lastError()).contains("no answer within 30s");
        enforcer.retryDue(clock.advance(Duration.ofSeconds(1)));
        assertThat(status("192.0.2.10", "sip-auth").applied()).isTrue();
        assertThat(firewall("tollgate-sip").addresses()).containsExactly("192.0.2.10");
    }

    @Test
    void retriesStopOnceTheBanIsOver() {
        start(SIP_AUTH);
        firewall("tollgate-sip").failBans(1000, false);
        failures("192.0.2.10", 3);

        for (int i = 0; i < 40; i++) {
            enforcer.retryDue(clock.advance(Duration.ofMinutes(5)));
        }

        assertThat(recorder("tollgate-sip").calls("ban")).as("1 + retries within the hour, 5 minutes apart at most")
                .hasSizeBetween(10, 20);
        assertThat(enforcer.expireDue(clock.instant())).hasSize(1);
        assertThat(enforcer.status().bans()).isEmpty();
        assertThat(enforcer.nextRetry()).isEmpty();
    }

    @Test
    void reconcilePutsBackOnlyTheLostEntries() {
        start(SIP_AUTH);
        enforcer.applyBans(List.of(lasting("192.0.2.10", "sip-auth", HOUR), lasting("192.0.2.11", "sip-auth", HOUR),
                lasting("2001:db8::7", "sip-auth", HOUR)));
        firewall("tollgate-sip").lose("192.0.2.11");
        recorder("tollgate-sip").clear();

        ReconcileReport report = enforcer.reconcile();

        assertThat(report).isEqualTo(new ReconcileReport(3, 1, 0, 0));
        assertThat(recorder("tollgate-sip").calls("ban")).containsExactly(List.of("192.0.2.11"));
        assertThat(recorder("tollgate-sip").calls("unban")).isEmpty();
        assertThat(firewall("tollgate-sip").addresses())
                .containsExactlyInAnyOrder("192.0.2.10", "192.0.2.11", "2001:db8::7");
        assertThat(enforcer.counters().reconciled()).isEqualTo(1);

        recorder("tollgate-sip").clear();
        assertThat(enforcer.reconcile()).as("nothing lost").isEqualTo(new ReconcileReport(3, 0, 0, 0));
        assertThat(recorder("tollgate-sip").calls("ban")).isEmpty();
    }

    @Test
    void reconcileAfterAFlushPutsEverythingBackInOneCall() {
        start(SIP_AUTH, AMI);
        enforcer.applyBans(List.of(lasting("192.0.2.10", "sip-auth", HOUR), lasting("192.0.2.11", "sip-auth", HOUR),
                lasting("203.0.113.9", "ami", HOUR)));
        firewall("tollgate-sip").loseAll();
        firewall("tollgate-ami").loseAll();
        recorder("tollgate-sip").clear();
        recorder("tollgate-ami").clear();

        assertThat(enforcer.reconcile().reapplied()).isEqualTo(3);

        assertThat(recorder("tollgate-sip").calls("ban")).singleElement()
                .satisfies(ips -> assertThat(ips).containsExactlyInAnyOrder("192.0.2.10", "192.0.2.11"));
        assertThat(recorder("tollgate-ami").calls("ban")).containsExactly(List.of("203.0.113.9"));
    }

    @Test
    void reconcileLeavesAnActionThatCannotListAlone() {
        start(SIP_AUTH);
        failures("192.0.2.10", 3);
        firewall("tollgate-sip").failMissing(1);
        recorder("tollgate-sip").clear();

        assertThat(enforcer.reconcile()).isEqualTo(new ReconcileReport(0, 0, 0, 1));

        assertThat(recorder("tollgate-sip").calls("ban")).isEmpty();
        assertThat(status("192.0.2.10", "sip-auth").applied()).isTrue();
    }

    @Test
    void aRestartRestoresBansWithoutLiftingOrReapplyingThoseStillInForce() {
        start(SIP_AUTH);
        enforcer.applyBans(List.of(
                lasting("192.0.2.10", "sip-auth", HOUR),
                lasting("192.0.2.11", "sip-auth", Duration.ofMinutes(10)),
                lasting("2001:db8::7", "sip-auth", HOUR),
                lasting("198.51.100.3", "sip-auth", JailSettings.PERMANENT)));
        // Down for half an hour; meanwhile a firewall reload lost one entry.
        restart(SIP_AUTH);
        firewall("tollgate-sip").lose("2001:db8::7");
        clock.advance(Duration.ofMinutes(30));

        RestoreReport report = enforcer.start();

        assertThat(report).isEqualTo(new RestoreReport(3, 1, 0, 1, 0, 0));
        RecordingAction calls = recorder("tollgate-sip");
        assertThat(calls.calls("ban")).as("only the lost entry is applied again").containsExactly(List.of("2001:db8::7"));
        assertThat(calls.calls("unban")).as("only the expired ban is lifted").containsExactly(List.of("192.0.2.11"));
        assertThat(calls.calls()).extracting(RecordingAction.Call::method)
                .containsExactly("setUp", "unban", "missing", "ban");
        assertThat(calls.addresses("missing")).containsExactlyInAnyOrder("192.0.2.10", "2001:db8::7", "198.51.100.3");
        assertThat(firewall("tollgate-sip").addresses())
                .containsExactlyInAnyOrder("192.0.2.10", "2001:db8::7", "198.51.100.3");
        assertThat(jails.active()).extracting(Ban::ip)
                .containsExactlyInAnyOrder("192.0.2.10", "2001:db8::7", "198.51.100.3");
        assertThat(store.active(clock.instant())).hasSize(3);
        assertThat(store.expiredBefore(clock.instant())).isEmpty();
        assertThat(store.unapplied()).isEmpty();
        assertThat(enforcer.status().bans()).allSatisfy(status -> assertThat(status.applied()).isTrue());
        assertThat(enforcer.counters().reconciled()).isEqualTo(1);

        // The restored bans still end on time.
        assertThat(enforcer.expireDue(clock.advance(Duration.ofMinutes(31)))).extracting(Ban::ip)
                .containsExactlyInAnyOrder("192.0.2.10", "2001:db8::7");
        assertThat(firewall("tollgate-sip").addresses()).containsExactly("198.51.100.3");
    }

    @Test
    void aRestartIsRestoringUntilTheStoredBansAreInForceEverywhere() {
        start(SIP_AUTH);
        enforcer.applyBans(List.of(lasting("192.0.2.10", "sip-auth", HOUR), lasting("192.0.2.11", "sip-auth", HOUR)));
        assertThat(enforcer.status().restoring()).as("bans of this run are not restored ones").isZero();
        // The kernel lost one while the service was down, and the first call to put it back fails.
        restart(SIP_AUTH);
        firewall("tollgate-sip").lose("192.0.2.11");
        firewall("tollgate-sip").failBans(1, false);

        enforcer.start();

        assertThat(enforcer.status().restoring()).as("restoring after a failed re-apply").isEqualTo(1);
        assertThat(status("192.0.2.11", "sip-auth").applied()).isFalse();
        enforcer.retryDue(clock.advance(Duration.ofSeconds(1)));
        assertThat(firewall("tollgate-sip").addresses()).containsExactlyInAnyOrder("192.0.2.10", "192.0.2.11");
        assertThat(enforcer.status().restoring()).as("restoring once in force").isZero();

        // A new ban failing later is the action's failure, not a restart still going on.
        firewall("tollgate-sip").failBans(1, false);
        failures("192.0.2.12", 3);
        assertThat(status("192.0.2.12", "sip-auth").applied()).isFalse();
        assertThat(enforcer.status().restoring()).isZero();
    }

    @Test
    void aRestartReadsTheHistoryBackSoIncrementsContinue() {
        JailSettings growing = JailSettings.builder("sip-auth").maxretry(1).bantime(Duration.ofMinutes(10))
                .ignoreself(false).increment(new BanTimeIncrement(true, 1.0, List.of(), null,
                        Duration.ZERO, false))
                .actions(List.of(ipset("tollgate-sip"))).build();
        start(growing);
        failures("192.0.2.10", 1);
        enforcer.expireDue(clock.advance(Duration.ofMinutes(11)));
        restart(growing).start();

        List<Ban> second = failures("192.0.2.10", 1);

        assertThat(second).singleElement().satisfies(ban -> {
            assertThat(ban.banCount()).isEqualTo(2);
            assertThat(Duration.between(ban.start(), ban.end())).isEqualTo(Duration.ofMinutes(20));
        });
    }

    @Test
    void aRestartDropsBansOfJailsNoLongerRunning() {
        start(SIP_AUTH, AMI);
        enforcer.applyBans(List.of(lasting("192.0.2.10", "sip-auth", HOUR), lasting("203.0.113.9", "ami", HOUR)));
        restart(SIP_AUTH);

        RestoreReport report = enforcer.start();

        assertThat(report.restored()).isEqualTo(1);
        assertThat(report.orphaned()).isEqualTo(1);
        assertThat(store.active(clock.instant())).extracting(Ban::ip).containsExactly("192.0.2.10");
        assertThat(firewall("tollgate-ami").addresses()).as("left to its kernel timeout").contains("203.0.113.9");
    }

    @Test
    void anExpiredBanWhoseLiftFailsStaysStoredAndIsRetried() {
        start(SIP_AUTH);
        enforcer.applyBans(List.of(lasting("192.0.2.11", "sip-auth", Duration.ofMinutes(10))));
        firewall("tollgate-sip").failUnbans(1);

        assertThat(enforcer.expireDue(clock.advance(Duration.ofMinutes(10)))).hasSize(1);

        assertThat(firewall("tollgate-sip").addresses()).containsExactly("192.0.2.11");
        assertThat(enforcer.status().pendingUnbans()).isEqualTo(1);
        assertThat(store.expiredBefore(clock.instant())).as("kept until lifted").hasSize(1);
        assertThat(enforcer.counters().unbanFailures()).isEqualTo(1);

        assertThat(enforcer.retryDue(clock.advance(Duration.ofSeconds(1)))).isEqualTo(1);

        assertThat(firewall("tollgate-sip").addresses()).isEmpty();
        assertThat(enforcer.status().pendingUnbans()).isZero();
        assertThat(store.expiredBefore(clock.instant())).isEmpty();
    }

    @Test
    void bansExpireFromJailsFirewallAndStoreInOneCall() {
        start(SIP_AUTH);
        enforcer.applyBans(List.of(lasting("192.0.2.10", "sip-auth", Duration.ofMinutes(10)),
                lasting("192.0.2.11", "sip-auth", Duration.ofMinutes(10)),
                lasting("192.0.2.12", "sip-auth", HOUR)));
        recorder("tollgate-sip").clear();

        assertThat(enforcer.expireDue(clock.advance(Duration.ofMinutes(9)))).isEmpty();
        List<Ban> over = enforcer.expireDue(clock.advance(Duration.ofMinutes(1)));

        assertThat(over).extracting(Ban::ip).containsExactlyInAnyOrder("192.0.2.10", "192.0.2.11");
        assertThat(recorder("tollgate-sip").calls("unban")).singleElement()
                .satisfies(ips -> assertThat(ips).containsExactlyInAnyOrder("192.0.2.10", "192.0.2.11"));
        assertThat(firewall("tollgate-sip").addresses()).containsExactly("192.0.2.12");
        assertThat(store.active(clock.instant())).extracting(Ban::ip).containsExactly("192.0.2.12");
        assertThat(store.expiredBefore(clock.instant())).isEmpty();
        assertThat(jails.active()).extracting(Ban::ip).containsExactly("192.0.2.12");
        assertThat(enforcer.counters().unbans()).isEqualTo(2);
    }

    @Test
    void manualBanAndUnban() {
        start(SIP_AUTH, AMI);

        Ban ban = enforcer.ban("198.51.100.7", "ami");
        enforcer.applyBans(List.of(lasting("198.51.100.7", "sip-auth", HOUR)));

        assertThat(ban.end()).isEqualTo(clock.instant().plus(Duration.ofDays(365)));
        assertThat(firewall("tollgate-ami").addresses()).containsExactly("198.51.100.7");
        assertThat(firewall("tollgate-sip").addresses()).containsExactly("198.51.100.7");
        assertThat(store.active(clock.instant())).hasSize(2);

        assertThat(enforcer.unban("198.51.100.7", "ami")).contains(ban);
        assertThat(firewall("tollgate-ami").addresses()).isEmpty();
        assertThat(firewall("tollgate-sip").addresses()).containsExactly("198.51.100.7");

        assertThat(enforcer.unban("198.51.100.7")).extracting(Ban::jail).containsExactly("sip-auth");
        assertThat(firewall("tollgate-sip").addresses()).isEmpty();
        assertThat(store.active(clock.instant())).isEmpty();
        assertThat(jails.active()).isEmpty();
        assertThat(enforcer.unban("198.51.100.7")).isEmpty();
    }

    @Test
    void manualMistakesAreRejectedBeforeAnythingIsApplied() {
        start(SIP_AUTH);

        assertThatThrownBy(() -> enforcer.applyBans(List.of(lasting("192.0.2.10", "sip-auth", HOUR),
                lasting("192.0.2.11", "no-such-jail", HOUR))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'no-such-jail'").hasMessageContaining("running: sip-auth");
        assertThatThrownBy(() -> enforcer.ban("not-an-ip", "sip-auth")).isInstanceOf(IllegalArgumentException.class);

        assertThat(recorder("tollgate-sip").calls("ban")).isEmpty();
        assertThat(jails.active()).isEmpty();
    }

    @Test
    void anAddressTwoJailsBanIntoOneSetStaysUntilNeitherBansIt() {
        start(SIP_AUTH, SIP_SCAN);
        enforcer.applyBans(List.of(lasting("192.0.2.10", "sip-scan", Duration.ofDays(1))));
        enforcer.applyBans(List.of(lasting("192.0.2.10", "sip-auth", HOUR)));

        assertThat(recorders).hasSize(1);
        assertThat(firewall("tollgate-sip").entry("192.0.2.10").jail())
                .as("sent with the longer ban's end, so the kernel timeout is not shortened").isEqualTo("sip-scan");
        recorder("tollgate-sip").clear();

        enforcer.expireDue(clock.advance(HOUR));

        assertThat(recorder("tollgate-sip").calls("unban")).isEmpty();
        assertThat(firewall("tollgate-sip").addresses()).containsExactly("192.0.2.10");

        enforcer.expireDue(clock.advance(Duration.ofDays(1)));

        assertThat(recorder("tollgate-sip").calls("unban")).containsExactly(List.of("192.0.2.10"));
        assertThat(firewall("tollgate-sip").addresses()).isEmpty();
    }

    @Test
    void liftingTheLongerOfTwoSharedBansShortensTheEntryToTheOther() {
        start(SIP_AUTH, SIP_SCAN);
        enforcer.applyBans(List.of(lasting("192.0.2.10", "sip-scan", Duration.ofDays(1)),
                lasting("192.0.2.10", "sip-auth", HOUR)));
        recorder("tollgate-sip").clear();

        enforcer.unban("192.0.2.10", "sip-scan");

        assertThat(recorder("tollgate-sip").calls("unban")).isEmpty();
        assertThat(recorder("tollgate-sip").calls("ban")).containsExactly(List.of("192.0.2.10"));
        assertThat(firewall("tollgate-sip").entry("192.0.2.10").jail()).isEqualTo("sip-auth");
    }

    @Test
    void newBansFromOneFailureGoOutInOneCallPerAction() {
        JailSettings recidive = JailSettings.builder("recidive", JailSettings.Source.BANS).maxretry(1)
                .ignoreself(false).actions(List.of(ipset("tollgate-recidive"))).build();
        start(SIP_AUTH, recidive);

        List<Ban> bans = failures("203.0.113.50", 3);

        assertThat(bans).extracting(Ban::jail).containsExactly("sip-auth", "recidive");
        assertThat(recorder("tollgate-sip").calls("ban")).containsExactly(List.of("203.0.113.50"));
        assertThat(recorder("tollgate-recidive").calls("ban")).containsExactly(List.of("203.0.113.50"));
        assertThat(enforcer.status().bans()).hasSize(2).allSatisfy(s -> assertThat(s.applied()).isTrue());
    }

    @Test
    void manyBansAreOneCallPerAction() {
        start(SIP_AUTH);
        List<Ban> bans = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            bans.add(lasting("2001:db8::" + Integer.toHexString(i), "sip-auth", HOUR));
        }

        enforcer.applyBans(bans);

        assertThat(recorder("tollgate-sip").calls("ban")).singleElement().satisfies(ips -> assertThat(ips).hasSize(200));
        assertThat(store.unapplied()).isEmpty();
    }

    @Test
    void aStoreFailureDoesNotStopTheFirewall() {
        start(SIP_AUTH);
        store.close();

        assertThat(failures("192.0.2.10", 3)).hasSize(1);

        assertThat(firewall("tollgate-sip").addresses()).containsExactly("192.0.2.10");
        assertThat(enforcer.counters().storeFailures()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aBanAgainCancelsAPendingLiftOfTheSameAddress() {
        start(SIP_AUTH);
        enforcer.applyBans(List.of(lasting("192.0.2.11", "sip-auth", Duration.ofMinutes(10))));
        firewall("tollgate-sip").failUnbans(1);
        enforcer.expireDue(clock.advance(Duration.ofMinutes(10)));
        assertThat(enforcer.status().pendingUnbans()).isEqualTo(1);

        enforcer.ban("192.0.2.11", "sip-auth");
        recorder("tollgate-sip").clear();
        enforcer.retryDue(clock.advance(Duration.ofMinutes(1)));

        assertThat(recorder("tollgate-sip").calls("unban")).isEmpty();
        assertThat(enforcer.status().pendingUnbans()).isZero();
        assertThat(firewall("tollgate-sip").addresses()).containsExactly("192.0.2.11");
        assertThat(store.active(clock.instant())).extracting(Ban::ip).containsExactly("192.0.2.11");
    }

    @Test
    void aRestartWhereTheFirewallCannotBeListedAppliesEverythingAgainButLiftsNothing() {
        start(SIP_AUTH);
        enforcer.applyBans(List.of(lasting("192.0.2.10", "sip-auth", HOUR), lasting("192.0.2.12", "sip-auth", HOUR)));
        restart(SIP_AUTH);
        firewall("tollgate-sip").failMissing(1);

        RestoreReport report = enforcer.start();

        assertThat(report.reapplied()).isEqualTo(2);
        assertThat(recorder("tollgate-sip").calls("unban")).isEmpty();
        assertThat(recorder("tollgate-sip").calls("ban")).singleElement()
                .satisfies(ips -> assertThat(ips).containsExactlyInAnyOrder("192.0.2.10", "192.0.2.12"));
    }

    @Test
    void aSecondCallerWhileACallIsInTheFirewallIsRefusedAndStatusStillAnswers() throws Exception {
        start(SIP_AUTH, AMI);
        InMemoryFirewall ami = firewall("tollgate-ami");
        AtomicReference<Thread> caller = new AtomicReference<>();
        CompletableFuture<Ban> inside;
        // Holding the firewall's monitor makes the enforcer's call wait inside its firewall call.
        synchronized (ami) {
            inside = CompletableFuture.supplyAsync(() -> {
                caller.set(Thread.currentThread());
                return enforcer.ban("2001:db8:1::1", "ami");
            });
            Waits.until("the first call waiting in the firewall",
                    () -> caller.get() != null && caller.get().getState() == Thread.State.BLOCKED);

            CompletableFuture<Ban> second = CompletableFuture.supplyAsync(() -> enforcer.ban("2001:db8:1::2", "ami"));
            assertThatThrownBy(() -> second.get(Waits.PATIENCE.toSeconds(), TimeUnit.SECONDS))
                    .hasCauseInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("one owner, one at a time");
            assertThat(enforcer.status()).isNotNull();
            assertThat(enforcer.counters()).isNotNull();
        }

        assertThat(inside.get(Waits.PATIENCE.toSeconds(), TimeUnit.SECONDS).ip()).isEqualTo("2001:db8:1::1");
        assertThat(ami.addresses()).containsExactly("2001:db8:1::1");
        enforcer.ban("2001:db8:1::2", "ami");
        assertThat(ami.addresses()).containsExactlyInAnyOrder("2001:db8:1::1", "2001:db8:1::2");
    }

    @Test
    void callsBeforeStartOrAfterCloseAreRefused() {
        boot(EnforcerOptions.DEFAULTS, SIP_AUTH);

        assertThatThrownBy(() -> enforcer.reconcile()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("start()");
        enforcer.start();
        assertThatThrownBy(() -> enforcer.start()).isInstanceOf(IllegalStateException.class);
        enforcer.close();
        assertThat(recorder("tollgate-sip").calls()).extracting(RecordingAction.Call::method)
                .as("closed, not torn down").containsExactly("setUp", "close");
        assertThatThrownBy(() -> enforcer.expireDue(clock.instant())).isInstanceOf(IllegalStateException.class);
    }
}
