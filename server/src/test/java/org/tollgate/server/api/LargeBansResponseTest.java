package org.tollgate.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.tollgate.server.config.ApiSettings;
import org.tollgate.testkit.Waits;

/**
 * {@code GET /api/bans} with some 3 MB of bans reaches the JDK's own HTTP client whole, over HTTP/2 (the client's
 * default: cleartext, by upgrade from HTTP/1.1) and over HTTP/1.1: no frame-size error, every ban in the answer.
 */
class LargeBansResponseTest {

    private static final int BANS = 15_000;

    @Test
    void fifteenThousandBansArriveWholeOverHttp2AndHttp11() throws Exception {
        Clock clock = Clock.systemUTC();
        FakeServiceView view = new FakeServiceView(clock, "sip-auth");
        for (int i = 0; i < BANS; i++) {
            view.withBan("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), "sip-auth",
                    Duration.ofMinutes(1));
        }
        Vertx vertx = Vertx.vertx();
        try {
            ApiVerticle api = new ApiVerticle(new ApiSettings("127.0.0.1", 0, null, "tollgate.yaml", 3), view, clock);
            Waits.result(vertx.deployVerticle(api).toCompletionStage());
            URI uri = URI.create("http://127.0.0.1:" + api.actualPort() + "/api/bans");
            for (HttpClient.Version version : HttpClient.Version.values()) {
                HttpClient http = HttpClient.newBuilder().version(version).proxy(HttpClient.Builder.NO_PROXY).build();
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Waits.PATIENCE).build(),
                        HttpResponse.BodyHandlers.ofString());
                System.out.printf("GET /api/bans asked as %s: answered as %s, %,d bytes%n", version,
                        response.version(), response.body().length());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.version()).isEqualTo(version);
                assertThat(response.body().length()).as("about 3 MB").isGreaterThan(2_000_000);
                assertThat(new JsonObject(response.body()).getJsonArray("bans")).hasSize(BANS);
            }
        } finally {
            Waits.result(vertx.close().toCompletionStage());
        }
    }
}
