package org.tollgate.server.api;

import org.tollgate.server.cluster.ClusterStatus;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.banner.enforce.EnforcerStatus;
import org.tollgate.banner.jail.Ban;
import org.tollgate.banner.jail.JailStats;
import org.tollgate.normalizer.address.IpLiteral;
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
 */
public final class ApiVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(ApiVerticle.class);
    static final int TOP_N = 10;
    static final int BODY_LIMIT = 4_096;
    /** Longest piece of a caller's input echoed in an error. */
    private static final int ECHO_LIMIT = 100;
    private static final Set<String> BAN_KEYS = Set.of("jail", "ip");

    private final ApiSettings settings;
    private final ServiceView view;
    private final Clock clock;
    private final AttackStats stats = new AttackStats();
    private byte[] tokenDigest;
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
            tokenDigest = settings.readToken().map(ApiVerticle::digest).orElse(null);
            warnIfReadableByOthers();
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
                            .addKeyValue(LogFields.TOKEN, tokenDigest != null)
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
        router.get("/api/status").handler(this::requireRead).handler(this::status);
        router.get("/api/bans").handler(this::requireRead).handler(this::bans);
        router.get("/api/summary").handler(this::requireRead).handler(this::summary);
        router.get("/metrics").handler(this::requireRead).handler(this::metrics);
        // The body is read (at most BODY_LIMIT bytes) before the token is checked: vertx-web wants body handling first.
        router.post("/api/bans").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT))
                .handler(this::requireToken).handler(this::ban).failureHandler(this::clientGone);
        router.delete("/api/bans/:ip").handler(this::requireToken).handler(this::unban);
        router.post("/api/reload").handler(this::requireToken).handler(this::reload);
        router.get("/api/shield").handler(this::requireRead).handler(this::shieldStatus);
        router.delete("/api/shield").handler(this::requireToken).handler(this::shieldOff);
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

    // ---- access -------------------------------------------------------------------------------------------------

    /** Reads are open to this host when the API listens on loopback; otherwise they need the token. */
    private void requireRead(RoutingContext ctx) {
        if (settings.loopback() && isLoopback(ctx.request().remoteAddress()) && namesLocalHost(ctx.request().authority())) {
            ctx.next();
            return;
        }
        requireToken(ctx);
    }

    private void requireToken(RoutingContext ctx) {
        if (tokenDigest == null) {
            refuse(ctx, "this request needs the API token, and none is configured: set api.token_file in tollgate.yaml");
            return;
        }
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            refuse(ctx, "this request needs the header 'Authorization: Bearer <token>' (the token is in api.token_file)");
            return;
        }
        if (!MessageDigest.isEqual(tokenDigest, digest(header.substring(7).strip()))) {
            refuse(ctx, "wrong token");
            return;
        }
        ctx.next();
    }

    /**
     * A client that closes or resets its connection while its body is read is nobody to answer, and no fault of the
     * service: said at debug, not as an error with a stack trace a client could fill the log with. Other failures go
     * on to the error handlers.
     */
    private void clientGone(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure instanceof IOException || failure instanceof HttpClosedException) {
            LOG.atDebug().addKeyValue(LogFields.CLIENT_IP, clientIp(ctx)).addKeyValue(LogFields.ERROR, failure.toString())
                    .log("admin API client went away during its request");
            return;
        }
        ctx.next();
    }

    private void refuse(RoutingContext ctx, String message) {
        LOG.atWarn().addKeyValue(LogFields.CLIENT_IP, clientIp(ctx)).addKeyValue(LogFields.METHOD, ctx.request().method().name())
                .addKeyValue(LogFields.PATH, echo(ctx.request().path())).log("admin API request refused: no valid token");
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"tollgate\"");
        error(ctx, 401, message);
    }

    private static boolean isLoopback(SocketAddress peer) {
        if (peer == null || peer.hostAddress() == null) {
            return false;
        }
        String ip = IpLiteral.canonical(peer.hostAddress());
        return ip != null && ApiSettings.isLoopback(ip);
    }

    /** The Host header is an IP literal or localhost: never a name someone else's DNS answers for. */
    private static boolean namesLocalHost(HostAndPort authority) {
        if (authority == null || authority.host() == null) {
            return false;
        }
        String host = authority.host();
        if (host.length() > 2 && host.charAt(0) == '[' && host.charAt(host.length() - 1) == ']') {
            host = host.substring(1, host.length() - 1);
        }
        return host.equalsIgnoreCase("localhost") || IpLiteral.canonical(host) != null;
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

    private void ban(RoutingContext ctx) {
        JsonObject body;
        try {
            body = ctx.body().asJsonObject(BODY_LIMIT);
        } catch (RuntimeException e) {
            body = null;
        }
        if (body == null) {
            error(ctx, 400, "expected a JSON object such as {\"jail\": \"sip-auth\", \"ip\": \"192.0.2.7\"}");
            return;
        }
        for (String key : body.fieldNames()) {
            if (!BAN_KEYS.contains(key)) {
                error(ctx, 400, "unknown key " + echo(key) + "; allowed keys: ip, jail");
                return;
            }
        }
        if (!(body.getValue("jail") instanceof String jail) || jail.isEmpty()) {
            error(ctx, 400, "jail: expected the name of a running jail, was " + echo(body.getValue("jail")));
            return;
        }
        String ip = body.getValue("ip") instanceof String text ? IpLiteral.canonical(text) : null;
        if (ip == null) {
            error(ctx, 400, "ip: expected an IP literal such as 192.0.2.7 or 2001:db8::7, was "
                    + echo(body.getValue("ip")));
            return;
        }
        String unbannable = IpLiteral.unbannable(IpLiteral.toBytes(ip));
        if (unbannable != null) {
            error(ctx, 400, "ip: " + ip + " is " + unbannable + "; it is never banned");
            return;
        }
        answer(ctx, blocking(ctx, () -> view.jails().stream().map(JailStats::jail).toList()).compose(running -> {
            if (!running.contains(jail)) {
                return Future.failedFuture(new ApiError(404, "no running jail is named " + echo(jail) + "; running: "
                        + String.join(", ", running)));
            }
            return view.ban(ip, jail);
        })).onSuccess(ban -> {
            LOG.atInfo().addKeyValue(LogFields.CLIENT_IP, clientIp(ctx)).addKeyValue(LogFields.SOURCE_IP, ban.ip())
                    .addKeyValue(LogFields.JAIL, ban.jail()).addKeyValue(LogFields.BAN_END, ApiJson.text(ban.end()))
                    .log(BanJson.BANNED_BY_HAND);
            json(ctx, 200, new JsonObject().put("banned", ApiJson.decision(ban)));
        });
    }

    /** {@code DELETE /api/bans/IP}: every ban of the address; with {@code ?jail=NAME}, that jail's alone. */
    private void unban(RoutingContext ctx) {
        String raw = ctx.pathParam("ip");
        String ip = raw == null ? null : IpLiteral.canonical(raw);
        if (ip == null) {
            error(ctx, 400, "ip: expected an IP literal such as 192.0.2.7 or 2001:db8::7, was " + echo(raw));
            return;
        }
        String jail = ctx.queryParams().get("jail");
        Future<List<Ban>> lifting = jail == null ? view.unban(ip)
                : blocking(ctx, () -> view.jails().stream().map(JailStats::jail).toList()).compose(running -> {
                    if (!running.contains(jail)) {
                        return Future.failedFuture(new ApiError(404, "no running jail is named " + echo(jail)
                                + "; running: " + String.join(", ", running)));
                    }
                    return view.unban(ip, jail);
                });
        answer(ctx, lifting).onSuccess(lifted -> {
            if (lifted.isEmpty()) {
                error(ctx, 404, ip + (jail == null ? " is not banned in any jail" : " is not banned in jail " + jail));
                return;
            }
            JsonArray out = new JsonArray();
            for (Ban ban : lifted) {
                out.add(ApiJson.decision(ban));
            }
            LOG.atInfo().addKeyValue(LogFields.CLIENT_IP, clientIp(ctx)).addKeyValue(LogFields.SOURCE_IP, ip)
                    .addKeyValue(LogFields.JAILS, lifted.stream().map(Ban::jail).toList())
                    .log(BanJson.UNBANNED_BY_HAND);
            json(ctx, 200, new JsonObject().put("unbanned", out));
        });
    }

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

    /** A refusal decided inside a service call. */
    private static final class ApiError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        ApiError(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    /**
     * Runs {@code call} on a worker (unordered: reads of snapshots and counters); a failure is answered here:
     * {@link ApiError} with its status, {@link IllegalArgumentException} (the banner's refusal) with 400, anything
     * else with 500.
     */
    private <T> Future<T> blocking(RoutingContext ctx, Callable<T> call) {
        return answer(ctx, vertx.executeBlocking(call, false));
    }

    /** Answers a failure of {@code result} as {@link #blocking} does. */
    private static <T> Future<T> answer(RoutingContext ctx, Future<T> result) {
        return result.onFailure(failure -> {
            if (failure instanceof ApiError refused) {
                error(ctx, refused.status, refused.getMessage());
            } else if (failure instanceof IllegalArgumentException refused) {
                error(ctx, 400, refused.getMessage());
            } else {
                ctx.fail(500, failure);
            }
        });
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        HttpServerResponse response = ctx.response();
        if (response.ended()) {
            return;
        }
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .putHeader("X-Content-Type-Options", "nosniff")
                .end(body.encode());
    }

    private static void error(RoutingContext ctx, int status, String message) {
        json(ctx, status, ApiJson.error(message));
    }

    private static String clientIp(RoutingContext ctx) {
        SocketAddress peer = ctx.request().remoteAddress();
        if (peer == null || peer.hostAddress() == null) {
            return null;
        }
        String canonical = IpLiteral.canonical(peer.hostAddress());
        return canonical != null ? canonical : peer.hostAddress();
    }

    /** A caller's value for an error message: quoted, cut short. */
    private static String echo(Object value) {
        if (value == null) {
            return "nothing";
        }
        String text = value.toString();
        if (text.length() > ECHO_LIMIT) {
            text = text.substring(0, ECHO_LIMIT) + "\u2026";
        }
        return value instanceof String ? "'" + text + "'" : text;
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    private void warnIfReadableByOthers() {
        if (settings.tokenFile() == null) {
            return;
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(settings.tokenFile());
            if (permissions.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.atWarn().addKeyValue(LogFields.TOKEN_FILE, settings.tokenFile().toString())
                        .log("the API token file is readable by every user; chmod 600 it");
            }
        } catch (UnsupportedOperationException | java.io.IOException e) {
            // Not a POSIX file system, or the file went away after it was read: nothing to tell.
        }
    }
}
