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
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.banner.ami.AmiClient;
import org.tollgate.banner.config.ConfigException;
import org.tollgate.banner.enforce.ActionFactory;
import org.tollgate.banner.enforce.Enforcer;
import org.tollgate.banner.fraud.FraudJails;
import org.tollgate.banner.jail.HostAddresses;
import org.tollgate.banner.jail.InMemoryBanHistory;
import org.tollgate.banner.jail.Jails;
import org.tollgate.banner.shield.Shield;
import org.tollgate.banner.shield.ShieldSettings;
import org.tollgate.banner.store.DailyMaintenance;
import org.tollgate.banner.store.ReadPositions;
import org.tollgate.banner.store.StateDatabase;
import org.tollgate.normalizer.correlate.EndpointAddresses;
import org.tollgate.server.alert.AlertsVerticle;
import org.tollgate.server.api.ApiVerticle;
import org.tollgate.server.api.LiveServiceView;
import org.tollgate.server.api.StoreStatus;
import org.tollgate.server.ban.BannerVerticle;
import org.tollgate.server.ban.ClusterLink;
import org.tollgate.server.bus.EventPublisher;
import org.tollgate.server.bus.LinePathWarmUp;
import org.tollgate.server.cluster.ClusterKeys;
import org.tollgate.server.cluster.ClusterNode;
import org.tollgate.server.cluster.ClusterVerticle;
import org.tollgate.server.config.ClusterSettings;
import org.tollgate.server.config.ListenAddress;
import org.tollgate.server.config.OutputSettings;
import org.tollgate.server.config.SourceSettings;
import org.tollgate.server.config.TollgateConfig;
import org.tollgate.server.enrich.LocalObserver;
import org.tollgate.server.enrich.MaxMindLookup;
import org.tollgate.server.output.EventBusBridgeVerticle;
import org.tollgate.server.output.JsonlOutputVerticle;
import org.tollgate.server.output.SyslogOutputVerticle;
import org.tollgate.server.output.TcpJsonOutputVerticle;
import org.tollgate.server.shield.ShieldVerticle;
import org.tollgate.server.source.FileSourceVerticle;
import org.tollgate.server.source.JournaldSourceVerticle;
import org.tollgate.server.source.LineSource;
import org.tollgate.server.source.SourceOptions;
import org.tollgate.server.source.StdinSourceVerticle;
import org.tollgate.server.source.SyslogSourceVerticle;

/**
 * How {@link TollgateService} is built and started: the state store, the jails and the enforcer, the cluster join
 * (bounded, so that a host whose members do not answer still protects itself), then the verticles in reverse flow
 * order (alerts, banner, shield, cluster, admin API, outputs, and the sources last, so that the first line read has
 * somewhere to go). A part that cannot start fails the start and closes what was opened.
 */
final class ServiceStart {

    /** The service's own logger: its start is logged as the service's, as before this class was split from it. */
    private static final Logger LOG = LoggerFactory.getLogger(TollgateService.class);

    private ServiceStart() {
    }

    /** @param toEnd whether file sources read to the end and stop ({@link SourceOptions#toEnd()}) */
    static Future<TollgateService> start(TollgateConfig config, boolean withApi, Clock clock, ActionFactory actions,
                                         Function<ShieldSettings, Shield> shields, AtomicReference<String> starting,
                                         Duration joinLimit, boolean toEnd) {
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

    static LineSource source(SourceSettings source, EventPublisher publisher, ReadPositions store, Clock clock,
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
}
