package org.tollgate.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.tollgate.banner.config.ConfigMap;
import org.tollgate.banner.config.ConfigScalar;

/**
 * The {@code webhook} alert action: each ban POSTed as JSON (the object published on {@code tollgate.bans}) to a
 * chat or ticket system, retried with backoff.
 *
 * <pre>
 * - type: webhook
 *   url: https://chat.example.org/hooks/tollgate
 *   token_file: /etc/tollgate/webhook-token   # sent as Authorization: Bearer, never logged
 *   tls_ca: /etc/tollgate/chat-ca.pem
 *   retries: 5                                # tries after the first, 1 s doubling to 5 min apart
 *   timeout: 10s                              # for each request
 *   queue: 1000                               # bans waiting at most; past it they are dropped and counted
 * </pre>
 *
 * @param url       where to POST; never logged whole (a chat webhook's path is its secret), only its scheme and host
 * @param tokenFile the file holding a bearer token, or null
 * @param tlsCa     PEM CA certificates to trust instead of the JVM's, or null
 * @param retries   tries after the first failed one
 * @param timeout   the limit of each request
 * @param queue     bans waiting at most
 * @param file      the configuration file, for messages
 * @param line      the entry's line, for messages
 */
public record WebhookSettings(URI url, Path tokenFile, Path tlsCa, int retries, Duration timeout, int queue,
                              String file, int line) implements AlertSettings {

    public static final String TYPE = "webhook";
    public static final List<String> KEYS = List.of("type", "url", "token_file", "tls_ca", "retries", "timeout",
            "queue");
    public static final int DEFAULT_RETRIES = 5;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_QUEUE = 1000;

    @Override
    public String type() {
        return TYPE;
    }

    static WebhookSettings read(ConfigMap map) {
        map.allowOnly(KEYS);
        ConfigScalar urlNode = map.require("url").asScalar();
        URI url = url(urlNode);
        Path tokenFile = null;
        if (map.has("token_file")) {
            ConfigScalar node = map.require("token_file").asScalar();
            tokenFile = Path.of(node.asString());
            String token = SecretFile.read(tokenFile, node.path(), node.file(), node.line());
            if (token.isEmpty() || token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
                throw node.error("the token in '" + tokenFile + "' must be printable ASCII without spaces: it travels"
                        + " in an HTTP header");
            }
        }
        Path ca = null;
        if (map.has("tls_ca")) {
            ConfigScalar node = map.require("tls_ca").asScalar();
            if (!url.getScheme().equals("https")) {
                throw node.error("applies to an https url only");
            }
            ca = OutputsSection.pemCertificates(node);
        }
        int retries = map.get("retries").map(n -> n.asScalar().asInt(0, 20)).orElse(DEFAULT_RETRIES);
        Duration timeout = map.get("timeout").map(n -> {
            Duration value = n.asScalar().asDuration(false);
            if (value.compareTo(Duration.ofSeconds(1)) < 0) {
                throw n.error("expected at least 1s, was " + n.describe());
            }
            return value;
        }).orElse(DEFAULT_TIMEOUT);
        int queue = map.get("queue").map(n -> n.asScalar().asInt(1, MailSettings.MAX_QUEUE)).orElse(DEFAULT_QUEUE);
        return new WebhookSettings(url, tokenFile, ca, retries, timeout, queue, map.file(), map.line());
    }

    private static URI url(ConfigScalar node) {
        String text = node.asString().strip();
        try {
            URI url = new URI(text);
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && url.getHost() != null && url.getUserInfo() == null
                    && url.getFragment() == null) {
                return url;
            }
        } catch (URISyntaxException e) {
            // Said below, without echoing the value: a webhook's URL is often its secret.
        }
        throw node.error("expected an http:// or https:// URL with a host, such as https://chat.example.org/hooks/x,"
                + " without user:password@ (use token_file)");
    }

    /** The bearer token, read now from {@link #tokenFile}, or null; never logged. */
    public String token() {
        return tokenFile == null ? null : SecretFile.read(tokenFile, "token_file", file, line);
    }

    /** For logs: the scheme and host only. */
    @Override
    public String toString() {
        return "webhook to " + url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
    }
}
