package org.tollgate.server.api;

import static org.tollgate.server.api.ApiReplies.clientIp;
import static org.tollgate.server.api.ApiReplies.echo;
import static org.tollgate.server.api.ApiReplies.error;
import static org.tollgate.server.api.ApiReplies.json;

import org.tollgate.server.cluster.ClusterStatus;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.banner.enforce.EnforcerStatus;
import org.tollgate.banner.jail.JailStats;
import org.tollgate.server.LogFields;
import org.tollgate.server.ban.BanJson;
import org.tollgate.server.bus.Addresses;
import org.tollgate.server.bus.EventChunk;
import org.tollgate.server.config.ApiSettings;
import org.tollgate.server.shield.ShieldJson;
import org.tollgate.server.shield.ShieldVerticle;

/**
 * The admin API and status page over HTTP:
 *
 * <pre>
 * GET    /api/status      jails with their counters, pipeline and firewall counts, bans with per-action state
 * GET    /api/bans        the bans in force
 * GET    /api/summary     what the status page shows: bans, top attackers and user names, attacks per minute
 * POST   /api/bans        {"jail": "sip-auth", "ip": "192.0.2.7"}: bans by hand
 * DELETE /api/bans/{ip}   lifts every ban of the address
 * GET    /metrics         Prometheus text format
 * GET    /                the status page
 * </pre>
 *
 * Every change needs {@code Authorization: Bearer <token>}. Reads need it too unless the API listens on loopback and
 * the request names a loopback host (a page on another site that re-points its own name at 127.0.0.1 to read the
 * answers gets a 401). Addresses are IP literals only, never resolved. Errors are {@code {"error": "..."}} with 400,
 * 401 or 404. Every service call runs on a worker: the enforcer may be waiting for a firewall tool.
 *
 * <p>The top-N and per-minute figures come from {@link Addresses#EVENT_CHUNKS} (security events) and the ban lag from
 * {@link Addresses#BANS}, counted on this verticle's event loop in bounded memory ({@link AttackStats}), the events
 * through a bounded {@link CountingBacklog}: a flood read faster than it is counted is sampled, not queued. Bans and
 * unbans by hand go to the banner as commands ({@link ServiceView#ban}); the banner makes them and publishes them on
 * {@link Addresses#BANS}, marked as made by hand ({@link BanJson#manualBan}): this verticle publishes nothing there.
 *
 * <p>This class binds the server, routes and answers the reads; {@link ApiAccess} decides who may call,
 * {@link BanRoutes} makes the changes to bans, {@link ApiReplies} writes the answers.
 */
public final class ApiVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(ApiVerticle.class);
    static final int TOP_N = 10;
    static final int BODY_LIMIT = 4_096;

    private final ApiSettings settings;
    private final ServiceView view;
    private final Clock clock;
    private final AttackStats stats = new AttackStats();
    private ApiAccess access;
    private StatusPage page;
    private final ShieldVerticle shield;
    private HttpServer server;
    private MessageConsumer<EventChunk> events;
    private MessageConsumer<Buffer> decisions;

    public ApiVerticle(ApiSettings settings, ServiceView view, Clock clock) {
        this(settings, view, clock, null);
    }

    /** @param shield the running shield, for {@code /api/shield}; null when it is off */
    public ApiVerticle(ApiSettings settings, ServiceView view, Clock clock, ShieldVerticle shield) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.view = Objects.requireNonNull(view, "view");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.shield = shield;
    }

    @Override
    public Future<?> start() {
        return vertx.executeBlocking(() -> {
            access = ApiAccess.load(settings);
            page = StatusPage.load();
            return null;
        }).compose(loaded -> {
            CountingBacklog backlog = new CountingBacklog(chunk -> chunk.forEach(false, this::countEvent),
                    task -> context.runOnContext(ignored -> task.run()));
            stats.countSkipped(backlog::skipped);
            events = vertx.eventBus().localConsumer(Addresses.EVENT_CHUNKS, message -> backlog.offer(message.body()));
            decisions = vertx.eventBus().localConsumer(Addresses.BANS, message -> countDecision(message.body()));
            return Future.all(events.completion(), decisions.completion());
        }).compose(registered -> vertx.createHttpServer(new HttpServerOptions()
                        .setHost(settings.host()).setPort(settings.port()).setIdleTimeout(60))
                .requestHandler(router()).listen())
                .onSuccess(bound -> {
                    server = bound;
                    LOG.atInfo().addKeyValue(LogFields.LISTEN, settings.listen()).addKeyValue(LogFields.PORT, bound.actualPort())
                            .addKeyValue(LogFields.TOKEN_FILE, settings.tokenFile() == null ? null : settings.tokenFile().toString())
                            .addKeyValue(LogFields.TOKEN, access.hasToken())
                            .addKeyValue(LogFields.READS_NEED_TOKEN, !settings.loopback())
                            .log("admin API listening");
                });
    }

    @Override
    public Future<?> stop() {
        Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
        Future<Void> eventsDone = events == null ? Future.succeededFuture() : events.unregister();
        Future<Void> decisionsDone = decisions == null ? Future.succeededFuture() : decisions.unregister();
        return Future.all(closed, eventsDone, decisionsDone);
    }

    /** The port bound (the configured one, or the one picked for port 0). */
    public int actualPort() {
        return server == null ? -1 : server.actualPort();
    }

    private Router router() {
        Router router = Router.router(vertx);
        for (String path : page.paths()) {
            router.get(path).handler(this::servePage);
        }
        BanRoutes bans = new BanRoutes(vertx, view);
        router.get("/api/status").handler(access::requireRead).handler(this::status);
        router.get("/api/bans").handler(access::requireRead).handler(this::bans);
        router.get("/api/summary").handler(access::requireRead).handler(this::summary);
        router.get("/metrics").handler(access::requireRead).handler(this::metrics);
        // The body is read (at most BODY_LIMIT bytes) before the token is checked: vertx-web wants body handling first.
        router.post("/api/bans").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT))
                .handler(access::requireToken).handler(bans::ban).failureHandler(ApiVerticle::clientGone);
        router.delete("/api/bans/:ip").handler(access::requireToken).handler(bans::unban);
        router.post("/api/reload").handler(access::requireToken).handler(this::reload);
        router.get("/api/shield").handler(access::requireRead).handler(this::shieldStatus);
        router.delete("/api/shield").handler(access::requireToken).handler(this::shieldOff);
        router.errorHandler(404, ctx -> error(ctx, 404, "no such resource: " + ctx.request().method() + " "
                + echo(ctx.request().path())));
        router.errorHandler(405, ctx -> error(ctx, 405, ctx.request().method() + " is not allowed on "
                + echo(ctx.request().path())));
        router.errorHandler(413, ctx -> error(ctx, 413, "the request body is larger than " + BODY_LIMIT + " bytes"));
        router.errorHandler(500, ctx -> {
            LOG.atError().addKeyValue(LogFields.PATH, ctx.request().path()).setCause(ctx.failure()).log("admin API request failed");
            error(ctx, 500, "internal error; see the service log");
        });
        return router;
    }

    // ---- request I/O --------------------------------------------------------------------------------------------

    /**
     * A client that closes or resets its connection while its body is read is nobody to answer, and no fault of the
     * service: said at debug, not as an error with a stack trace a client could fill the log with. Other failures go
     * on to the error handlers.
     */
    private static void clientGone(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure instanceof IOException || failure instanceof HttpClosedException) {
            LOG.atDebug().addKeyValue(LogFields.CLIENT_IP, clientIp(ctx)).addKeyValue(LogFields.ERROR, failure.toString())
                    .log("admin API client went away during its request");
            return;
        }
        ctx.next();
    }

    // ---- reads --------------------------------------------------------------------------------------------------

    private void servePage(RoutingContext ctx) {
        StatusPage.File file = page.file(ctx.request().path()).orElseThrow();
        ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, file.contentType())
                .putHeader("Content-Security-Policy", StatusPage.CONTENT_SECURITY_POLICY)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .end(file.content());
    }

    private void status(RoutingContext ctx) {
        blocking(ctx, this::snapshot).onSuccess(snapshot -> {
            JsonArray jails = new JsonArray();
            snapshot.jails().forEach(jail -> jails.add(ApiJson.jail(jail)));
            JsonObject out = new JsonObject()
                    .put("time", clock.instant().toString())
                    .put("problems", ApiJson.problems(snapshot.pipeline()))
                    .put("store", ApiJson.store(snapshot.store()))
                    .put("jails", jails)
                    .put("pipeline", ApiJson.pipeline(snapshot.pipeline()))
                    .put("firewall", ApiJson.firewall(snapshot.status()))
                    .put("actions", ApiJson.actions(snapshot.status().actions()))
                    .put("bans", ApiJson.bans(snapshot.status().bans()));
            if (snapshot.cluster().enabled()) {
                out.put("cluster", ApiJson.cluster(snapshot.cluster()));
            }
            json(ctx, 200, out);
        });
    }

    private void bans(RoutingContext ctx) {
        blocking(ctx, view::status).onSuccess(status -> json(ctx, 200,
                new JsonObject().put("bans", ApiJson.bans(status.bans()))));
    }

    private void summary(RoutingContext ctx) {
        blocking(ctx, () -> new Summary(view.status(), view.pipeline(), view.cluster())).onSuccess(summary -> {
            Instant now = clock.instant();
            JsonArray sources = new JsonArray();
            stats.sources().top(TOP_N).forEach(entry -> sources.add(new JsonObject()
                    .put("ip", entry.key()).put("count", entry.count())));
            JsonArray users = new JsonArray();
            stats.users().top(TOP_N).forEach(entry -> users.add(new JsonObject()
                    .put("name", entry.key()).put("count", entry.count())));
            JsonArray countries = new JsonArray();
            stats.countries().top(TOP_N).forEach(entry -> countries.add(new JsonObject()
                    .put("country", entry.key()).put("name", stats.countryName(entry.key()))
                    .put("count", entry.count())));
            JsonArray networks = new JsonArray();
            stats.networks().top(TOP_N).forEach(entry -> networks.add(new JsonObject()
                    .put("network", entry.key()).put("count", entry.count())));
            JsonArray perMinute = new JsonArray();
            for (long count : stats.perMinute().counts(now)) {
                perMinute.add(count);
            }
            json(ctx, 200, new JsonObject()
                    .put("time", now.toString())
                    .put("problems", ApiJson.problems(summary.pipeline()))
                    .put("bans", ApiJson.bans(summary.status().bans()))
                    .put("top_sources", sources)
                    .put("top_countries", countries)
                    .put("top_networks", networks)
                    .put("top_users", users)
                    .put("attacks_per_minute", new JsonObject()
                            .put("start", stats.perMinute().start(now).toString())
                            .put("minutes", stats.perMinute().minutes())
                            .put("counts", perMinute))
                    .put("pipeline", ApiJson.pipeline(summary.pipeline()))
                    .put("firewall", ApiJson.firewall(summary.status()))
                    .put("cluster", summary.cluster().enabled() ? ApiJson.cluster(summary.cluster()) : null));
        });
    }

    private void metrics(RoutingContext ctx) {
        blocking(ctx, this::snapshot).onSuccess(snapshot -> ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, PrometheusText.CONTENT_TYPE)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(ApiMetrics.write(snapshot.status(), snapshot.jails(), snapshot.pipeline(), snapshot.store(), stats,
                        shield == null ? Optional.empty() : shield.lastReading(), snapshot.cluster())));
    }

    // ---- changes ------------------------------------------------------------------------------------------------

    /**
     * {@code POST /api/reload}: the configuration file read again ({@link ServiceView#reload}); 200 with
     * {@code {"reloaded": "…"}}, or 400 with the one-line reason the running configuration is kept.
     */
    private void reload(RoutingContext ctx) {
        view.reload().onComplete(result -> {
            if (result.succeeded()) {
                LOG.atInfo().addKeyValue(LogFields.CLIENT_IP, clientIp(ctx)).log("reload asked through the API");
                json(ctx, 200, new JsonObject().put("reloaded", result.result()));
            } else {
                error(ctx, 400, String.valueOf(result.cause().getMessage()));
            }
        });
    }

    private void shieldStatus(RoutingContext ctx) {
        if (shield == null) {
            error(ctx, 404, "the shield is off in this service (shield.enabled)");
            return;
        }
        shield.status().onSuccess(status -> json(ctx, 200, ShieldJson.of(status)))
                .onFailure(e -> error(ctx, 500, e.getMessage()));
    }

    private void shieldOff(RoutingContext ctx) {
        if (shield == null) {
            error(ctx, 404, "the shield is off in this service (shield.enabled)");
            return;
        }
        shield.off().onSuccess(done -> {
            LOG.atWarn().addKeyValue(LogFields.CLIENT_IP, clientIp(ctx)).log("shield turned off by hand");
            json(ctx, 200, new JsonObject().put("shield", "off"));
        }).onFailure(e -> error(ctx, 500, e.getMessage()));
    }

    // ---- the event bus ------------------------------------------------------------------------------------------

    private void countEvent(Buffer body) {
        try {
            stats.onSecurityEvent(new JsonObject(body), clock.instant());
        } catch (RuntimeException e) {
            LOG.atDebug().addKeyValue(LogFields.ERROR, e.toString()).log("security event not counted by the API");
        }
    }

    private void countDecision(Buffer body) {
        try {
            stats.onDecision(new JsonObject(body), clock.instant());
        } catch (RuntimeException e) {
            LOG.atDebug().addKeyValue(LogFields.ERROR, e.toString()).log("ban decision not counted by the API");
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /** A request's service calls in one snapshot. */
    private record Snapshot(EnforcerStatus status, List<JailStats> jails, PipelineCounts pipeline, StoreStatus store,
                            ClusterStatus cluster) {
    }

    private Snapshot snapshot() {
        return new Snapshot(view.status(), view.jails(), view.pipeline(), view.store(), view.cluster());
    }

    private record Summary(EnforcerStatus status, PipelineCounts pipeline, ClusterStatus cluster) {
    }

    private <T> Future<T> blocking(RoutingContext ctx, Callable<T> call) {
        return ApiReplies.blocking(vertx, ctx, call);
    }
}
