package org.tollgate.server.ban;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.banner.BanPathEvent;
import org.tollgate.banner.ami.AmiClient;
import org.tollgate.banner.enforce.Enforcer;
import org.tollgate.banner.enforce.FirewallWatch;
import org.tollgate.banner.enforce.ReconcileSchedule;
import org.tollgate.banner.enforce.RestoreReport;
import org.tollgate.banner.fraud.FraudAlert;
import org.tollgate.banner.fraud.FraudAlertJson;
import org.tollgate.banner.fraud.FraudJails;
import org.tollgate.banner.jail.Ban;
import org.tollgate.banner.jail.BanEvidence;
import org.tollgate.banner.jail.Evidence;
import org.tollgate.banner.jail.Failure;
import org.tollgate.banner.jail.Jails;
import org.tollgate.banner.store.DailyMaintenance;
import org.tollgate.banner.jail.JailSettings;
import org.tollgate.normalizer.AsteriskEvent;
import org.tollgate.server.LogFields;
import org.tollgate.server.enrich.LocalObserver;
import org.tollgate.server.bus.Addresses;

/**
 * Feeds failures to the jails and publishes the bans: failure -> {@link Enforcer} (jail, store, firewall) -> ban on
 * {@link Addresses#BANS}. The only owner of the enforcer and the only publisher on {@link Addresses#BANS}: bans and
 * unbans by hand come as {@link BanCommand}s on {@link Addresses#BAN_COMMANDS}. Every call into the enforcer runs on
 * the enforcer's own thread ({@value #ENFORCER_THREAD}), in order, never on the event loop, so the enforcer has one
 * caller at a time. Failures come from the sources' threads straight to that thread ({@link #offer}: one hand-off
 * between threads, not two through the event loop), or on {@link Addresses#FAILURES}; timers
 * lift expired bans, retry failed ones, and reconcile the firewall with the active bans. The firewall actions'
 * monitors ({@link FirewallWatch}) report reloads and flushes, and a reconcile follows within
 * {@link ReconcileSchedule#DEFAULT_QUIET}; one reconcile runs at a time ({@link ReconcileSchedule}).
 */
public final class BannerVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(BannerVerticle.class);
    private static final Set<JailSettings.Scope> LOCAL = EnumSet.of(JailSettings.Scope.LOCAL);
    private static final Set<JailSettings.Scope> CLUSTER = EnumSet.of(JailSettings.Scope.CLUSTER);
    private static final long TICK_MILLIS = 1_000;
    /** Failures waiting for the jails at most; past it (a firewall call hanging during a flood) they are dropped and counted. */
    public static final int MAX_PENDING = 100_000;

    /** The name of the enforcer's thread. */
    static final String ENFORCER_THREAD = "tollgate-enforcer";

    private final Enforcer enforcer;
    /**
     * The one thread every call into the enforcer runs on, in order: its own, not one of the shared worker pool's, so
     * a ban never waits for another verticle's blocking work nor for a new pool thread, and it finds the code the
     * start's warm-up ran on it warm. A plain executor, so that a source's thread can hand it failures directly.
     */
    private volatile ExecutorService enforcerThread;
    /** The verticle's event loop: where the enforcer's results are published and the timers run. */
    private Context context;
    private final Duration reconcileInterval;
    private final Clock clock;
    /** Failures waiting for the jails, from any thread; {@link #pending} counts them with those being counted. */
    private final ConcurrentLinkedQueue<Queued> inbox = new ConcurrentLinkedQueue<>();
    /** True while a round of the inbox is queued or running on the enforcer's thread: one at a time. */
    private final AtomicBoolean draining = new AtomicBoolean();
    /**
     * A round of the inbox, made once: a method reference made on the first failure's way would spin its class there
     * (milliseconds, cold).
     */
    private final Runnable drainTask = this::drain;
    private final ClusterLink link;
    private final BanJson json;
    private MessageConsumer<Failure> sharedFailures;
    private final AtomicLong failuresHandled = new AtomicLong();
    private final AtomicLong failuresDropped = new AtomicLong();
    private final AtomicInteger pending = new AtomicInteger();
    private MessageConsumer<Failure> consumer;
    private MessageConsumer<BanCommand> commands;
    private MessageConsumer<AsteriskEvent> calls;
    private final FraudJails fraud;
    private final AmiClient ami;
    /** The manager stops of the fraud alerts; made at start (it needs the verticle's Vert.x). */
    private EndpointStops stops;
    private long tickTimer;
    private long reconcileTimer;
    private ReconcileSchedule reconciles;
    private FirewallWatch watch;
    private final DailyMaintenance maintenance;
    private final BanEvidence evidence;
    private long maintenanceTimer = -1;
    private long rowsTimer = -1;
    /** How often kept state writes are retried and the state database's table sizes counted for the metrics. */
    private static final long ROWS_MILLIS = 60_000;

    /** A failure waiting for the jails; {@code shared}: seen by another node, for the cluster-scope jails. */
    private record Queued(Failure failure, boolean shared) {
    }

    /** Without daily maintenance or fraud jails (tests). */
    public BannerVerticle(Enforcer enforcer, Duration reconcileInterval, Clock clock) {
        this(enforcer, reconcileInterval, clock, null, new FraudJails(List.of()), null);
    }

    /**
     * @param maintenance run once after start and then {@link DailyMaintenance#PERIOD daily}; null for none
     * @param fraud       the fraud jails the call events go to
     * @param ami         the manager fraud jails with stop_calls stop endpoints through, or null
     */
    public BannerVerticle(Enforcer enforcer, Duration reconcileInterval, Clock clock, DailyMaintenance maintenance,
                          FraudJails fraud, AmiClient ami) {
        this(enforcer, reconcileInterval, clock, maintenance, fraud, ami, new BanEvidence());
    }

    /** As above, with {@code evidence}: what led to each new ban, published with it ({@link Jails#evidence}). */
    public BannerVerticle(Enforcer enforcer, Duration reconcileInterval, Clock clock, DailyMaintenance maintenance,
                          FraudJails fraud, AmiClient ami, BanEvidence evidence) {
        this(enforcer, reconcileInterval, clock, maintenance, fraud, ami, evidence, ClusterLink.ALONE,
                LocalObserver.get().hostname());
    }

    /**
     * As above, in a cluster.
     *
     * @param link     the cluster this host is a node of, or {@link ClusterLink#ALONE}
     * @param hostname this host's name, the {@code observer.hostname} of the bans it publishes
     */
    public BannerVerticle(Enforcer enforcer, Duration reconcileInterval, Clock clock, DailyMaintenance maintenance,
                          FraudJails fraud, AmiClient ami, BanEvidence evidence, ClusterLink link, String hostname) {
        this.enforcer = enforcer;
        this.reconcileInterval = reconcileInterval;
        this.clock = clock;
        this.maintenance = maintenance;
        this.fraud = fraud;
        this.ami = ami;
        this.evidence = evidence;
        this.link = link;
        this.json = new BanJson(hostname, link.observerIp());
    }

    @Override
    public Future<?> start() {
        BanCommand.registerCodecs(vertx.eventBus());
        context = vertx.getOrCreateContext();
        stops = new EndpointStops(vertx, ami, clock);
        enforcerThread = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, ENFORCER_THREAD);
            thread.setDaemon(true);
            return thread;
        });
        return onEnforcer(() -> {
            RestoreReport restored = enforcer.start();
            enforcer.warmUp(); // the first ban after start as fast as later ones
            warmUpJson();
            int learned = fraud.restore();
            if (learned > 0) {
                LOG.atInfo().addKeyValue(LogFields.RESTORED, learned)
                        .log("fraud jails' history restored: classes and numbers each key called before");
            }
            return restored;
        }).compose(report -> {
            logRestore(report);
            commands = vertx.eventBus().localConsumer(Addresses.BAN_COMMANDS, this::command);
            consumer = vertx.eventBus().localConsumer(Addresses.FAILURES,
                    message -> offer(message.body(), false));
            sharedFailures = vertx.eventBus().localConsumer(Addresses.SHARED_FAILURES,
                    message -> offer(message.body(), true));
            calls = fraud.isEmpty() ? null
                    : vertx.eventBus().localConsumer(Addresses.CALLS, message -> call(message.body()));
            tickTimer = vertx.setPeriodic(TICK_MILLIS, id -> tick());
            reconciles = new ReconcileSchedule(ReconcileSchedule.DEFAULT_QUIET,
                    (delay, task) -> vertx.setTimer(delay.toMillis(), id -> task.run()), this::reconcile);
            reconcileTimer = vertx.setPeriodic(reconcileInterval.toMillis(), id -> reconciles.periodic());
            watch = new FirewallWatch(enforcer.monitors(),
                    reason -> context.runOnContext(nothing -> reconciles.lost(reason)));
            watch.start();
            if (maintenance != null) {
                maintain();
                maintenanceTimer = vertx.setPeriodic(DailyMaintenance.PERIOD.toMillis(), id -> maintain());
                // On the shared pool, beside the bans (the store is thread-safe): counting the rows of a large table
                // never holds a ban up.
                rowsTimer = vertx.setPeriodic(ROWS_MILLIS, id -> vertx.executeBlocking(maintenance::everyMinute));
            }
            return Future.all(consumer.completion(), commands.completion(), sharedFailures.completion(),
                    calls == null ? Future.succeededFuture() : calls.completion()).compose(registered -> warmUpBus())
                    .compose(bus -> warmUpRound());
        }).onFailure(e -> enforcerThread.shutdown());
    }

    /**
     * The JSON of a ban of a documentation address written and read back as its consumers read it (Vert.x's JSON
     * codec, Jackson's databind, cold they cost the first ban tens of milliseconds of CPU); published nowhere.
     */
    private void warmUpJson() {
        Instant now = clock.instant();
        Ban probe = new Ban("192.0.2.0", "warm-up", now, now.plus(Duration.ofMinutes(1)), 1, 1);
        new JsonObject(Buffer.buffer(json.observedBan(probe, Evidence.NONE))).encode();
        new JsonObject(Buffer.buffer(json.observedUnban(probe, now))).encode();
        // A record's hashCode and equals are linked where they first run, spinning a dozen method-handle classes: the
        // first ban's publication looks its evidence up by the ban. Nothing is kept for the probe; nothing is taken.
        evidence.take(probe);
        probe.equals(new Ban(probe.ip(), probe.jail(), probe.start(), probe.end(), probe.failures(), probe.banCount()));
    }

    /**
     * One local request and reply on a throwaway address, so that the first failure delivered after start is not
     * the event bus's first delivery; never fails the start.
     */
    private Future<Void> warmUpBus() {
        String address = "tollgate.warm-up." + deploymentID();
        MessageConsumer<Buffer> echo = vertx.eventBus().localConsumer(address, message -> message.reply(message.body()));
        MessageConsumer<Buffer> second = vertx.eventBus().localConsumer(address, message -> { });
        // Published as the bans are, to two consumers and to one (the bus walks its handlers with another iterator).
        return Future.all(echo.completion(), second.completion())
                .compose(ready -> {
                    vertx.eventBus().publish(address, Buffer.buffer("warm-up"));
                    return second.unregister();
                })
                .compose(one -> {
                    vertx.eventBus().publish(address, Buffer.buffer("warm-up"));
                    return vertx.eventBus().request(address, Buffer.buffer("warm-up"),
                            new DeliveryOptions().setLocalOnly(true));
                })
                .eventually(() -> Future.all(echo.unregister(), second.unregister()))
                .<Void>mapEmpty()
                .otherwiseEmpty();
    }

    /**
     * One round of the failure queue, the way a failure takes on the enforcer's thread, with whatever it holds
     * (nothing, unless a failure came meanwhile, which it then counts as any round would), so the first failure after
     * start finds that way's code loaded. Another round queued meanwhile finds the inbox empty.
     */
    private Future<Void> warmUpRound() {
        return onEnforcer(() -> {
            // The inbox's entry class, loaded here rather than on the first failure's way.
            new Queued(null, false).shared();
            publication(List.of());
            drain();
            return null;
        }).<Void>mapEmpty().otherwiseEmpty();
    }

    /**
     * Runs {@code task} on the enforcer's thread, after everything handed to it before; the result comes back on the
     * event loop.
     */
    private <T> Future<T> onEnforcer(Callable<T> task) {
        Promise<T> promise = Promise.promise();
        try {
            enforcerThread.execute(() -> {
                try {
                    T result = task.call();
                    context.runOnContext(v -> promise.complete(result));
                } catch (Throwable e) {
                    context.runOnContext(v -> promise.fail(e));
                }
            });
        } catch (RejectedExecutionException e) {
            promise.fail(new IllegalStateException("the banner is stopped"));
        }
        return promise.future();
    }

    @Override
    public Future<?> stop() {
        if (watch != null) {
            watch.close();
        }
        vertx.cancelTimer(tickTimer);
        vertx.cancelTimer(reconcileTimer);
        vertx.cancelTimer(maintenanceTimer);
        vertx.cancelTimer(rowsTimer);
        Future<Void> unregistered = Future.all(
                consumer == null ? Future.succeededFuture() : consumer.unregister(),
                commands == null ? Future.succeededFuture() : commands.unregister(),
                sharedFailures == null ? Future.succeededFuture() : sharedFailures.unregister(),
                calls == null ? Future.succeededFuture() : calls.unregister()).mapEmpty();
        // Ordered with the calls still queued: every failure already received is handled before the enforcer closes.
        return unregistered.compose(done -> onEnforcer(() -> {
            fraud.saveLearned();
            enforcer.close();
            return null;
        })).eventually(() -> {
            if (enforcerThread != null) {
                enforcerThread.shutdown();
            }
            return Future.succeededFuture();
        });
    }

    /** Failures handled so far (for draining and metrics). */
    public long failuresHandled() {
        return failuresHandled.get();
    }

    /** Failures dropped because {@link #MAX_PENDING} were already waiting. */
    public long failuresDropped() {
        return failuresDropped.get();
    }

    /** Failures waiting for the jails now. */
    public int pending() {
        return pending.get();
    }

    /**
     * Hands a failure with a source address to the jails, from any thread (a source's, as it reads the line): queued
     * for the enforcer's thread, which is woken at once when it is idle, with no hop through the event loop. One round
     * of the enforcer runs at a time and takes everything queued meanwhile, so the bans of a burst go to the firewall
     * together. Past {@link #MAX_PENDING} failures waiting (a firewall call hanging during a flood) the failure is
     * dropped and counted; once the banner is stopped, every failure is.
     */
    public void offer(Failure failure) {
        offer(failure, false);
    }

    private void offer(Failure failure, boolean shared) {
        if (pending.incrementAndGet() > MAX_PENDING) {
            pending.decrementAndGet();
            dropped(shared);
            return;
        }
        BanPathEvent.mark(BanPathEvent.QUEUED, failure.sourceIp());
        inbox.add(new Queued(failure, shared));
        if (draining.compareAndSet(false, true)) {
            try {
                ExecutorService thread = enforcerThread;
                if (thread == null) {
                    throw new RejectedExecutionException("not started");
                }
                thread.execute(drainTask);
            } catch (RejectedExecutionException e) {
                // Stopped (or not started): nothing counts it any more.
                Queued lost;
                while ((lost = inbox.poll()) != null) {
                    pending.decrementAndGet();
                    dropped(lost.shared());
                }
                draining.set(false);
            }
        }
    }

    private void dropped(boolean shared) {
        if (!shared) {
            failuresDropped.incrementAndGet();
            failuresHandled.incrementAndGet();
        }
    }

    /**
     * One round of the inbox on the enforcer's thread: everything queued, counted in one call; then, when more came
     * meanwhile, the next round goes behind whatever else was handed to the enforcer (a tick, a command), not ahead.
     */
    private void drain() {
        List<Queued> batch = new ArrayList<>();
        Queued next;
        while ((next = inbox.poll()) != null) {
            batch.add(next);
        }
        try {
            count(batch);
        } finally {
            draining.set(false);
            if (!inbox.isEmpty() && draining.compareAndSet(false, true)) {
                try {
                    enforcerThread.execute(drainTask);
                } catch (RejectedExecutionException e) {
                    draining.set(false);
                }
            }
        }
    }

    /**
     * Counts {@code batch} in the jails and enforces the bans (on the enforcer's thread); the bans are published on the
     * event loop. Where each failure is counted is decided here: a failure of an address another node owns was sent
     * there for the cluster-scope jails, and only the local ones count it here.
     */
    private void count(List<Queued> batch) {
        List<Failure> everywhere = new ArrayList<>(batch.size());
        List<Failure> localJails = new ArrayList<>();
        List<Failure> clusterJails = new ArrayList<>();
        int own = 0;
        for (Queued entry : batch) {
            if (BanPathEvent.recording()) {
                BanPathEvent.mark(BanPathEvent.COUNTING, entry.failure().sourceIp());
            }
            if (entry.shared()) {
                clusterJails.add(entry.failure());
                continue;
            }
            own++;
            (link.countsHere(entry.failure()) ? everywhere : localJails).add(entry.failure());
        }
        List<Ban> bans = new ArrayList<>();
        try {
            if (!everywhere.isEmpty()) {
                bans.addAll(enforcer.onFailures(everywhere));
            }
            if (!localJails.isEmpty()) {
                bans.addAll(enforcer.onFailures(localJails, LOCAL));
            }
            if (!clusterJails.isEmpty()) {
                bans.addAll(enforcer.onFailures(clusterJails, CLUSTER));
            }
        } catch (RuntimeException e) {
            LOG.atError().addKeyValue(LogFields.FAILURES, batch.size()).setCause(e)
                    .log("failures could not be counted");
        } finally {
            pending.addAndGet(-batch.size());
            failuresHandled.addAndGet(own);
        }
        if (!bans.isEmpty()) {
            context.runOnContext(publication(bans));
        }
    }

    /**
     * What publishes {@code bans} on the event loop. Made here, where the warm-up makes one too (of no bans, never run):
     * a lambda's class is spun where its expression first runs, on the first ban's thread otherwise.
     */
    private Handler<Void> publication(List<Ban> bans) {
        return v -> {
            publishBans(bans);
            link.banned(bans, false);
        };
    }

    /**
     * A ban or unban by hand: made on the enforcer's worker queue, in order with the jails' bans, published on
     * {@link Addresses#BANS} marked as made by hand, and answered with the bans made or lifted.
     */
    private void command(Message<BanCommand> message) {
        BanCommand command = message.body();
        onEnforcer(() -> run(command)).onComplete(result -> {
            if (result.failed()) {
                Throwable cause = result.cause();
                message.fail(cause instanceof IllegalArgumentException ? 400 : 500,
                        cause.getMessage() != null ? cause.getMessage() : cause.toString());
                return;
            }
            Instant now = clock.instant();
            if (command instanceof BanCommand.BanByHand) {
                result.result().forEach(ban -> vertx.eventBus().publish(Addresses.BANS,
                        Buffer.buffer(json.observedManualBan(ban))));
                link.banned(result.result(), true);
            } else if (command instanceof BanCommand.UnbanByHand || command instanceof BanCommand.UnbanInJail) {
                result.result().forEach(ban -> vertx.eventBus().publish(Addresses.BANS,
                        Buffer.buffer(json.observedManualUnban(ban, now))));
                link.lifted(result.result(), now);
            }
            // The cluster's decisions were published by the node that made them.
            message.reply(new BanCommand.Done(result.result()), BanCommand.REPLY);
        });
    }

    /** Runs one command on the enforcer (on its worker queue); returns the bans made or lifted. */
    private List<Ban> run(BanCommand command) {
        if (command instanceof BanCommand.BanByHand ban) {
            return List.of(enforcer.ban(ban.ip(), ban.jail()));
        }
        if (command instanceof BanCommand.UnbanByHand unban) {
            return enforcer.unban(unban.ip());
        }
        if (command instanceof BanCommand.UnbanInJail unban) {
            return enforcer.unban(unban.ip(), unban.jail()).map(List::of).orElse(List.of());
        }
        if (command instanceof BanCommand.Reconfigure reconfigure) {
            enforcer.reconfigure(reconfigure.jails());
            return List.of();
        }
        if (command instanceof BanCommand.ApplyShared shared) {
            return enforcer.applyShared(shared.bans());
        }
        if (command instanceof BanCommand.LiftShared lift) {
            return enforcer.liftShared(lift.ip(), lift.jail(), lift.at()).map(List::of).orElse(List.of());
        }
        return enforcer.active();
    }

    /**
     * A call event: counted by the fraud jails here, on the event loop (in memory, bounded, no I/O); each alert is
     * published on {@link Addresses#BANS}, and a ban of its source address, when the jail asks for one and the
     * address is trusted, is made on the enforcer's worker queue like a ban by hand, in the jail it names (and shared
     * with the cluster like the jail's own bans when that jail's scope is the cluster).
     */
    private void call(AsteriskEvent event) {
        fraud.offer(event.call(), event.timestamp(), clock.instant()).forEach(this::fraudAlert);
    }

    /** What a fraud jail's alert does: published, the endpoint stopped and the source banned when the jail asks. */
    private void fraudAlert(FraudAlert alert) {
        LOG.atWarn().addKeyValue(LogFields.JAIL, alert.jail()).addKeyValue(LogFields.REASON, alert.reason())
                .addKeyValue(LogFields.SOURCE_IP, alert.sourceIp()).log("fraud jail tripped by " + alert.key());
        vertx.eventBus().publish(Addresses.BANS, Buffer.buffer(FraudAlertJson.of(alert)));
        stops.offer(alert);
        String jail = alert.banJail();
        if (jail != null) {
            onEnforcer(() -> enforcer.ban(alert.sourceIp(), jail))
                    .onSuccess(ban -> {
                        vertx.eventBus().publish(Addresses.BANS,
                                Buffer.buffer(json.observedBan(ban, evidence.take(ban))));
                        link.banned(List.of(ban), false);
                    })
                    .onFailure(e -> LOG.atWarn().addKeyValue(LogFields.JAIL, jail)
                            .addKeyValue(LogFields.SOURCE_IP, alert.sourceIp())
                            .addKeyValue(LogFields.REASON, e.getMessage()).log("fraud alert's ban not made"));
        }
    }

    private void publishBans(List<Ban> bans) {
        for (Ban ban : bans) {
            vertx.eventBus().publish(Addresses.BANS, Buffer.buffer(json.observedBan(ban, evidence.take(ban))));
        }
    }

    private void tick() {
        // Calls still up count their minutes by the service clock: a call running for hours trips while it is up.
        fraud.check(clock.instant()).forEach(this::fraudAlert);
        stops.retryWaiting();
        onEnforcer(() -> {
            List<Ban> lifted = enforcer.expireDue(clock.instant());
            enforcer.retryDue(clock.instant());
            fraud.saveLearned();
            return lifted;
        }).onSuccess(lifted -> {
            for (Ban ban : lifted) {
                vertx.eventBus().publish(Addresses.BANS, Buffer.buffer(json.observedUnban(ban, clock.instant())));
            }
        });
    }

    /** Runs one reconcile on the enforcer's worker queue; {@code reasons} are empty for a periodic one. */
    private void reconcile(Set<String> reasons) {
        String reason = reasons.isEmpty() ? null : String.join(", ", reasons);
        onEnforcer(() -> enforcer.reconcile(reason)).onComplete(result -> {
            reconciles.finished();
            if (result.succeeded()) {
                LOG.atDebug().addKeyValue(LogFields.REPORT, result.result()).addKeyValue(LogFields.REASON, reason).log("reconciled");
            } else {
                LOG.atError().addKeyValue(LogFields.REASON, reason).setCause(result.cause()).log("reconcile failed");
            }
        });
    }

    /** The daily maintenance, on the enforcer's worker queue, so it never runs beside a ban. */
    private void maintain() {
        onEnforcer(() -> maintenance.run(clock.instant())).onFailure(e -> LOG.atWarn()
                .addKeyValue(LogFields.REASON, e.toString()).log("state maintenance failed; trying again tomorrow"));
    }

    private static void logRestore(RestoreReport report) {
        LOG.atInfo().addKeyValue(LogFields.RESTORED, report.restored()).addKeyValue(LogFields.EXPIRED, report.expired())
                .addKeyValue(LogFields.REAPPLIED, report.reapplied()).addKeyValue(LogFields.FAILED, report.failed())
                .log("bans restored from the state store");
    }
}
