package org.tollgate.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.server.TollgateService;
import org.tollgate.server.config.TollgateConfig;
import org.tollgate.testkit.Waits;

/**
 * config/grafana-dashboard.json loads: it is JSON with panels, and every metric its queries name is one the running
 * service's /metrics serves.
 */
class GrafanaDashboardTest {

    private static final Pattern METRIC = Pattern.compile("\\btollgate_[a-z_]+");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    @TempDir
    Path dir;

    @Test
    void everyMetricTheDashboardQueriesIsServed() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Path.of("../config/grafana-dashboard.json").toFile());
        assertThat(dashboard.path("title").asText()).isEqualTo("Tollgate");
        assertThat(dashboard.path("panels").size()).isGreaterThanOrEqualTo(8);
        Set<String> queried = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(panel.path("targets").size()).as(panel.path("title").asText()).isPositive();
            for (JsonNode target : panel.path("targets")) {
                Matcher metric = METRIC.matcher(target.path("expr").asText());
                while (metric.find()) {
                    queried.add(metric.group());
                }
            }
        }
        assertThat(queried).hasSizeGreaterThan(15);

        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path log = Files.writeString(dir.resolve("full"), "");
        TollgateConfig config = TollgateConfig.parse(InProcessService.followingLog(log, dir.resolve("state.db"),
                dir.resolve("events.jsonl"), 2) + "api:\n  listen: 127.0.0.1:" + port + "\n", "tollgate.yaml");
        TollgateService service = InProcessService.start(config, true);
        try {
            for (int n = 1; n <= 2; n++) {
                Files.writeString(log, "[" + STAMP.format(LocalDateTime.now(ZoneOffset.UTC)) + "] NOTICE[2290] "
                        + "res_pjsip/pjsip_distributor.c: Request 'REGISTER' from '<sip:10" + n + "@203.0.113.5>' "
                        + "failed for '192.0.2.10:5060' (callid: c" + n + ") - Failed to authenticate\n",
                        StandardOpenOption.APPEND);
            }
            HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
            URI metrics = URI.create("http://127.0.0.1:" + port + "/metrics");
            String[] text = {""};
            Waits.eventually(() -> {
                text[0] = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
                assertThat(text[0]).contains("tollgate_ban_lag_seconds_count 1\n");
            });
            for (String name : queried) {
                String family = name.replaceAll("_(bucket|sum|count)$", "");
                assertThat(text[0]).as("/metrics serving %s", name)
                        .containsPattern("(?m)^" + Pattern.quote(name) + "[{ ]|^# TYPE " + Pattern.quote(name) + " ");
                assertThat(text[0]).as("/metrics declaring %s", family).contains("# TYPE " + family + " ");
            }
        } finally {
            service.stop();
        }
    }
}
