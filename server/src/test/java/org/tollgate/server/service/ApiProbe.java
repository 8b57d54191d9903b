package org.tollgate.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.tollgate.testkit.Waits;

/** Reads a running service's admin API on loopback (no token): {@code /api/status} and {@code /metrics}. */
final class ApiProbe {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
    private final URI base;

    ApiProbe(int port) {
        this.base = URI.create("http://127.0.0.1:" + port + "/");
    }

    /** GETs {@code path} (relative: {@code api/status}); asserts a 200 and returns the body. */
    String get(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve(path))
                    .timeout(Waits.PATIENCE).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET /%s", path).isEqualTo(200);
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode status() {
        try {
            return JSON.readTree(get("api/status"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The status's problems, one sentence each. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        status().path("problems").forEach(problem -> problems.add(problem.asText()));
        return problems;
    }

    /** The status's bans in force. */
    List<JsonNode> bans() {
        List<JsonNode> bans = new ArrayList<>();
        status().path("bans").forEach(bans::add);
        return bans;
    }

    /** Whether a ban of {@code ip} is in force. */
    boolean banned(String ip) {
        return bans().stream().anyMatch(ban -> ban.path("ip").asText().equals(ip));
    }

    /** A sample without labels from {@code /metrics}. */
    long metric(String name) {
        for (String line : get("metrics").split("\n")) {
            if (line.startsWith(name + " ")) {
                return (long) Double.parseDouble(line.substring(name.length() + 1).strip());
            }
        }
        throw new AssertionError(name + " missing from /metrics");
    }
}
