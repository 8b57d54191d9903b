package org.tollgate.server;

import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.nio.file.Path;
import io.vertx.core.eventbus.ReplyException;
import org.tollgate.server.ban.BanCommand;
import org.tollgate.server.bus.Addresses;
import org.tollgate.server.config.ConfigChanges;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.function.Function;
import org.tollgate.banner.ami.AmiClient;
import org.tollgate.banner.action.CommandRunner;
import org.tollgate.banner.enforce.ActionFactory;
import org.tollgate.banner.enforce.ActionHealth;
import org.tollgate.banner.enforce.Enforcer;
import org.tollgate.banner.enforce.EnforcerStatus;
import org.tollgate.banner.jail.Jails;
import org.tollgate.banner.shield.Shield;
import org.tollgate.banner.shield.ShieldSettings;
import org.tollgate.banner.store.StateDatabase;
import org.tollgate.banner.store.StoreHealth;
import org.tollgate.server.alert.AlertsVerticle;
import org.tollgate.server.ban.BannerVerticle;
import org.tollgate.server.bus.EventPublisher;
import org.tollgate.server.cluster.ClusterStatus;
import org.tollgate.server.cluster.ClusterVerticle;
import org.tollgate.server.config.OutputSettings;
import org.tollgate.server.enrich.MaxMindLookup;
import org.tollgate.server.config.TollgateConfig;
import org.tollgate.server.config.SourceSettings;
import org.tollgate.server.output.EventBusBridgeVerticle;
import org.tollgate.server.output.ForwardingOutput;
import org.tollgate.server.output.JsonlOutputVerticle;
import org.tollgate.server.shield.ShieldVerticle;
import org.tollgate.server.source.LineSource;
import org.tollgate.server.source.SourceOptions;

/**
 * The running service, wired as the data flows: sources -> normalizer -> event bus -> jails -> firewall actions,
 * bans -> alerts, and event bus -> outputs. Started in the reverse order (outputs and banner first, so the first line read has
 * somewhere to go) and stopped in flow order (sources first, so everything read is handled before the rest stops).
 */
public final class TollgateService {

    private static final Logger LOG = LoggerFactory.getLogger(TollgateService.class);

    private final Vertx vertx;
    private final StateDatabase store;
    private final Enforcer enforcer;
    private final EventPublisher publisher;
    private final BannerVerticle banner;
    private final List<LineSource> sources;
    private final Clock clock;
    private final Jails jails;
    /** The configuration started with: what changed against it in a section read only at start waits for a restart. */
    private final TollgateConfig started;
    /** The configuration last applied by a start or a reload. */
    private volatile TollgateConfig live;
    private final AtomicBoolean reloading = new AtomicBoolean();
    /** Lines read by sources a reload replaced. */
    private final AtomicLong linesOfReplacedSources = new AtomicLong();
    // Set by ServiceStart while it builds the service, before the service is handed out; its own from then on.
    String alertsDeployment;
    MaxMindLookup geo;
    AmiClient ami;
    /** The numbering plan and the one endpoint table every source reads with; a reload's sources keep them. */
    SourceOptions reading;
    ShieldVerticle shield;
    final List<String> sourceDeployments = new ArrayList<>();
    final List<String> otherDeployments = new ArrayList<>();
    ClusterVerticle cluster;
    /** The outputs, in the order of the configuration (not replaced by a reload), and their settings. */
    List<Deployable> outputs = List.of();
    List<OutputSettings> outputSettings = List.of();
    /** Why this host runs alone though its cluster is enabled (the join did not finish in time), or null. */
    String clusterProblem;
    TollgateService(Vertx vertx, StateDatabase store, Enforcer enforcer, EventPublisher publisher, BannerVerticle banner,
                            List<LineSource> sources, TollgateConfig config, Jails jails, Clock clock) {
        this.vertx = vertx;
        this.store = store;
        this.enforcer = enforcer;
        this.publisher = publisher;
        this.banner = banner;
        this.sources = new CopyOnWriteArrayList<>(sources);
        this.started = config;
        this.live = config;
        this.jails = jails;
        this.clock = clock;
    }

    /** Builds and starts the service without the admin API; the future fails when any part cannot start. */
    public static Future<TollgateService> start(TollgateConfig config, Clock clock, ActionFactory actions) {
        return start(config, false, clock, actions, new AtomicReference<>());
    }

    /**
     * Builds and starts the service; the future fails when any part cannot start.
     *
     * @param withApi  whether the admin API of {@code config} runs, deployed before the sources so it counts every event
     * @param starting set to the part being started, so that a start that does not finish can say which part hangs
     */
    public static Future<TollgateService> start(TollgateConfig config, boolean withApi, Clock clock,
                                                ActionFactory actions, AtomicReference<String> starting) {
        return start(config, withApi, clock, actions, settings -> Shield.create(settings, new CommandRunner()),
                starting);
    }

    /**
     * As {@link #start(TollgateConfig, boolean, Clock, ActionFactory, AtomicReference)}, with the shield built by
     * {@code shields} (tests: inside a network namespace).
     */
    public static Future<TollgateService> start(TollgateConfig config, boolean withApi, Clock clock,
                                                ActionFactory actions, Function<ShieldSettings, Shield> shields,
                                                AtomicReference<String> starting) {
        return start(config, withApi, clock, actions, shields, starting, config.cluster().joinTimeout());
    }

    /** As above, waiting at most {@code joinLimit} for the cluster before starting alone (tests: shorter). */
    public static Future<TollgateService> start(TollgateConfig config, boolean withApi, Clock clock,
                                                ActionFactory actions, Function<ShieldSettings, Shield> shields,
                                                AtomicReference<String> starting, Duration joinLimit) {
        return ServiceStart.start(config, withApi, clock, actions, shields, starting, joinLimit, false);
    }

    /**
     * As {@link #start(TollgateConfig, boolean, Clock, ActionFactory, AtomicReference)}, the file sources reading
     * their files to the end, every line written, and stopping there ({@code run --once}; {@link LineSource#end()}).
     */
    public static Future<TollgateService> startToEnd(TollgateConfig config, Clock clock, ActionFactory actions,
                                                     AtomicReference<String> starting) {
        return ServiceStart.start(config, false, clock, actions, settings -> Shield.create(settings, new CommandRunner()),
                starting, config.cluster().joinTimeout(), true);
    }

    /** Events waiting in each output's queue, by {@code <type>[<index>]}, for the metrics. */
    Map<String, Long> outputQueues() {
        return perOutput(output -> output instanceof ForwardingOutput forwarding ? Long.valueOf(forwarding.queued())
                : output instanceof JsonlOutputVerticle jsonl ? Long.valueOf(jsonl.queued()) : null);
    }

    /**
     * Events each output lost since start, by {@code <type>[<index>]}: its queue was full, a write failed, or a
     * connection broke before they were sent. For the metrics, the status and {@code run --once}, which must say so.
     */
    public Map<String, Long> outputsDropped() {
        return perOutput(output -> output instanceof ForwardingOutput forwarding ? Long.valueOf(forwarding.dropped())
                : output instanceof JsonlOutputVerticle jsonl ? Long.valueOf(jsonl.dropped())
                : output instanceof EventBusBridgeVerticle bridge ? Long.valueOf(bridge.dropped()) : null);
    }

    /** {@code count} of each output that keeps it (null for one that does not), by {@code <type>[<index>]}. */
    private Map<String, Long> perOutput(Function<Deployable, Long> count) {
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        for (int i = 0; i < outputs.size(); i++) {
            Long n = count.apply(outputs.get(i));
            if (n != null) {
                counts.put(outputSettings.get(i).type() + "[" + i + "]", n);
            }
        }
        return counts;
    }

    public Vertx vertx() {
        return vertx;
    }

    public EventPublisher publisher() {
        return publisher;
    }

    /** What keeps the service from protecting fully now, one sentence each. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        EnforcerStatus bans = enforcer.status();
        if (bans.restoring() > 0) {
            problems.add("restoring " + bans.restoring() + (bans.restoring() == 1 ? " stored ban" : " stored bans")
                    + " into the firewall: not all in force yet since the start");
        }
        sources.forEach(source -> problems.addAll(source.problems()));
        for (ActionHealth action : bans.actions()) {
            if (!action.usable()) {
                problems.add("firewall action " + action.action() + " cannot run: " + action.problem()
                        + "; its bans wait until it is installed");
            } else if (action.failing() != null) {
                problems.add("firewall action " + action.action() + " failing: " + action.failing()
                        + "; its bans are retried until a call works");
            }
        }
        if (geo != null) {
            problems.addAll(geo.warnings());
        }
        if (clusterProblem != null) {
            problems.add(clusterProblem);
        }
        String manager = ami == null ? null : ami.problem();
        if (manager != null) {
            problems.add(manager);
        }
        StoreHealth health = store.health();
        if (!health.healthy()) {
            problems.add("state database " + store.description() + ": writes failing since " + health.since() + " ("
                    + health.lastError() + "); reading and banning go on, bans and read positions are kept in memory "
                    + "and written when it works again");
        }
        return problems;
    }

    /** The shield, or null when it is off. */
    public ShieldVerticle shield() {
        return shield;
    }

    /** The bans in force and the enforcer's counters, as last published: never waits. */
    public EnforcerStatus banStatus() {
        return enforcer.status();
    }

    /** The cluster as this node sees it, or {@link ClusterStatus#NONE}. */
    public ClusterStatus clusterStatus() {
        return cluster == null ? ClusterStatus.NONE : cluster.status();
    }

    /** The state database, for its health and sizes. */
    public StateDatabase state() {
        return store;
    }

    public long linesRead() {
        return linesOfReplacedSources.get() + sources.stream().mapToLong(LineSource::linesRead).sum();
    }

    /** The sources, for {@code run --once} to wait for their {@link LineSource#end()}. */
    public List<LineSource> sources() {
        return List.copyOf(sources);
    }

    /**
     * {@code tollgate reload} and SIGHUP: reads the configuration file again and applies what can change while the
     * service runs ({@link ConfigChanges}): running jails take their new settings keeping their counts and bans, the
     * sources and alert actions start again when they changed, the custom filters are read again. A configuration that
     * does not load is refused whole and the running one goes on.
     *
     * @return the one line that says what changed and what waits for a restart; or a failure whose message is one
     *         line naming the file, line, key and problem
     */
    public Future<String> reload() {
        if (!reloading.compareAndSet(false, true)) {
            return Future.failedFuture(new IllegalStateException("a reload is already running"));
        }
        String file = started.file();
        return vertx.executeBlocking(() -> TollgateConfig.load(Path.of(file)), false)
                .transform(loaded -> {
                    if (loaded.failed()) {
                        String why = oneLine(loaded.cause());
                        LOG.atError().addKeyValue(LogFields.REASON, why).log("configuration not reloaded");
                        return Future.failedFuture(new IllegalArgumentException(
                                "reload refused: " + why + "; the running configuration is kept"));
                    }
                    return apply(loaded.result()).transform(applied -> {
                        if (applied.succeeded()) {
                            LOG.atInfo().addKeyValue(LogFields.REASON, applied.result()).log("configuration reloaded");
                            return Future.succeededFuture(applied.result());
                        }
                        // Some of it is in force: say so, never that the old configuration is kept.
                        String why = oneLine(applied.cause());
                        LOG.atError().addKeyValue(LogFields.REASON, why).log("configuration partly reloaded");
                        return Future.failedFuture(new IllegalStateException("reload partly applied: " + why));
                    });
                })
                .andThen(done -> reloading.set(false));
    }

    private static String oneLine(Throwable failure) {
        String why = failure instanceof ReplyException reply ? reply.getMessage()
                : failure.getMessage() != null ? failure.getMessage() : failure.toString();
        return why.replace('\n', ' ');
    }

    private Future<String> apply(TollgateConfig next) {
        ConfigChanges changes = ConfigChanges.between(started, jails.settings(), live, next);
        Future<?> chain = Future.succeededFuture();
        if (!changes.jails().isEmpty()) {
            chain = vertx.eventBus().request(Addresses.BAN_COMMANDS, new BanCommand.Reconfigure(changes.jails()),
                    BanCommand.REQUEST);
        }
        if (changes.customFilters()) {
            chain = chain.andThen(done -> publisher.useCustomFilters(next.customFilters()));
        }
        if (changes.alerts()) {
            chain = chain.compose(done -> restartAlerts(next));
        }
        List<String> notStarted = new ArrayList<>();
        if (changes.sources()) {
            chain = chain.compose(done -> restartSources(next, notStarted));
        }
        return chain.compose(done -> {
            live = next;
            String described = changes.describe(next.file());
            return notStarted.isEmpty() ? Future.succeededFuture(described)
                    : Future.failedFuture(new IllegalStateException(described + "; but " + String.join("; ", notStarted)));
        });
    }

    /** The alert actions of {@code next} in place of the running ones (bans waiting in them are logged and dropped). */
    private Future<Void> restartAlerts(TollgateConfig next) {
        Future<Void> stopped = alertsDeployment == null ? Future.succeededFuture() : vertx.undeploy(alertsDeployment);
        return stopped.compose(done -> {
            alertsDeployment = null;
            if (!AlertsVerticle.needed(next.alerts())) {
                return Future.succeededFuture();
            }
            return vertx.deployVerticle(new AlertsVerticle(next.alerts(), clock)).map(id -> {
                alertsDeployment = id;
                return null;
            });
        });
    }

    /**
     * Stops the sources (their read positions stored) and starts those of {@code next}, which go on from there. Each
     * is started whatever became of the others; those that did not start are added to {@code notStarted}, one line
     * each.
     */
    private Future<Void> restartSources(TollgateConfig next, List<String> notStarted) {
        Future<Void> chain = Future.succeededFuture();
        for (String id : List.copyOf(sourceDeployments)) {
            chain = chain.compose(done -> vertx.undeploy(id)).andThen(done -> sourceDeployments.remove(id));
        }
        return chain.compose(done -> {
            linesOfReplacedSources.addAndGet(sources.stream().mapToLong(LineSource::linesRead).sum());
            sources.clear();
            Future<Void> starting = Future.succeededFuture();
            for (SourceSettings settings : next.sources()) {
                LineSource source = ServiceStart.source(settings, publisher, store.positions(), clock, reading);
                starting = starting.compose(started -> vertx.deployVerticle(source).transform(deployed -> {
                    if (deployed.succeeded()) {
                        sources.add(source);
                        sourceDeployments.add(deployed.result());
                    } else {
                        notStarted.add("the " + settings.type() + " source of line " + settings.line()
                                + " did not start: " + oneLine(deployed.cause()));
                    }
                    return Future.<Void>succeededFuture();
                }));
            }
            return starting;
        });
    }

    /** Waits until every failure published so far has been through the jails (for one-shot runs and tests). */
    public void awaitDrained(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (banner.failuresHandled() < publisher.failures() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    /** Stops sources first (positions stored), then the banner and outputs, then closes the store. */
    public void stop() {
        try {
            Future<Void> chain = Future.succeededFuture();
            for (String id : sourceDeployments) {
                chain = chain.compose(done -> vertx.undeploy(id));
            }
            chain.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            awaitDrained(10_000);
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.atWarn().setCause(e).log("stopping took too long or failed");
        } finally {
            store.close();
            if (geo != null) {
                geo.close();
            }
        }
    }
}
