package org.tollgate.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.server.TollgateService;
import org.tollgate.server.config.TollgateConfig;
import org.tollgate.testkit.Waits;

/**
 * Calls through the running service: the security log and the full log are two sources, and a call read from the
 * full log names the address its endpoint authenticated from in the security log (the sources share one endpoint
 * table); the numbering plan of tollgate.yaml classifies the number, and the fraud jail trips on that class.
 */
class ServiceCallsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    @TempDir
    Path dir;

    private static String now() {
        return STAMP.format(LocalDateTime.now(ZoneOffset.UTC));
    }

    @Test
    void aCallInTheFullLogNamesTheAddressFromTheSecurityLogAndIsClassifiedByTheConfiguredPlan() throws Exception {
        Path security = Files.writeString(dir.resolve("security"), "");
        Path full = Files.writeString(dir.resolve("full"), "");
        Path events = dir.resolve("events.jsonl");
        TollgateConfig file = TollgateConfig.parse("""
                sources:
                  - {type: file, path: %s, zone: UTC}
                  - {type: file, path: %s, zone: UTC}
                state: {path: ':memory:'}
                outputs:
                  - {type: jsonl, path: %s, events: all}
                numbering:
                  prefixes:
                    premium: ["+4470"]
                fraud:
                  office:
                    blocked: [premium]
                """.formatted(security, full, events), "tollgate.yaml");
        TollgateService service = InProcessService.start(file);
        try {
            List<JsonNode> bans = InProcessService.bansPublished(service);
            Files.writeString(security, "[" + now() + "] SECURITY[2290] res_security_log.c: SecurityEvent="
                    + "\"SuccessfulAuth\",EventTV=\"2026-01-20T02:12:58.000+0000\",Severity=\"Informational\","
                    + "Service=\"PJSIP\",EventVersion=\"1\",AccountID=\"1007\",SessionID=\"028954ee@203.0.113.66\","
                    + "LocalAddress=\"IPV4/UDP/192.0.2.5/5060\",RemoteAddress=\"IPV4/UDP/203.0.113.66/5070\","
                    + "UsingPassword=\"1\"\n", StandardOpenOption.APPEND);
            // The full log's call comes after the security log's line was read, as on a live PBX.
            Waits.eventually(() -> assertThat(events(events)).anySatisfy(event ->
                    assertThat(event.at("/source/ip").asText()).isEqualTo("203.0.113.66")));
            Files.writeString(full, "[" + now() + "] VERBOSE[3020][C-00000334] pbx.c: Executing"
                    + " [00447012345678@from-internal:1] Dial(\"PJSIP/1007-00000368\", \"PJSIP/00447012345678@trunk,60,T\")"
                    + " in new stack\n", StandardOpenOption.APPEND);

            Waits.eventually(() -> assertThat(bans).isNotEmpty());
            JsonNode alert = bans.get(0);
            assertThat(alert.at("/event/action").asText()).isEqualTo("fraud-alert");
            assertThat(alert.at("/tollgate/fraud/limit").asText()).isEqualTo("blocked-class");
            assertThat(alert.at("/tollgate/fraud/destination_class").asText()).as("by the configured plan")
                    .isEqualTo("premium");
            assertThat(alert.at("/source/ip").asText()).as("from the security log").isEqualTo("203.0.113.66");
            Waits.eventually(() -> assertThat(events(events)).anySatisfy(event -> {
                assertThat(event.at("/event/action").asText()).isEqualTo("call-started");
                assertThat(event.at("/asterisk/call/destination_class").asText()).isEqualTo("premium");
                assertThat(event.at("/source/ip").asText()).isEqualTo("203.0.113.66");
                assertThat(event.at("/asterisk/source_trusted").asBoolean()).isTrue();
            }));
        } finally {
            service.stop();
        }
    }

    private static String premiumCall(String endpoint, String channel) {
        return "[" + now() + "] VERBOSE[3020][C-00000334] pbx.c: Executing [0900123456@from-internal:1] Dial(\"PJSIP/"
                + endpoint + "-" + channel + "\", \"PJSIP/0900123456@trunk,60,T\") in new stack\n";
    }

    /**
     * What a fraud jail learned is kept in the state database: after a restart, an endpoint that called a premium
     * number before is not taken for one calling that class for the first time; one that never did still is.
     */
    @Test
    void theClassesAnEndpointCalledAreKeptAcrossARestart() throws Exception {
        Path full = Files.writeString(dir.resolve("full"), "");
        TollgateConfig file = TollgateConfig.parse("""
                sources:
                  - {type: file, path: %s, zone: UTC}
                state: {path: %s}
                fraud:
                  office:
                    blocked: [premium]
                """.formatted(full, dir.resolve("state.db")), "tollgate.yaml");
        TollgateService service = InProcessService.start(file);
        try {
            List<JsonNode> bans = InProcessService.bansPublished(service);
            Files.writeString(full, premiumCall("1007", "00000001"), StandardOpenOption.APPEND);
            Waits.eventually(() -> assertThat(bans).singleElement().satisfies(alert ->
                    assertThat(alert.at("/user/name").asText()).isEqualTo("PJSIP/1007")));
        } finally {
            service.stop();
        }

        TollgateService again = InProcessService.start(file);
        try {
            List<JsonNode> bans = InProcessService.bansPublished(again);
            Files.writeString(full, premiumCall("1007", "00000003") + premiumCall("1008", "00000005"),
                    StandardOpenOption.APPEND);
            // 1008's call is read after 1007's: once its alert is out, 1007's call was counted without one.
            Waits.eventually(() -> assertThat(bans).isNotEmpty());
            assertThat(bans).singleElement().satisfies(alert -> {
                assertThat(alert.at("/user/name").asText()).isEqualTo("PJSIP/1008");
                assertThat(alert.at("/tollgate/fraud/limit").asText()).isEqualTo("blocked-class");
            });
        } finally {
            again.stop();
        }
    }

    private static List<JsonNode> events(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        return Files.readAllLines(file).stream().filter(line -> !line.isBlank()).map(line -> {
            try {
                return JSON.readTree(line);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }
}
