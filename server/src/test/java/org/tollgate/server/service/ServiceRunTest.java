package org.tollgate.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.server.config.TollgateConfig;
import org.tollgate.server.TollgateService;
import org.tollgate.testkit.Waits;

/** The whole pipeline in one process: a log file -> events on the bus and in the output -> a ban; then a restart. */
class ServiceRunTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    @TempDir
    Path dir;

    private static String failure(String ip, int n) {
        String stamp = STAMP.format(LocalDateTime.now(ZoneOffset.UTC));
        return "[" + stamp + "] NOTICE[2290] res_pjsip/pjsip_distributor.c: Request 'REGISTER' from '<sip:10" + n
                + "@203.0.113.5>' failed for '" + ip + ":5060' (callid: c" + n + ") - Failed to authenticate\n";
    }

    @Test
    void aSourceInADirectoryThatDoesNotExistIsAProblemUntilItExists() throws Exception {
        Path missing = dir.resolve("missing");
        Path log = missing.resolve("full");
        TollgateConfig file = TollgateConfig.parse(InProcessService.followingLog(log, dir.resolve("state.db"),
                dir.resolve("events.jsonl"), 3), "tollgate.yaml");

        TollgateService service = InProcessService.start(file);
        try {
            assertThat(service.problems()).singleElement().asString()
                    .contains(log.toString()).contains("the directory " + missing + " does not exist");
            Files.createDirectories(missing);
            assertThat(service.problems()).isEmpty();
        } finally {
            service.stop();
        }
    }

    @Test
    void linesAppendedToTheLogBecomeEventsAndABanAndARestartRepeatsNothing() throws Exception {
        Path log = dir.resolve("full");
        Path events = dir.resolve("events.jsonl");
        Path state = dir.resolve("state.db");
        Files.writeString(log, "[2026-01-01 00:00:00.000] VERBOSE[1] asterisk.c: started\n");
        TollgateConfig file = TollgateConfig.parse(InProcessService.followingLog(log, state, events, 3),
                "tollgate.yaml");

        TollgateService service = InProcessService.start(file);
        List<JsonNode> bans = InProcessService.bansPublished(service);
        for (int n = 1; n <= 3; n++) {
            Files.writeString(log, failure("192.0.2.10", n), StandardOpenOption.APPEND);
        }
        Waits.eventually(() -> assertThat(bans).hasSize(1));
        JsonNode ban = bans.get(0);
        assertThat(ban.at("/event/action").asText()).isEqualTo("ban");
        assertThat(ban.at("/source/ip").asText()).isEqualTo("192.0.2.10");
        assertThat(ban.at("/tollgate/jail").asText()).isEqualTo("sip-auth");
        Waits.eventually(() -> assertThat(lines(events)).hasSize(3));
        service.stop();

        // Restart: the position was stored, so only the line written while stopped is read.
        Files.writeString(log, failure("198.51.100.7", 4), StandardOpenOption.APPEND);
        TollgateService again = InProcessService.start(file);
        try {
            Waits.eventually(() -> assertThat(lines(events)).hasSize(4));
            // A line written now is read after anything repeated from before the restart would have been.
            Files.writeString(log, failure("198.51.100.8", 5), StandardOpenOption.APPEND);
            Waits.eventually(() -> assertThat(lines(events)).hasSizeGreaterThanOrEqualTo(5));
            assertThat(lines(events)).hasSize(5);
            assertThat(JSON.readTree(lines(events).get(3)).at("/source/ip").asText()).isEqualTo("198.51.100.7");
            assertThat(JSON.readTree(lines(events).get(4)).at("/source/ip").asText()).isEqualTo("198.51.100.8");
        } finally {
            again.stop();
        }
    }

    /**
     * The state database stops taking writes (another process holds its write lock, as a full disk would refuse
     * them): reading and banning go on, the outage shows, and when writes work again the positions are written, so
     * a restart repeats nothing.
     */
    @Test
    void aStateDatabaseThatTakesNoWritesStopsNeitherReadingNorBanning() throws Exception {
        Path log = dir.resolve("full");
        Path events = dir.resolve("events.jsonl");
        Path state = dir.resolve("state.db");
        Files.writeString(log, "[2026-01-01 00:00:00.000] VERBOSE[1] asterisk.c: started\n");
        TollgateConfig file = TollgateConfig.parse(InProcessService.followingLog(log, state, events, 3),
                "tollgate.yaml");

        TollgateService service = InProcessService.start(file);
        try {
            List<JsonNode> bans = InProcessService.bansPublished(service);
            try (java.sql.Connection blocker = java.sql.DriverManager.getConnection("jdbc:sqlite:" + state);
                 java.sql.Statement statement = blocker.createStatement()) {
                statement.execute("BEGIN EXCLUSIVE");
                for (int n = 1; n <= 3; n++) {
                    Files.writeString(log, failure("192.0.2.10", n), StandardOpenOption.APPEND);
                }
                Waits.eventually(() -> assertThat(lines(events)).hasSize(3));
                Waits.eventually(() -> assertThat(bans).hasSize(1));
                Waits.eventually(() -> assertThat(service.state().health().healthy()).isFalse());
                assertThat(service.state().health().lastError()).contains("locked");
                assertThat(service.problems()).anySatisfy(problem -> assertThat(problem).contains("writes failing"));
                statement.execute("COMMIT");
            }
            Files.writeString(log, failure("198.51.100.7", 4), StandardOpenOption.APPEND);
            Waits.eventually(() -> assertThat(lines(events)).hasSize(4));
            Waits.eventually(() -> assertThat(service.state().health().healthy()).isTrue());
        } finally {
            service.stop();
        }

        // The positions kept during the outage were written: a restart reads only what is new.
        Files.writeString(log, failure("198.51.100.8", 5), StandardOpenOption.APPEND);
        TollgateService again = InProcessService.start(file);
        try {
            Waits.eventually(() -> assertThat(lines(events)).hasSizeGreaterThanOrEqualTo(5));
            assertThat(lines(events)).hasSize(5);
            assertThat(JSON.readTree(lines(events).get(4)).at("/source/ip").asText()).isEqualTo("198.51.100.8");
        } finally {
            again.stop();
        }
    }

    /** A site's own Log() line no catalog message knows, as its dialplan writes it now. */
    private static String probe(String ip, int n) {
        String stamp = STAMP.format(LocalDateTime.now(ZoneOffset.UTC));
        return "[" + stamp + "] NOTICE[2290][C-0000001" + n + "] pbx.c: Toll fraud probe to '00901" + n + "' from "
                + ip + ":5060\n";
    }

    @Test
    void aJailsOwnFilterBansOnLinesTheCatalogDoesNotKnow() throws Exception {
        org.tollgate.testkit.Requirements.requireTools(List.of("fail2ban-regex")); // common.conf
        Path log = dir.resolve("full");
        Path events = dir.resolve("events.jsonl");
        Files.writeString(log, "");
        String yaml = InProcessService.followingLog(log, dir.resolve("state.db"), events, 3) + """
                  pbx-probes:
                    maxretry: 2
                    ignoreself: false
                    trust: custom
                    failregex: '^%(__prefix_line)sNOTICE\\[\\d+\\](?:\\[C-[\\da-f]+\\])? pbx\\.c: Toll fraud probe to ''[^'']*'' from <HOST>:\\d+$'
                    actions:
                      - type: log
                """;
        TollgateService service = InProcessService.start(TollgateConfig.parse(yaml, "tollgate.yaml"));
        try {
            List<JsonNode> bans = InProcessService.bansPublished(service);
            Files.writeString(log, probe("198.51.100.70", 1) + probe("198.51.100.70", 2), StandardOpenOption.APPEND);
            Waits.eventually(() -> assertThat(bans).hasSize(1));
            assertThat(bans.get(0).at("/tollgate/jail").asText()).isEqualTo("pbx-probes");
            assertThat(bans.get(0).at("/source/ip").asText()).isEqualTo("198.51.100.70");
            Waits.eventually(() -> assertThat(lines(events)).hasSize(2));
            assertThat(JSON.readTree(lines(events).get(0)).at("/event/action").asText())
                    .isEqualTo("custom:pbx-probes");
        } finally {
            service.stop();
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
