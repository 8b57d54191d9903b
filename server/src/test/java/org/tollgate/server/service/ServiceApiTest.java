package org.tollgate.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.server.config.TollgateConfig;
import org.tollgate.server.TollgateService;
import org.tollgate.testkit.TollgateYaml;
import org.tollgate.testkit.Waits;

/** The admin API inside the running service: a real enforcer, jails and pipeline behind it. */
class ServiceApiTest {

    private static final String TOKEN = "service-token-0123456789";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void bansMadeByTheJailsAndByHandShowWithTheirActionsAndUnbanLiftsThem() throws Exception {
        Path log = dir.resolve("full");
        Path token = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        int port = InProcessService.freeLoopbackPort();
        Files.writeString(log, "");
        TollgateConfig file = TollgateConfig.parse(TollgateYaml.following(log).stateInMemory()
                .jsonl(dir.resolve("events.jsonl"), null).api(port, token).sipAuth(3)
                .jail("ami", "match: [ami-login-failed]", "bantime: 1d", "ignoreself: false", "actions:",
                        "  - type: log").text(), "tollgate.yaml");
        TollgateService service = InProcessService.start(file, true);
        URI base = URI.create("http://127.0.0.1:" + port + "/");
        try {
            for (int n = 1; n <= 3; n++) {
                Files.writeString(log, "[" + STAMP.format(LocalDateTime.now(ZoneOffset.UTC)) + "] NOTICE[2290] "
                        + "res_pjsip/pjsip_distributor.c: Request 'REGISTER' from '<sip:10" + n + "@203.0.113.5>' "
                        + "failed for '192.0.2.10:5060' (callid: c" + n + ") - Failed to authenticate\n",
                        StandardOpenOption.APPEND);
            }
            service.awaitDrained(10_000);
            HttpResponse<String> banned = send(HttpRequest.newBuilder(base.resolve("api/bans"))
                    .header("Authorization", "Bearer " + TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"jail\": \"ami\", \"ip\": \"2001:db8::66\"}")));
            assertThat(banned.statusCode()).as(banned.body()).isEqualTo(200);

            JsonObject status = new JsonObject(eventuallyTwoBans(base));
            JsonArray bans = status.getJsonArray("bans");
            assertThat(bans.stream().map(b -> ((JsonObject) b).getString("ip"))).containsExactly("192.0.2.10", "2001:db8::66");
            JsonObject action = bans.getJsonObject(0).getJsonArray("actions").getJsonObject(0);
            assertThat(action.getString("action")).isEqualTo("log");
            assertThat(action.getString("state")).isEqualTo("applied");
            assertThat(status.getJsonObject("pipeline").getLong("lines_read")).isEqualTo(3);
            assertThat(status.getJsonObject("pipeline").getJsonObject("outputs_dropped").getLong("jsonl[0]")).isZero();
            assertThat(status.getJsonArray("jails").getJsonObject(0).getLong("counted")).isEqualTo(3);

            String metrics = send(HttpRequest.newBuilder(base.resolve("metrics"))).body();
            assertThat(metrics).contains("tollgate_lines_read_total 3\n")
                    .contains("tollgate_security_events_total{action=\"auth-failed\"} 3\n")
                    .contains("tollgate_bans_active{jail=\"ami\"} 1\n")
                    .contains("tollgate_ban_lag_seconds_count 1\n")
                    .contains("tollgate_queue_depth{queue=\"jsonl[0]\"} 0\n")
                    .contains("tollgate_output_dropped_total{output=\"jsonl[0]\"} 0\n");

            HttpResponse<String> lifted = send(HttpRequest.newBuilder(base.resolve("api/bans/192.0.2.10"))
                    .header("Authorization", "Bearer " + TOKEN).DELETE());
            assertThat(lifted.statusCode()).as(lifted.body()).isEqualTo(200);
            JsonArray left = new JsonObject(send(HttpRequest.newBuilder(base.resolve("api/bans"))).body())
                    .getJsonArray("bans");
            assertThat(left.stream().map(b -> ((JsonObject) b).getString("ip"))).containsExactly("2001:db8::66");

            // set JAIL unbanip: the ban of that jail alone; without a jail, every jail's.
            for (String jail : new String[] {"sip-auth", "ami"}) {
                assertThat(send(HttpRequest.newBuilder(base.resolve("api/bans")).header("Authorization", "Bearer " + TOKEN)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"jail\": \"" + jail + "\", \"ip\": \"198.51.100.9\"}")))
                        .statusCode()).isEqualTo(200);
            }
            HttpResponse<String> inAmi = send(HttpRequest.newBuilder(base.resolve("api/bans/198.51.100.9?jail=ami"))
                    .header("Authorization", "Bearer " + TOKEN).DELETE());
            assertThat(inAmi.statusCode()).as(inAmi.body()).isEqualTo(200);
            assertThat(new JsonObject(inAmi.body()).getJsonArray("unbanned").stream()
                    .map(b -> ((JsonObject) b).getString("jail"))).containsExactly("ami");
            assertThat(bansOf(base, "198.51.100.9")).containsExactly("sip-auth");
            HttpResponse<String> again = send(HttpRequest.newBuilder(base.resolve("api/bans/198.51.100.9?jail=ami"))
                    .header("Authorization", "Bearer " + TOKEN).DELETE());
            assertThat(again.statusCode()).isEqualTo(404);
            assertThat(again.body()).contains("198.51.100.9 is not banned in jail ami");
            HttpResponse<String> noJail = send(HttpRequest.newBuilder(base.resolve("api/bans/198.51.100.9?jail=nope"))
                    .header("Authorization", "Bearer " + TOKEN).DELETE());
            assertThat(noJail.statusCode()).isEqualTo(404);
            assertThat(noJail.body()).contains("no running jail is named 'nope'");
            assertThat(send(HttpRequest.newBuilder(base.resolve("api/bans/198.51.100.9"))
                    .header("Authorization", "Bearer " + TOKEN).DELETE()).statusCode()).isEqualTo(200);
            assertThat(bansOf(base, "198.51.100.9")).isEmpty();
        } finally {
            service.stop();
        }
    }

    /** The jails holding a ban of {@code ip} now. */
    private java.util.List<String> bansOf(URI base, String ip) throws Exception {
        return new JsonObject(send(HttpRequest.newBuilder(base.resolve("api/bans"))).body()).getJsonArray("bans").stream()
                .map(b -> (JsonObject) b).filter(b -> b.getString("ip").equals(ip)).map(b -> b.getString("jail")).toList();
    }

    /** The jail's ban is published after the firewall call; the ban lag metric needs it too. */
    private String eventuallyTwoBans(URI base) throws Exception {
        String[] body = new String[1];
        Waits.eventually(() -> {
            body[0] = send(HttpRequest.newBuilder(base.resolve("api/status"))).body();
            String metrics = send(HttpRequest.newBuilder(base.resolve("metrics"))).body();
            assertThat(new JsonObject(body[0]).getJsonArray("bans")).as(body[0]).hasSize(2);
            assertThat(metrics).contains("tollgate_ban_lag_seconds_count 1\n");
        });
        return body[0];
    }
}
