package org.tollgate.server;

import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.banner.config.TollgateConfigFile;
import org.tollgate.banner.enforce.ActionFactory;
import org.tollgate.banner.enforce.Enforcer;
import org.tollgate.banner.jail.HostAddresses;
import org.tollgate.banner.jail.InMemoryBanHistory;
import org.tollgate.banner.jail.Jails;
import org.tollgate.banner.store.BanStore;
import org.tollgate.server.api.ApiVerticle;
import org.tollgate.server.api.LiveServiceView;
import org.tollgate.server.banning.BannerVerticle;
import org.tollgate.server.bus.EventPublisher;
import org.tollgate.server.config.ApiSettings;
import org.tollgate.server.config.OutputSettings;
import org.tollgate.server.config.ServiceSettings;
import org.tollgate.server.config.SourceSettings;
import org.tollgate.server.output.EventBusBridgeVerticle;
import org.tollgate.server.output.ForwardingOutput;
import org.tollgate.server.output.JsonlOutputVerticle;
import org.tollgate.server.output.SyslogOutputVerticle;
import org.tollgate.server.output.TcpJsonOutputVerticle;
import org.tollgate.server.source.FileSourceVerticle;
import org.tollgate.server.source.JournaldSourceVerticle;
import org.tollgate.server.source.LineSource;
import org.tollgate.server.source.StdinSourceVerticle;
import org.tollgate.server.source.SyslogSourceVerticle;

/**
 * The running service, wired as the data flows: sources -> normalizer -> event bus -> jails -> firewall actions,
 * and event bus -> outputs. Started in the reverse order (outputs and banner first, so the first line read has
 * somewhere to go) and stopped in flow order (sources first, so everything read is handled before the rest stops).
 */
public final class TollgateService {

    private static final Logger LOG = LoggerFactory.getLogger(TollgateService.class);

    private final Vertx vertx;
    private final BanStore store;
    private final EventPublisher publisher;
    private final BannerVerticle banner;
    private final List<LineSource> sources;
    private final List<String> sourceDeployments = new ArrayList<>();
    private final List<String> otherDeployments = new ArrayList<>();

    private TollgateService(Vertx vertx, BanStore store, EventPublisher publisher, BannerVerticle banner,
                            List<LineSource> sources) {
        this.vertx = vertx;
        this.store = store;
        this.publisher = publisher;
        this.banner = banner;
        this.sources = sources;
    }

    /** Builds and starts the service without the admin API; the future fails when any part cannot start. */
    public static Future<TollgateService> start(TollgateConfigFile file, ServiceSettings settings, Clock clock,
                                                ActionFactory actions) {
        return start(file, settings, null, clock, actions);
    }

    /**
     * Builds and starts the service; the future fails when any part cannot start.
     *
     * @param api the admin API, deployed before the sources so it counts every event; {@code null} for none
     */
    public static Future<TollgateService> start(TollgateConfigFile file, ServiceSettings settings, ApiSettings api,
                                                Clock clock, ActionFactory actions) {
        BanStore store = settings.statePath() == null ? BanStore.inMemory(clock) : BanStore.open(settings.statePath(), clock);
        Jails jails = new Jails(file.jails().values(), clock, new SplittableRandom(), new InMemoryBanHistory(),
                HostAddresses.fromNetworkInterfaces());
        Enforcer enforcer = new Enforcer(jails, store, clock, actions);
        Vertx vertx = Vertx.vertx();
        EventPublisher.registerCodecs(vertx.eventBus());
        EventPublisher publisher = new EventPublisher(vertx.eventBus());
        BannerVerticle banner = new BannerVerticle(enforcer, settings.reconcileInterval(), clock);
        List<LineSource> sources = new ArrayList<>();
        for (SourceSettings source : settings.sources()) {
            sources.add(switch (source.type()) {
                case SourceSettings.SYSLOG -> new SyslogSourceVerticle(source, publisher, clock);
                case SourceSettings.JOURNALD -> new JournaldSourceVerticle(source, publisher, store, clock);
                case SourceSettings.STDIN -> new StdinSourceVerticle(source, publisher, clock);
                default -> new FileSourceVerticle(source, publisher, store, clock);
            });
        }
        TollgateService service = new TollgateService(vertx, store, publisher, banner, sources);
        Future<Void> chain = vertx.deployVerticle(banner).map(id -> {
            service.otherDeployments.add(id);
            return null;
        });
        List<Deployable> outputs = new ArrayList<>();
        for (OutputSettings output : settings.outputs()) {
            outputs.add(output(output));
        }
        if (api != null) {
            LiveServiceView view = new LiveServiceView(enforcer, jails, publisher, service::linesRead,
                    banner::failuresHandled, () -> outputQueues(settings.outputs(), outputs));
            chain = chain.compose(done -> vertx.deployVerticle(new ApiVerticle(api, view, clock))).map(id -> {
                service.otherDeployments.add(id);
                return null;
            });
        }
        for (Deployable output : outputs) {
            chain = chain.compose(done -> vertx.deployVerticle(output)).map(id -> {
                        service.otherDeployments.add(id);
                        return null;
                    });
        }
        for (LineSource source : sources) {
            chain = chain.compose(done -> vertx.deployVerticle(source)).map(id -> {
                service.sourceDeployments.add(id);
                return null;
            });
        }
        return chain.map(done -> {
            LOG.atInfo().addKeyValue(LogFields.SOURCES, settings.sources().size()).addKeyValue(LogFields.JAILS, file.jails().size())
                    .addKeyValue(LogFields.OUTPUTS, settings.outputs().size())
                    .addKeyValue(LogFields.STATE, settings.statePath() == null ? "memory" : settings.statePath().toString())
                    .log("tollgate running");
            return service;
        }).recover(failure -> vertx.close().transform(closed -> {
            store.close();
            return Future.failedFuture(failure);
        }));
    }

    /** Events waiting in each output's queue, by {@code <type>[<index>]}, for the metrics. */
    private static Map<String, Long> outputQueues(List<OutputSettings> settings, List<Deployable> outputs) {
        Map<String, Long> queues = new java.util.LinkedHashMap<>();
        for (int i = 0; i < outputs.size(); i++) {
            String name = settings.get(i).type() + "[" + i + "]";
            if (outputs.get(i) instanceof ForwardingOutput forwarding) {
                queues.put(name, (long) forwarding.queued());
            } else if (outputs.get(i) instanceof JsonlOutputVerticle jsonl) {
                queues.put(name, (long) jsonl.queued());
            }
        }
        return queues;
    }

    private static Deployable output(OutputSettings output) {
        return switch (output.type()) {
            case "tcp-json" -> new TcpJsonOutputVerticle(output);
            case "syslog" -> new SyslogOutputVerticle(output);
            case "eventbus-bridge" -> new EventBusBridgeVerticle(output);
            default -> new JsonlOutputVerticle(output, output.queue());
        };
    }

    public Vertx vertx() {
        return vertx;
    }

    public EventPublisher publisher() {
        return publisher;
    }

    public long linesRead() {
        return sources.stream().mapToLong(LineSource::linesRead).sum();
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
        }
    }
}
