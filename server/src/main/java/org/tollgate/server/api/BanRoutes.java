package org.tollgate.server.api;

import static org.tollgate.server.api.ApiReplies.answer;
import static org.tollgate.server.api.ApiReplies.blocking;
import static org.tollgate.server.api.ApiReplies.clientIp;
import static org.tollgate.server.api.ApiReplies.echo;
import static org.tollgate.server.api.ApiReplies.error;
import static org.tollgate.server.api.ApiReplies.json;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.banner.jail.Ban;
import org.tollgate.banner.jail.JailStats;
import org.tollgate.normalizer.address.IpLiteral;
import org.tollgate.server.LogFields;
import org.tollgate.server.ban.BanJson;

/**
 * Bans and lifts by hand: {@code POST /api/bans} and {@code DELETE /api/bans/{ip}}. Every address is parsed strictly
 * as an IP literal here, before anything reaches the banner; an address never banned (loopback, multicast, ...) is a
 * 400. The banner makes the change ({@link ServiceView#ban}) and publishes it.
 */
final class BanRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(BanRoutes.class);
    private static final Set<String> BAN_KEYS = Set.of("jail", "ip");

    private final Vertx vertx;
    private final ServiceView view;

    BanRoutes(Vertx vertx, ServiceView view) {
        this.vertx = vertx;
        this.view = view;
    }

    /** {@code POST /api/bans} with {@code {"jail": "sip-auth", "ip": "192.0.2.7"}}. */
    void ban(RoutingContext ctx) {
        JsonObject body;
        try {
            body = ctx.body().asJsonObject(ApiVerticle.BODY_LIMIT);
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
        answer(ctx, inRunningJail(ctx, jail, () -> view.ban(ip, jail))).onSuccess(ban -> {
            LOG.atInfo().addKeyValue(LogFields.CLIENT_IP, clientIp(ctx)).addKeyValue(LogFields.SOURCE_IP, ban.ip())
                    .addKeyValue(LogFields.JAIL, ban.jail()).addKeyValue(LogFields.BAN_END, ApiJson.text(ban.end()))
                    .log(BanJson.BANNED_BY_HAND);
            json(ctx, 200, new JsonObject().put("banned", ApiJson.decision(ban)));
        });
    }

    /** {@code DELETE /api/bans/IP}: every ban of the address; with {@code ?jail=NAME}, that jail's alone. */
    void unban(RoutingContext ctx) {
        String raw = ctx.pathParam("ip");
        String ip = raw == null ? null : IpLiteral.canonical(raw);
        if (ip == null) {
            error(ctx, 400, "ip: expected an IP literal such as 192.0.2.7 or 2001:db8::7, was " + echo(raw));
            return;
        }
        String jail = ctx.queryParams().get("jail");
        Future<List<Ban>> lifting = jail == null ? view.unban(ip) : inRunningJail(ctx, jail, () -> view.unban(ip, jail));
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

    /** {@code change} once {@code jail} is known to run here; a 404 naming the running jails otherwise. */
    private <T> Future<T> inRunningJail(RoutingContext ctx, String jail, Supplier<Future<T>> change) {
        return blocking(vertx, ctx, () -> view.jails().stream().map(JailStats::jail).toList()).compose(running -> {
            if (!running.contains(jail)) {
                return Future.failedFuture(new ApiReplies.ApiError(404, "no running jail is named " + echo(jail)
                        + "; running: " + String.join(", ", running)));
            }
            return change.get();
        });
    }
}
