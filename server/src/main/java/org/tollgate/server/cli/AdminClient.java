package org.tollgate.server.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.tollgate.banner.config.ConfigException;
import org.tollgate.server.config.TollgateConfig;
import org.tollgate.server.config.ApiSettings;

/**
 * The admin API as the {@code status}, {@code bans}, {@code ban} and {@code unban} commands use it: the address and
 * token come from tollgate.yaml's {@code api} section, requests go over {@link HttpClient} with no proxy, and every
 * failure becomes a one-line message and an exit code.
 */
final class AdminClient {

    static final int OK = 0;
    /** The configuration is invalid, or the service refused the request. */
    static final int REFUSED = 1;
    /** The service could not be reached. */
    static final int UNREACHABLE = 2;

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** A ban waits for the firewall tools, each bounded by the runner's timeout. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    /** What the service answered: the status and the JSON body. */
    record Reply(int status, JsonObject body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        String error() {
            String error = body == null ? null : body.getString("error");
            return error != null ? error : "HTTP " + status;
        }
    }

    /** A failure already told to the user; carries the exit code. */
    static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;
        final int exitCode;

        Failed(int exitCode, String message) {
            super(message, null, false, false);
            this.exitCode = exitCode;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
            .proxy(HttpClient.Builder.NO_PROXY).followRedirects(HttpClient.Redirect.NEVER).build();
    private final URI base;
    private final String token;
    private final String tokenProblem;

    private AdminClient(URI base, String token, String tokenProblem) {
        this.base = base;
        this.token = token;
        this.tokenProblem = tokenProblem;
    }

    /**
     * Reads the {@code api} section of {@code config} and the token, if one is configured and readable.
     *
     * @throws Failed when the configuration cannot be read or is invalid
     */
    static AdminClient fromConfig(Path config) throws Failed {
        ApiSettings api;
        try {
            api = TollgateConfig.load(config).api();
        } catch (ConfigException e) {
            throw new Failed(REFUSED, e.getMessage());
        }
        String token = null;
        String problem = null;
        try {
            token = api.readToken().orElse(null);
            if (token == null) {
                problem = config + " sets no api.token_file, so the service takes no changes";
            }
        } catch (ConfigException e) {
            // Reads from this host may still work without it; the message is kept for a 401.
            problem = e.getMessage();
        }
        return new AdminClient(URI.create("http://" + connectAddress(api) + "/"), token, problem);
    }

    /** Where to connect: the listen address, or loopback when the service listens on every address. */
    static String connectAddress(ApiSettings api) {
        String host = switch (api.host()) {
            case "0.0.0.0" -> "127.0.0.1";
            case "::" -> "::1";
            default -> api.host();
        };
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + api.port();
    }

    Reply get(String path) throws Failed {
        return send(request(path).GET(), false);
    }

    Reply post(String path, JsonObject body) throws Failed {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode(), StandardCharsets.UTF_8)), true);
    }

    Reply delete(String path) throws Failed {
        return send(request(path).DELETE(), true);
    }

    /** One path segment, percent-encoded. */
    static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code reply} when it is a success, else a failure naming the service's error. */
    Reply require(Reply reply) throws Failed {
        if (reply.ok()) {
            return reply;
        }
        String message = reply.error();
        if (reply.status() == 401 && tokenProblem != null) {
            message += " (" + tokenProblem + ")";
        }
        throw new Failed(REFUSED, message);
    }

    static int fail(PrintStream err, String command, Failed failure) {
        err.println("tollgate " + command + ": " + failure.getMessage());
        return failure.exitCode;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    private Reply send(HttpRequest.Builder request, boolean change) throws Failed {
        if (change && token == null) {
            throw new Failed(REFUSED, "changes need the API token: " + tokenProblem);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            throw new Failed(UNREACHABLE, "cannot connect to " + base + " (is tollgate running? see api.listen)");
        } catch (HttpTimeoutException e) {
            throw new Failed(UNREACHABLE, base + " did not answer in time");
        } catch (IOException e) {
            throw new Failed(UNREACHABLE, "cannot talk to " + base + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed(UNREACHABLE, "interrupted");
        }
        JsonObject body;
        try {
            body = response.body().isEmpty() ? null : new JsonObject(response.body());
        } catch (DecodeException | ClassCastException e) {
            body = null;
        }
        return new Reply(response.statusCode(), body);
    }
}
