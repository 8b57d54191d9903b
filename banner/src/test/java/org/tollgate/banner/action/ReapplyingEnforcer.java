package org.tollgate.banner.action;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    /** How long one provocation of {@link Subscription} is given to show in the monitor's output. */
    private static final Duration PROVOKED = Duration.ofSeconds(2);

    /** A reconcile that a report set off. */
    record Reconciled(String reason, ReconcileReport report, long startedNanos, long finishedNanos) {
    }

    /**
     * How a test sees that a started monitor has subscribed (dbus-monitor's match rules, nft's netlink group): some
     * time after its process started, longer on a busy machine. Until then a loss goes unseen.
     */
    interface Subscription {

        /** A harmless change the monitor writes a line about (try {@code n}), or nothing for one that says so itself. */
        void provoke(int n);

        /** True for the line that shows the monitor subscribed, after try {@code n}. */
        boolean shows(String line, int n);
    }

    /** Every line the monitors wrote, in order. */
    private final List<String> monitored = new CopyOnWriteArrayList<>();

    private final Enforcer enforcer;
    final List<Reconciled> reconciled = new CopyOnWriteArrayList<>();
    private final BanStore store;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService worker = Executors.newSingleThreadExecutor();
    private final ReconcileSchedule schedule;
    private final FirewallWatch watch;

    /**
     * Starts the enforcer of jail {@code sip-auth} with {@code actions}, and waits until its monitor has subscribed, as
     * {@code subscription} shows.
     */
    ReapplyingEnforcer(CommandRunner runner, List<ActionSettings> actions, Subscription subscription) {
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
        List<FirewallMonitor> monitors = enforcer.monitors().stream().map(this::recorded).toList();
        watch = new FirewallWatch(monitors, reason -> loop.execute(() -> schedule.lost(reason)));
        watch.start();
        try {
            awaitSubscribed(subscription);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** {@code monitor} with every line it reads kept in {@link #monitored} too. */
    private FirewallMonitor recorded(FirewallMonitor monitor) {
        return new FirewallMonitor(monitor.runner(), monitor.command(), () -> {
            FirewallMonitor.Parser parser = monitor.parsers().get();
            return line -> {
                monitored.add(line);
                return parser.read(line);
            };
        });
    }

    private void awaitSubscribed(Subscription subscription) {
        Waits.until("a firewall monitor running", () -> watch.running() > 0);
        long deadline = System.nanoTime() + Waits.PATIENCE.toNanos();
        for (int n = 1; System.nanoTime() < deadline; n++) {
            subscription.provoke(n);
            int tried = n;
            long provoked = System.nanoTime() + PROVOKED.toNanos();
            while (System.nanoTime() < provoked) {
                if (monitored.stream().anyMatch(line -> subscription.shows(line, tried))) {
                    return;
                }
                Waits.sleep(Duration.ofMillis(10));
            }
        }
        fail("the firewall monitor did not subscribe within " + Waits.PATIENCE_SECONDS + " s; it wrote: " + monitored);
    }

    private void finished() {
        schedule.finished();
    }

    /**
     * The first reconcile a report set off after {@code sinceNanos}, waiting up to {@link Waits#PATIENCE} for it: far
     * shorter than {@link #INTERVAL}, so only a monitor can have set it off.
     */
    Reconciled awaitReconcile(long sinceNanos) {
        Duration within = Waits.PATIENCE;
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

    /** Bans {@code ip} in jail {@code sip-auth} on the enforcer's one worker, as the banner does, and waits for it. */
    void ban(String ip) {
        try {
            worker.submit(() -> enforcer.ban(ip, "sip-auth")).get(Waits.PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("ban of " + ip + " did not finish", e);
        }
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
