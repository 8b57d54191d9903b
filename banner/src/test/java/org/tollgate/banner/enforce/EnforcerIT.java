package org.tollgate.banner.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.banner.action.CommandRunner;
import org.tollgate.banner.action.FirewallActions;
import org.tollgate.banner.jail.ActionSettings;
import org.tollgate.banner.jail.Ban;
import org.tollgate.banner.jail.HostAddresses;
import org.tollgate.banner.jail.InMemoryBanHistory;
import org.tollgate.banner.jail.JailSettings;
import org.tollgate.banner.jail.Jails;
import org.tollgate.banner.store.BanStore;
import org.tollgate.testkit.NetworkNamespace;

/**
 * The enforcer with the real ipset and nftables actions, inside a network namespace each test creates and deletes.
 * Every firewall command, the test's own checks included, runs under {@code ip netns exec <namespace>}.
 */
class EnforcerIT {

    private static final ActionSettings IPSET = new ActionSettings("ipset", Map.of("set", "tollgate-it"), 0);
    private static final ActionSettings NFTABLES = new ActionSettings("nftables", Map.of("table", "tollgate_it"), 0);
    private static final int MANY = 10_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final InstantSource clock = InstantSource.system();
    /** The recorders of the running enforcer's actions, in creation order. */
    private final List<RecordingAction> recorders = new ArrayList<>();
    private NetworkNamespace namespace;
    private BanStore store;
    private Jails jails;
    private Enforcer enforcer;

    @BeforeEach
    void createNamespace() {
        namespace = NetworkNamespace.create("ipset", "iptables", "ip6tables", "nft");
    }

    @AfterEach
    void removeNamespace() {
        try {
            stop();
        } finally {
            if (namespace != null) {
                namespace.close();
            }
        }
    }

    private static JailSettings sipAuth(ActionSettings action) {
        return JailSettings.builder("sip-auth").bantime(Duration.ofHours(1)).ignoreself(false)
                .actions(List.of(action)).build();
    }

    /** One Tollgate process on {@code stateFile}: real actions in the namespace, each wrapped in a recorder. */
    private Enforcer boot(JailSettings settings, String stateFile) {
        store = BanStore.open(dir.resolve(stateFile), clock);
        jails = new Jails(List.of(settings), clock, new SplittableRandom(), new InMemoryBanHistory(),
                HostAddresses.none());
        recorders.clear();
        enforcer = new Enforcer(jails, store, clock, entry -> {
            RecordingAction recorder = new RecordingAction(FirewallActions.create(entry,
                    new CommandRunner(namespace.exec(), TIMEOUT), clock));
            recorders.add(recorder);
            return recorder;
        });
        return enforcer;
    }

    private Enforcer boot(JailSettings settings) {
        return boot(settings, "state.db");
    }

    /** Stops the process: the actions are closed, not torn down, and the bans stay in the kernel. */
    private void stop() {
        if (enforcer != null) {
            enforcer.close();
            enforcer = null;
        }
        if (store != null) {
            store.close();
            store = null;
        }
    }

    private boolean inIpset(String set, String ip) {
        return namespace.run("ipset", "test", set, ip).ok();
    }

    private boolean inNftSet(String set, String ip) {
        return namespace.run("nft", "get", "element", "inet", "tollgate_it", set, "{ " + ip + " }").ok();
    }

    @Test
    void anIpsetBanStaysInForceAcrossARestartWithNoUnbanOrBan() {
        boot(sipAuth(IPSET)).start();
        enforcer.ban("192.0.2.10", "sip-auth");
        assertThat(inIpset("tollgate-it", "192.0.2.10")).isTrue();
        stop();

        RestoreReport report = boot(sipAuth(IPSET)).start();

        assertThat(report).isEqualTo(new RestoreReport(1, 0, 0, 0, 0, 0));
        assertThat(inIpset("tollgate-it", "192.0.2.10")).as("still in force").isTrue();
        assertThat(recorders).singleElement().satisfies(calls -> {
            assertThat(calls.calls()).extracting(RecordingAction.Call::method).containsExactly("setUp", "missing");
            assertThat(calls.calls("missing")).containsExactly(List.of("192.0.2.10"));
        });
        assertThat(enforcer.status().bans()).singleElement().satisfies(status -> assertThat(status.applied()).isTrue());
    }

    @Test
    void anIpsetRestartPutsBackOnlyWhatWasLostMeanwhile() {
        boot(sipAuth(IPSET)).start();
        enforcer.ban("192.0.2.10", "sip-auth");
        enforcer.ban("2001:db8::10", "sip-auth");
        stop();
        namespace.inside("ipset", "del", "tollgate-it-v6", "2001:db8::10");

        RestoreReport report = boot(sipAuth(IPSET)).start();

        assertThat(report.reapplied()).isEqualTo(1);
        assertThat(recorders.get(0).calls("ban")).containsExactly(List.of("2001:db8::10"));
        assertThat(recorders.get(0).calls("unban")).isEmpty();
        assertThat(inIpset("tollgate-it", "192.0.2.10")).isTrue();
        assertThat(inIpset("tollgate-it-v6", "2001:db8::10")).isTrue();
    }

    @Test
    void reconcileRestoresTheIptablesRuleAfterAFlush() {
        boot(sipAuth(IPSET)).start();
        enforcer.ban("203.0.113.10", "sip-auth");
        namespace.inside("iptables", "-w", "-F", "INPUT");

        ReconcileReport report = enforcer.reconcile();

        assertThat(report.reapplied()).as("a set no rule matches enforces nothing").isEqualTo(1);
        assertThat(namespace.inside("iptables", "-w", "-S", "INPUT"))
                .contains("-A INPUT -m set --match-set tollgate-it src -j DROP");
    }

    @Test
    void reconcileBringsNftablesBansBackAfterAFlushRuleset() {
        boot(sipAuth(NFTABLES)).start();
        enforcer.ban("192.0.2.10", "sip-auth");
        enforcer.ban("2001:db8::10", "sip-auth");
        assertThat(inNftSet("v4", "192.0.2.10")).isTrue();

        namespace.inside("nft", "flush", "ruleset");
        assertThat(inNftSet("v4", "192.0.2.10")).isFalse();
        recorders.get(0).clear();

        ReconcileReport report = enforcer.reconcile();

        assertThat(report).isEqualTo(new ReconcileReport(2, 2, 0, 0));
        assertThat(recorders.get(0).calls("ban")).singleElement()
                .satisfies(ips -> assertThat(ips).containsExactlyInAnyOrder("192.0.2.10", "2001:db8::10"));
        assertThat(recorders.get(0).calls("unban")).isEmpty();
        assertThat(inNftSet("v4", "192.0.2.10")).isTrue();
        assertThat(inNftSet("v6", "2001:db8::10")).isTrue();
        assertThat(namespace.inside("nft", "list", "chain", "inet", "tollgate_it", "input"))
                .contains("ip saddr @v4 drop");
        assertThat(enforcer.reconcile().reapplied()).as("nothing missing any more").isZero();
    }

    /**
     * Not a timed assertion: prints how long 10,000 bans take to apply and to restore after a restart, with each
     * action, for the record (targets: apply 1 s, restore 2 s).
     */
    @Test
    void measureTenThousandBans() {
        for (ActionSettings action : List.of(IPSET, NFTABLES)) {
            measure(action);
        }
    }

    private void measure(ActionSettings action) {
        JailSettings settings = sipAuth(action);
        String stateFile = action.type() + ".db";
        List<Ban> bans = documentationAddresses(MANY, clock.instant());

        boot(settings, stateFile).start();
        long started = System.nanoTime();
        enforcer.applyBans(bans);
        long applyMs = elapsedMs(started);
        assertThat(enforcer.counters().applied()).isEqualTo(MANY);
        stop();

        boot(settings, stateFile);
        started = System.nanoTime();
        RestoreReport kept = enforcer.start();
        long keptMs = elapsedMs(started);
        assertThat(kept.restored()).isEqualTo(MANY);
        assertThat(kept.reapplied()).isZero();
        assertThat(recorders.get(0).calls("ban")).isEmpty();
        stop();

        // A reboot: the kernel lost everything, the state file did not.
        if (action == IPSET) {
            namespace.inside("ipset", "flush", "tollgate-it");
            namespace.inside("ipset", "flush", "tollgate-it-v6");
        } else {
            namespace.inside("nft", "flush", "ruleset");
        }
        boot(settings, stateFile);
        started = System.nanoTime();
        RestoreReport lost = enforcer.start();
        long lostMs = elapsedMs(started);
        assertThat(lost.reapplied()).isEqualTo(MANY);
        assertThat(recorders.get(0).calls("ban")).hasSize(1);

        started = System.nanoTime();
        ReconcileReport nothingMissing = enforcer.reconcile();
        long reconcileMs = elapsedMs(started);
        assertThat(nothingMissing.checked()).isEqualTo(MANY);
        assertThat(nothingMissing.reapplied()).isZero();
        stop();

        System.out.printf("enforcer %-9s %,d bans: apply %,d ms; restart with all in force %,d ms; "
                        + "restart after the firewall lost them %,d ms; reconcile with nothing missing %,d ms%n",
                action.type(), MANY, applyMs, keptMs, lostMs, reconcileMs);
    }

    /** {@code count} one-hour bans of documentation addresses: all of TEST-NET-1/2/3, then 2001:db8::/32. */
    private static List<Ban> documentationAddresses(int count, Instant start) {
        List<Ban> bans = new ArrayList<>(count);
        for (String net : List.of("192.0.2.", "198.51.100.", "203.0.113.")) {
            for (int host = 1; host <= 254 && bans.size() < count; host++) {
                bans.add(Ban.lasting(net + host, "sip-auth", start, Duration.ofHours(1), 0, 1));
            }
        }
        for (int i = 1; bans.size() < count; i++) {
            bans.add(Ban.lasting("2001:db8:0:1::" + Integer.toHexString(i), "sip-auth", start, Duration.ofHours(1),
                    0, 1));
        }
        return bans;
    }

    private static long elapsedMs(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
