package org.tollgate.server;

import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
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
import org.tollgate.banner.fraud.FraudJails;
import org.tollgate.banner.action.CommandRunner;
import org.tollgate.banner.config.ConfigException;
import org.tollgate.banner.enforce.ActionFactory;
import org.tollgate.banner.enforce.ActionHealth;
import org.tollgate.banner.enforce.Enforcer;
import org.tollgate.banner.enforce.EnforcerStatus;
import org.tollgate.banner.jail.HostAddresses;
import org.tollgate.banner.jail.InMemoryBanHistory;
import org.tollgate.banner.jail.Jails;
import org.tollgate.banner.shield.Shield;
import org.tollgate.banner.shield.ShieldSettings;
import org.tollgate.banner.store.DailyMaintenance;
import org.tollgate.banner.store.ReadPositions;
import org.tollgate.banner.store.StateDatabase;
import org.tollgate.banner.store.StoreHealth;
import org.tollgate.server.alert.AlertsVerticle;
import org.tollgate.server.api.ApiVerticle;
import org.tollgate.server.api.LiveServiceView;
import org.tollgate.server.api.StoreStatus;
import org.tollgate.server.ban.BannerVerticle;
import org.tollgate.server.bus.EventPublisher;
import org.tollgate.server.bus.LinePathWarmUp;
import org.tollgate.server.cluster.ClusterKeys;
import org.tollgate.server.cluster.ClusterNode;
import org.tollgate.server.cluster.ClusterStatus;
import org.tollgate.server.cluster.ClusterVerticle;
import org.tollgate.server.ban.ClusterLink;
import org.tollgate.server.config.ClusterSettings;
import org.tollgate.server.config.ListenAddress;
import org.tollgate.server.config.OutputSettings;
import org.tollgate.server.enrich.LocalObserver;
import org.tollgate.server.enrich.MaxMindLookup;
import org.tollgate.server.config.TollgateConfig;
import org.tollgate.server.config.SourceSettings;
import org.tollgate.server.output.EventBusBridgeVerticle;
import org.tollgate.server.output.ForwardingOutput;
import org.tollgate.server.output.JsonlOutputVerticle;
import org.tollgate.server.output.SyslogOutputVerticle;
import org.tollgate.server.output.TcpJsonOutputVerticle;
import org.tollgate.server.shield.ShieldVerticle;
import org.tollgate.server.source.FileSourceVerticle;
import org.tollgate.server.source.JournaldSourceVerticle;
import org.tollgate.server.source.LineSource;
import org.tollgate.server.source.SourceOptions;
import org.tollgate.normalizer.correlate.EndpointAddresses;
import org.tollgate.server.source.StdinSourceVerticle;
import org.tollgate.server.source.SyslogSourceVerticle;

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
    private String alertsDeployment;
    private MaxMindLookup geo;
    private AmiClient ami;
    /** The numbering plan and the one endpoint table every source reads with; a reload's sources keep them. */
    private SourceOptions reading;
    private ShieldVerticle shield;
    private final List<String> sourceDeployments = new ArrayList<>();
    private final List<String> otherDeployments = new ArrayList<>();
    private ClusterVerticle cluster;
    /** The outputs, in the order of the configuration (not replaced by a reload), and their settings. */
    private List<Deployable> outputs = List.of();
    private List<OutputSettings> outputSettings = List.of();
    /** Why this host runs alone though its cluster is enabled (the join did not finish in time), or null. */
    private String clusterProblem;
    private TollgateService(Vertx vertx, StateDatabase store, Enforcer enforcer, EventPublisher publisher, BannerVerticle banner,
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
        return start(config, withApi, clock, actions, shields, starting, joinLimit, false);
    }

    /**
     * As {@link #start(TollgateConfig, boolean, Clock, ActionFactory, AtomicReference)}, the file sources reading
     * their files to the end, every line written, and stopping there ({@code run --once}; {@link LineSource#end()}).
     */
    public static Future<TollgateService> startToEnd(TollgateConfig config, Clock clock, ActionFactory actions,
                                                     AtomicReference<String> starting) {
        return start(config, false, clock, actions, settings -> Shield.create(settings, new CommandRunner()), starting,
                config.cluster().joinTimeout(), true);
    }

    /** @param toEnd whether file sources read to the end and stop ({@link SourceOptions#toEnd()}) */
    private static Future<TollgateService> start(TollgateConfig config, boolean withApi, Clock clock,
                                                 ActionFactory actions, Function<ShieldSettings, Shield> shields,
                                                 AtomicReference<String> starting, Duration joinLimit,
                                                 boolean toEnd) {
        starting.set("the state store " + (config.statePath() == null ? "(memory)" : config.statePath()));
        StateDatabase store = config.statePath() == null ? StateDatabase.inMemory(clock)
                : StateDatabase.open(config.statePath(), clock);
        Jails jails = new Jails(config.jails().values(), clock, new SplittableRandom(), new InMemoryBanHistory(),
                HostAddresses.fromNetworkInterfaces());
        Enforcer enforcer;
        try {
            enforcer = new Enforcer(jails, store.bans(), clock, actions);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        starting.set("the geo and AS databases");
        MaxMindLookup geo = MaxMindLookup.open(config.enrich());
        geo.warnings().forEach(warning -> LOG.atWarn().addKeyValue(LogFields.REASON, warning)
                .log("enrichment database not used"));
        starting.set("the warm-up of the line path");
        LinePathWarmUp.run(LocalObserver.get());
        Future<Vertx> made;
        AtomicReference<String> clusterProblem = new AtomicReference<>();
        if (config.cluster().enabled()) {
            starting.set("the cluster node " + config.cluster());
            AtomicReference<String> joinStep = new AtomicReference<>("starting");
            ClusterKeys keys;
            try {
                keys = ClusterKeys.load(config.cluster().secretFile(), config.cluster().name());
            } catch (IllegalArgumentException e) {
                store.close();
                geo.close();
                throw new ConfigException(ClusterSettings.SECTION + ".secret_file", e.getMessage(), config.file(),
                        config.cluster().secretFileLine());
            }
            made = joinWithin(config.cluster(), ClusterNode.start(config.cluster(), keys, new VertxOptions(),
                    LocalObserver.get().hostname(), joinStep), joinStep, joinLimit, clusterProblem);
        } else {
            made = Future.succeededFuture(Vertx.vertx());
        }
        return made.recover(failure -> {
            store.close();
            geo.close();
            return Future.failedFuture(failure);
        }).compose(vertx -> startOn(vertx, config, withApi, clock, store, jails, enforcer, geo, shields, starting,
                clusterProblem.get(), toEnd));
    }

    /**
     * The clustered Vert.x if the node joins within {@code limit}; otherwise a Vert.x of this host alone, with
     * {@code problem} set to one line saying what did not finish: the service protects this host from its start
     * whatever the network does. A join that finishes later is left at once (the service runs without it until it
     * is restarted); one that fails is logged. A join that fails within the limit fails the start.
     */
    private static Future<Vertx> joinWithin(ClusterSettings settings, Future<Vertx> joining,
                                            AtomicReference<String> step, Duration limit,
                                            AtomicReference<String> problem) {
        Promise<Vertx> chosen = Promise.promise();
        AtomicBoolean decided = new AtomicBoolean();
        joining.onComplete(result -> {
            if (decided.compareAndSet(false, true)) {
                chosen.handle(result);
            } else if (result.succeeded()) {
                LOG.atWarn().addKeyValue(LogFields.CLUSTER, settings.name()).log("the cluster was joined after the"
                        + " service had started alone; left again: restart the service to be a node of it");
                result.result().close();
            } else {
                LOG.atWarn().addKeyValue(LogFields.CLUSTER, settings.name())
                        .addKeyValue(LogFields.REASON, result.cause().getMessage()).log("the cluster join failed");
            }
        });
        CompletableFuture.delayedExecutor(limit.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (decided.compareAndSet(false, true)) {
                problem.set("cluster " + settings.name() + " on " + new ListenAddress(settings.host(), settings.port())
                        + ": not joined within "
                        + (limit.toMillis() < 1_000 ? limit.toMillis() + " ms" : limit.toSeconds() + " s") + " (" + step.get() + "); this host bans alone,"
                        + " its cluster-scope jails counting its own failures; restart the service when the members"
                        + " answer");
                LOG.atError().addKeyValue(LogFields.CLUSTER, settings.name()).log(problem.get());
                chosen.complete(Vertx.vertx());
            }
        });
        return chosen.future();
    }

    /** @param clusterProblem why this host runs alone though its cluster is enabled, or null */
    private static Future<TollgateService> startOn(Vertx vertx, TollgateConfig config, boolean withApi, Clock clock,
                                                   StateDatabase store, Jails jails, Enforcer enforcer,
                                                   MaxMindLookup geo, Function<ShieldSettings, Shield> shields,
                                                   AtomicReference<String> starting, String clusterProblem,
                                                   boolean toEnd) {
        EventPublisher.registerCodecs(vertx.eventBus());
        boolean clustered = config.cluster().enabled() && clusterProblem == null;
        // A node's events name it as its bans do: its host name and its address in the cluster.
        EventPublisher publisher = new EventPublisher(vertx.eventBus(),
                clustered ? LocalObserver.get().withIp(config.cluster().host()) : LocalObserver.get(), geo, clock,
                config.customFilters(),
                (int) config.outputs().stream().filter(output -> !(output instanceof OutputSettings.EventBusBridgeOutput))
                        .count());
        if (config.outputs().stream().anyMatch(output -> output instanceof OutputSettings.EventBusBridgeOutput bridge
                && bridge.allEvents())) {
            publisher.publishEveryEvent();
        }
        if (!clustered && config.outputs().stream()
                .noneMatch(output -> output instanceof OutputSettings.EventBusBridgeOutput)) {
            // Only a bridge output and the other nodes of a cluster hear the events one by one.
            publisher.keepEventsOffBus();
        }
        String hostname = LocalObserver.get().hostname();
        ClusterVerticle cluster = null;
        if (clustered) {
            publisher.shareWithCluster(config.cluster().eventsPerSecond());
            Set<String> clusterJails = new HashSet<>();
            config.jails().values().stream().filter(jail -> jail.enabled() && jail.clusterScope())
                    .forEach(jail -> clusterJails.add(jail.name()));
            cluster = new ClusterVerticle(config.cluster(), clusterJails, hostname, clock, publisher::eventsUnshared);
        }
        AmiClient ami = config.ami() == null ? null : new AmiClient(config.ami(), clock);
        BannerVerticle banner = new BannerVerticle(enforcer, config.reconcileInterval(), clock,
                new DailyMaintenance(store, jails, enforcer.historyWindow()), new FraudJails(config.fraud().values(), store.fraudHistory()),
                ami, jails.evidence(),
                cluster == null ? ClusterLink.ALONE : cluster, hostname);
        // The one table of where endpoints last registered or authenticated from: every source of this PBX
        // learns into it and reads from it, so a call in one log names the address another log showed.
        SourceOptions reading = new SourceOptions(config.numbering(), new EndpointAddresses(), toEnd);
        List<LineSource> sources = new ArrayList<>();
        for (SourceSettings source : config.sources()) {
            sources.add(source(source, publisher, store.positions(), clock, reading));
        }
        TollgateService service = new TollgateService(vertx, store, enforcer, publisher, banner, sources, config, jails,
                clock);
        service.geo = geo;
        service.ami = ami;
        service.reading = reading;
        if (config.shield().enabled()) {
            service.shield = new ShieldVerticle(config.shield(), shields.apply(config.shield()),
                    config.reconcileInterval(), jails::useAllowList, clock);
        }
        service.cluster = cluster;
        service.clusterProblem = clusterProblem;
        Future<Void> chain = Future.succeededFuture();
        if (AlertsVerticle.needed(config.alerts())) {
            // Before the banner, so that the first ban it publishes has someone to tell.
            chain = chain.compose(done -> {
                starting.set("the alert actions (mail, webhook)");
                return vertx.deployVerticle(new AlertsVerticle(config.alerts(), clock));
            }).map(id -> {
                service.alertsDeployment = id;
                return null;
            });
        }
        chain = chain.compose(done -> {
            starting.set("the banner (restoring the stored bans through the firewall actions)");
            return vertx.deployVerticle(banner);
        }).map(id -> {
            service.otherDeployments.add(id);
            // The sources start later: their failures go from their threads straight to the enforcer's.
            publisher.sendFailuresTo(banner::offer);
            return null;
        });
        if (service.shield != null) {
            chain = chain.compose(done -> {
                starting.set("the shield (" + config.shield().backend() + " " + config.shield().name() + ")");
                return vertx.deployVerticle(service.shield);
            }).map(id -> {
                service.otherDeployments.add(id);
                return null;
            });
        }
        if (cluster != null) {
            ClusterVerticle node = cluster;
            chain = chain.compose(done -> {
                starting.set("the cluster verticle (the shared bans)");
                return vertx.deployVerticle(node);
            }).map(id -> {
                service.otherDeployments.add(id);
                return null;
            });
        }
        List<Deployable> outputs = new ArrayList<>();
        for (OutputSettings output : config.outputs()) {
            outputs.add(output(output));
        }
        service.outputs = List.copyOf(outputs);
        service.outputSettings = config.outputs();
        if (withApi) {
            LiveServiceView view = new LiveServiceView(enforcer::status, vertx.eventBus(), jails, publisher, service::linesRead,
                    banner::failuresHandled, service::outputQueues, service::outputsDropped, service::problems,
                    () -> new StoreStatus(store.description(), store.health(), store.lastTableSizes()),
                    service::clusterStatus).reloadingWith(service::reload);
            chain = chain.compose(done -> {
                starting.set("the admin API on " + config.api().listen());
                return vertx.deployVerticle(new ApiVerticle(config.api(), view, clock, service.shield));
            }).map(id -> {
                service.otherDeployments.add(id);
                return null;
            });
        }
        for (int i = 0; i < outputs.size(); i++) {
            Deployable output = outputs.get(i);
            OutputSettings settings = config.outputs().get(i);
            chain = chain.compose(done -> {
                starting.set("the " + settings.type() + " output of line " + settings.line());
                return vertx.deployVerticle(output);
            }).map(id -> {
                service.otherDeployments.add(id);
                return null;
            });
        }
        for (int i = 0; i < sources.size(); i++) {
            LineSource source = sources.get(i);
            SourceSettings settings = config.sources().get(i);
            chain = chain.compose(done -> {
                starting.set("the " + settings.type() + " source of line " + settings.line());
                return vertx.deployVerticle(source);
            }).map(id -> {
                service.sourceDeployments.add(id);
                return null;
            });
        }
        return chain.map(done -> {
            starting.set(null);
            LOG.atInfo().addKeyValue(LogFields.SOURCES, config.sources().size()).addKeyValue(LogFields.JAILS, config.jails().size())
                    .addKeyValue(LogFields.OUTPUTS, config.outputs().size())
                    .addKeyValue(LogFields.STATE, config.statePath() == null ? "memory" : config.statePath().toString())
                    .log("tollgate running");
            return service;
        }).recover(failure -> vertx.close().transform(closed -> {
            store.close();
            geo.close();
            return Future.failedFuture(failure);
        }));
    }

    private static LineSource source(SourceSettings source, EventPublisher publisher, ReadPositions store, Clock clock,
                                     SourceOptions reading) {
        if (source instanceof SourceSettings.SyslogSource syslog) {
            return new SyslogSourceVerticle(syslog, publisher, clock, reading);
        }
        if (source instanceof SourceSettings.JournaldSource journald) {
            return new JournaldSourceVerticle(journald, publisher, store, clock, reading);
        }
        if (source instanceof SourceSettings.StdinSource stdin) {
            return new StdinSourceVerticle(stdin, publisher, clock, reading);
        }
        return new FileSourceVerticle((SourceSettings.FileSource) source, publisher, store, clock, reading);
    }

    /** Events waiting in each output's queue, by {@code <type>[<index>]}, for the metrics. */
    private Map<String, Long> outputQueues() {
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

    private static Deployable output(OutputSettings output) {
        if (output instanceof OutputSettings.TcpJsonOutput tcp) {
            return new TcpJsonOutputVerticle(tcp);
        }
        if (output instanceof OutputSettings.SyslogOutput syslog) {
            return new SyslogOutputVerticle(syslog);
        }
        if (output instanceof OutputSettings.EventBusBridgeOutput bridge) {
            return new EventBusBridgeVerticle(bridge);
        }
        OutputSettings.JsonlOutput jsonl = (OutputSettings.JsonlOutput) output;
        return new JsonlOutputVerticle(jsonl, jsonl.queue());
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
                LineSource source = source(settings, publisher, store.positions(), clock, reading);
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
