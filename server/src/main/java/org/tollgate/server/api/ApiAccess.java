package org.tollgate.server.api;

import static org.tollgate.server.api.ApiReplies.clientIp;
import static org.tollgate.server.api.ApiReplies.echo;
import static org.tollgate.server.api.ApiReplies.error;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.normalizer.address.IpLiteral;
import org.tollgate.server.LogFields;
import org.tollgate.server.config.ApiSettings;

/**
 * Who may call the admin API: every change needs {@code Authorization: Bearer <token>}; reads need it too unless the
 * API listens on loopback and the request comes from loopback naming a local host (a page on another site that
 * re-points its own name at 127.0.0.1 to read the answers gets a 401).
 */
final class ApiAccess {

    private static final Logger LOG = LoggerFactory.getLogger(ApiAccess.class);

    private final ApiSettings settings;
    /** The token's SHA-256 (compared in constant time), or null when none is configured. */
    private final byte[] tokenDigest;

    /** Reads the token file (blocking: on a worker) and warns when others may read it. */
    static ApiAccess load(ApiSettings settings) {
        ApiAccess access = new ApiAccess(settings, settings.readToken().map(ApiAccess::digest).orElse(null));
        access.warnIfReadableByOthers();
        return access;
    }

    private ApiAccess(ApiSettings settings, byte[] tokenDigest) {
        this.settings = settings;
        this.tokenDigest = tokenDigest;
    }

    boolean hasToken() {
        return tokenDigest != null;
    }

    /** Reads are open to this host when the API listens on loopback; otherwise they need the token. */
    void requireRead(RoutingContext ctx) {
        if (settings.loopback() && isLoopback(ctx.request().remoteAddress()) && namesLocalHost(ctx.request().authority())) {
            ctx.next();
            return;
        }
        requireToken(ctx);
    }

    void requireToken(RoutingContext ctx) {
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

    private static void refuse(RoutingContext ctx, String message) {
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
        } catch (UnsupportedOperationException | IOException e) {
            // Not a POSIX file system, or the file went away after it was read: nothing to tell.
        }
    }
}
