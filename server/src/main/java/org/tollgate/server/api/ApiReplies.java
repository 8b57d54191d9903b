package org.tollgate.server.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Callable;
import org.tollgate.normalizer.address.IpLiteral;

/** How the admin API answers: JSON bodies, errors as {@code {"error": "..."}}, service calls on a worker. */
final class ApiReplies {

    /** Longest piece of a caller's input echoed in an error. */
    private static final int ECHO_LIMIT = 100;

    private ApiReplies() {
    }

    /** A refusal decided inside a service call. */
    static final class ApiError extends RuntimeException {
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
    static <T> Future<T> blocking(Vertx vertx, RoutingContext ctx, Callable<T> call) {
        return answer(ctx, vertx.executeBlocking(call, false));
    }

    /** Answers a failure of {@code result} as {@link #blocking} does. */
    static <T> Future<T> answer(RoutingContext ctx, Future<T> result) {
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

    static void json(RoutingContext ctx, int status, JsonObject body) {
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

    static void error(RoutingContext ctx, int status, String message) {
        json(ctx, status, ApiJson.error(message));
    }

    static String clientIp(RoutingContext ctx) {
        SocketAddress peer = ctx.request().remoteAddress();
        if (peer == null || peer.hostAddress() == null) {
            return null;
        }
        String canonical = IpLiteral.canonical(peer.hostAddress());
        return canonical != null ? canonical : peer.hostAddress();
    }

    /** A caller's value for an error message: quoted, cut short. */
    static String echo(Object value) {
        if (value == null) {
            return "nothing";
        }
        String text = value.toString();
        if (text.length() > ECHO_LIMIT) {
            text = text.substring(0, ECHO_LIMIT) + "\u2026";
        }
        return value instanceof String ? "'" + text + "'" : text;
    }
}
