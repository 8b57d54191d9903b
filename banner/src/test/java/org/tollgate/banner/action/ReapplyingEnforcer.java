package org.tollgate.banner.action;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.tollgate.banner.enforce.ActionFactory;
import org.tollgate.banner.enforce.Enforcer;
import org.tollgate.banner.enforce.FirewallWatch;
import org.tollgate.banner.enforce.ReconcileReport;
import org.tollgate.banner.enforce.ReconcileSchedule;
import org.tollgate.banner.jail.ActionSettings;
import org.tollgate.banner.jail.HostAddresses;
import org.tollgate.banner.jail.InMemoryBanHistory;
import org.tollgate.banner.jail.JailSettings;
import org.tollgate.banner.jail.Jails;
import org.tollgate.banner.store.BanStore;
import org.tollgate.testkit.Waits;

/**
 * A jail's enforcer run the way the banner runs it: its actions' monitors watched, a reconcile
 * {@link ReconcileSchedule#DEFAULT_QUIET} after each report of theirs, one reconcile at a time on a worker of its
 * own, and a periodic reconcile only every {@link #INTERVAL}, so that within a test only a monitor can bring lost
 * bans back.
 */
final class ReapplyingEnforcer implements AutoCloseable {

    static final Duration INTERVAL = Duration.ofMinutes(10);
    private static final Duration START_WAIT = Duration.ofSeconds(10);
    /** Time for a started monitor to subscribe (dbus-monitor's match rules, nft's netlink group). */
    private static final Duration SUBSCRIBE = Duration.ofMillis(500);

    /** A reconcile that a report set off. */
    record Reconciled(String reason, ReconcileReport report, long startedNanos, long finishedNanos) {
    }

    final Enforcer enforcer;
    final List<Reconciled> reconciled = new CopyOnWriteArrayList<>();
    private final BanStore store;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService worker = Executors.newSingleThreadExecutor();
    private final ReconcileSchedule schedule;
    private final FirewallWatch watch;

    /** Starts the enforcer of jail {@code sip-auth} with {@code actions}, and waits until its monitors run. */
    ReapplyingEnforcer(CommandRunner runner, List<ActionSettings> actions) {
        InstantSource clock = InstantSource.system();
        JailSettings jail = JailSettings.builder("sip-auth").bantime(Duration.ofHours(1)).ignoreself(false)
                .actions(actions).build();
        Jails jails = new Jails(List.of(jail), clock, new SplittableRandom(), new InMemoryBanHistory(),
                HostAddresses.none());
        store = BanStore.inMemory(clock);
        enforcer = new Enforcer(jails, store, clock, ActionFactory.firewall(runner, clock));
        enforcer.start();
        schedule = new ReconcileSchedule(ReconcileSchedule.DEFAULT_QUIET,
                (delay, task) -> loop.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS),
                reasons -> worker.execute(() -> {
                    try {
                        String reason = reasons.isEmpty() ? null : String.join(", ", reasons);
                        long started = System.nanoTime();
                        ReconcileReport report = enforcer.reconcile(reason);
                        reconciled.add(new Reconciled(reason, report, started, System.nanoTime()));
                    } finally {
                        loop.execute(this::finished);
                    }
                }));
        loop.scheduleAtFixedRate(() -> schedule.periodic(), INTERVAL.toMillis(), INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
        watch = new FirewallWatch(enforcer.monitors(), reason -> loop.execute(() -> schedule.lost(reason)));
        watch.start();
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (watch.running() == 0) {
            if (System.nanoTime() > deadline) {
                close();
                fail("no firewall monitor running after " + START_WAIT.toSeconds() + " s");
            }
            Waits.sleep(Duration.ofMillis(20));
        }
        Waits.sleep(SUBSCRIBE);
    }

    private void finished() {
        schedule.finished();
    }

    /** The first reconcile a report set off after {@code sinceNanos}, waiting up to {@code within} for it. */
    Reconciled awaitReconcile(long sinceNanos, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            for (Reconciled each : reconciled) {
                if (each.reason() != null && each.finishedNanos() > sinceNanos) {
                    return each;
                }
            }
            Waits.sleep(Duration.ofMillis(10));
        }
        return fail("no reconcile set off by a monitor within " + within.toSeconds() + " s; reconciles: " + reconciled);
    }

    @Override
    public void close() {
        watch.close();
        loop.shutdownNow();
        worker.shutdown();
        try {
            worker.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        enforcer.close();
        store.close();
    }
}
