package org.tollgate.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tollgate replay} with a fraud jail over a busy office's day and the night a leaked password was used (the
 * banner's test logs and CDRs, src/test/resources/fraud there): one alert, for the compromised extension, at its
 * first call outside office hours, and nothing for the office.
 */
class FraudReplayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The fraud logs live with the fraud jail's own tests. */
    private static final Path DIR = Path.of("../banner/src/test/resources/fraud");
    private static final String SOURCES = "sources:\n  - {type: file, path: /var/log/asterisk/full}\n";

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @Test
    void theReplayedDayAlertsOnceForTheCompromisedExtensionOnly() throws Exception {
        Path config = DIR.resolve("office.yaml");

        List<JsonNode> alerts = replay(config, "--json", DIR.resolve("busy-office.log").toString(),
                DIR.resolve("compromised-extension.log").toString());

        assertThat(alerts).hasSize(1);
        JsonNode alert = alerts.get(0);
        assertThat(alert.at("/event/kind").asText()).isEqualTo("alert");
        assertThat(alert.at("/event/action").asText()).isEqualTo("fraud-alert");
        assertThat(alert.at("/user/name").asText()).isEqualTo("PJSIP/1007");
        assertThat(alert.at("/source/ip").asText()).isEqualTo("203.0.113.66");
        assertThat(alert.at("/tollgate/fraud/limit").asText()).isEqualTo("outside-hours");
        assertThat(alert.at("/@timestamp").asText()).isEqualTo("2026-01-20T02:13:00Z");
        // 306 office calls (its one emergency call is never counted) and the 20 of the burst.
        assertThat(console.stderr()).contains("office           326 calls counted, 1 alerts");
    }

    @Test
    void aCallLimitAloneTripsAtTheSixthCallOfTheBurstFromTheCdrsToo(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("tollgate.yaml");
        Files.writeString(config, SOURCES + "fraud:\n  burst:\n    calls: {max: 5, window: 10m}\n");

        List<JsonNode> alerts = replay(config, "--json", DIR.resolve("compromised-extension.Master.csv").toString());

        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).at("/tollgate/fraud/count").asInt()).isEqualTo(6);
        assertThat(alerts.get(0).at("/tollgate/fraud/number").asText()).isEqualTo("+972592345005");
    }

    @Test
    void theTableSaysWhichLimitAndWhy() throws Exception {
        Path config = DIR.resolve("office.yaml");

        replay(config, null, DIR.resolve("compromised-extension.log").toString());

        assertThat(console.stdout()).contains("office", "outside-hours", "PJSIP/1007", "203.0.113.66",
                "call to international at 02:13, outside 07:00-20:00");
    }

    private List<JsonNode> replay(Path config, String json, String... logs) throws Exception {
        List<String> args = new ArrayList<>(List.of("replay", "--zone", "UTC", "--config", config.toString()));
        if (json != null) {
            args.add(json);
        }
        args.addAll(List.of(logs));
        int exit = TollgateCommand.execute(args.toArray(String[]::new));
        assertThat(exit).as(console.stderr()).isZero();
        List<JsonNode> alerts = new ArrayList<>();
        if (json != null) {
            for (String line : console.stdout().split("\n")) {
                if (!line.isBlank()) {
                    alerts.add(JSON.readTree(line));
                }
            }
        }
        return alerts;
    }
}
