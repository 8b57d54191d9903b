package org.tollgate.server.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.testkit.Waits;

/** The webhook action against an HTTP server started here: the ban as JSON, the token, retries, a refusal. */
class WebhookAlertTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "a-webhook-token-for-tests";

    @TempDir
    Path dir;

    private Vertx vertx;
    private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
    private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() throws Exception {
        Waits.result(vertx.close().toCompletionStage());
    }

    /** A server that answers {@code status} to the first {@code failing} requests, then 204. */
    private int server(int failing, int status) throws Exception {
        HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            int n = requests.incrementAndGet();
            if (n <= failing) {
                request.response().setStatusCode(status).end();
                return;
            }
            bodies.add(body.toString());
            authorizations.add(request.getHeader("Authorization"));
            request.response().setStatusCode(204).end();
        }));
        return Waits.result(server.listen(0, "127.0.0.1").toCompletionStage()).actualPort();
    }

    private AlertsVerticle deploy(int port, int retries) throws Exception {
        Path token = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        return AlertFixtures.deploy(vertx, AlertFixtures.alerts("""
                      - type: webhook
                        url: http://127.0.0.1:%d/hooks/tollgate
                        token_file: %s
                        retries: %d
                """.formatted(port, token, retries)));
    }

    @Test
    void aBanIsPostedAsTheJsonOfTollgateBansWithItsToken() throws Exception {
        AlertsVerticle alerts = deploy(server(0, 0), 3);

        AlertFixtures.publish(vertx, "192.0.2.44");

        Waits.eventually(() -> assertThat(bodies).hasSize(1));
        JsonNode ban = JSON.readTree(bodies.get(0));
        assertThat(ban.at("/source/ip").asText()).isEqualTo("192.0.2.44");
        assertThat(ban.at("/tollgate/jail").asText()).isEqualTo("sip-auth");
        assertThat(authorizations).containsExactly("Bearer " + TOKEN);
        Waits.eventually(() -> assertThat(alerts.counters().get(0).sent()).isEqualTo(1));
        assertThat(alerts.counters().get(0).action()).doesNotContain(TOKEN);
    }

    @Test
    void aFraudJailsAlertIsPostedAsTheJsonOfTollgateBans() throws Exception {
        int port = server(0, 0);
        AlertsVerticle alerts = AlertFixtures.deploy(vertx, AlertFixtures.fraudAlerts("""
                      - type: webhook
                        url: http://127.0.0.1:%d/hook
                """.formatted(port)));

        AlertFixtures.publishFraud(vertx);

        Waits.eventually(() -> assertThat(bodies).hasSize(1));
        JsonNode alert = JSON.readTree(bodies.get(0));
        assertThat(alert.at("/event/action").asText()).isEqualTo("fraud-alert");
        assertThat(alert.at("/tollgate/jail").asText()).isEqualTo("office");
        assertThat(alert.at("/user/name").asText()).isEqualTo("PJSIP/1007");
        assertThat(alert.at("/tollgate/fraud/number").asText()).isEqualTo("+88216123456");
        Waits.eventually(() -> assertThat(alerts.counters().get(0).sent()).isEqualTo(1));
    }

    @Test
    void aServerErrorIsTriedAgainUntilItIsTaken() throws Exception {
        AlertsVerticle alerts = deploy(server(2, 503), 3);

        AlertFixtures.publish(vertx, "198.51.100.44");

        Waits.eventually(() -> assertThat(bodies).hasSize(1));
        Waits.eventually(() -> assertThat(alerts.counters().get(0).sent()).isEqualTo(1));
        assertThat(alerts.counters().get(0).failed()).isEqualTo(2);
        assertThat(requests.get()).isEqualTo(3);
    }

    @Test
    void aRefusalIsFinalAndTheBanIsCountedAsDropped() throws Exception {
        AlertsVerticle alerts = deploy(server(1, 403), 3);

        AlertFixtures.publish(vertx, "203.0.113.44");
        Waits.eventually(() -> assertThat(alerts.counters().get(0).dropped()).isEqualTo(1));
        AlertFixtures.publish(vertx, "203.0.113.45");

        Waits.eventually(() -> assertThat(bodies).hasSize(1));
        assertThat(JSON.readTree(bodies.get(0)).at("/source/ip").asText()).isEqualTo("203.0.113.45");
        assertThat(requests.get()).as("a 403 is not tried again").isEqualTo(2);
    }
}
