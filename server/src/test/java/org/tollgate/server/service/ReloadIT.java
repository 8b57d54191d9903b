package org.tollgate.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.testkit.ServiceProcess;
import org.tollgate.testkit.TollgateYaml;
import org.tollgate.testkit.Waits;

/**
 * {@code tollgate reload} and SIGHUP on the service running as its own process (its jar, as systemd runs it): a
 * reload keeps the jails' failure counts and bans and applies a changed maxretry; a configuration that does not load
 * is refused with one line naming the file, line and key, and the running configuration goes on banning.
 */
class ReloadIT {

    private static final String TOKEN = "reload-token-0123456789";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
    private final AtomicInteger calls = new AtomicInteger();

    @Test
    void reloadKeepsCountsAndBansAppliesMaxretryAndRefusesABadFileWhileTheOldOneBans() throws Exception {
        Path log = Files.writeString(dir.resolve("full"), "");
        Path token = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        int port = InProcessService.freeLoopbackPort();
        Path config = dir.resolve("tollgate.yaml");
        Files.writeString(config, config(log, port, token, "5"));
        URI base = URI.create("http://127.0.0.1:" + port + "/");
        long started = System.nanoTime();
        try (ServiceProcess service = ServiceProcess.start("target/tollgate.jar", config, dir.resolve("out"),
                "tollgate running")) {
            fail(log, "192.0.2.10", 3);
            fail(log, "192.0.2.20", 5);
            waitForBans(base, service, "192.0.2.20/sip-auth");

            // tollgate reload (the CLI, through the API): maxretry 5 -> 4, the three failures of .10 kept.
            Files.writeString(config, config(log, port, token, "4"));
            Cli reload = cli("reload", "--config", config.toString());
            assertThat(reload.exit).as(reload.text).isZero();
            assertThat(reload.stdout).contains("reloaded " + config + ": jails sip-auth maxretry 5 -> 4");
            fail(log, "192.0.2.10", 1);
            waitForBans(base, service, "192.0.2.10/sip-auth", "192.0.2.20/sip-auth");

            // A file that does not load: the CLI refuses before asking, and SIGHUP makes the service refuse it.
            String bad = config(log, port, token, "many");
            Files.writeString(config, bad);
            int badLine = bad.lines().toList().indexOf("    maxretry: many") + 1;
            Cli refused = cli("reload", "--config", config.toString());
            assertThat(refused.exit).isEqualTo(1);
            assertThat(refused.stderr.strip().lines()).singleElement().asString()
                    .contains("jails.sip-auth.maxretry").contains("'many'").contains("line " + badLine)
                    .contains("nothing was sent");
            hangUp(service);
            Waits.until(() -> service.text().contains("configuration not reloaded"), Duration.ofMinutes(1),
                    () -> "SIGHUP did not lead to a refused reload" + service.output());
            assertThat(service.text()).contains("jails.sip-auth.maxretry").doesNotContain("\tat org.tollgate");
            assertThat(service.isAlive()).isTrue();
            fail(log, "192.0.2.30", 4); // maxretry 4 still runs
            waitForBans(base, service, "192.0.2.10/sip-auth", "192.0.2.20/sip-auth", "192.0.2.30/sip-auth");

            // SIGHUP with a good file applies it; the changed source starts again from where it was.
            Files.writeString(config, config(log, port, token, "2").replace("zone: UTC", "zone: UTC\n    patched: true"));
            hangUp(service);
            Waits.until(() -> service.text().contains("maxretry 4 -> 2"), Duration.ofMinutes(1),
                    () -> "SIGHUP did not reload" + service.output());
            assertThat(service.text()).contains("sources started again (read positions kept)");
            fail(log, "192.0.2.40", 2);
            waitForBans(base, service, "192.0.2.10/sip-auth", "192.0.2.20/sip-auth", "192.0.2.30/sip-auth",
                    "192.0.2.40/sip-auth");
            JsonObject status = new JsonObject(http.send(HttpRequest.newBuilder(base.resolve("api/status"))
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(status.getJsonObject("pipeline").getLong("lines_read")).as("no line read twice")
                    .isEqualTo(calls.get());
            assertThat(service.stop()).isEqualTo(143);
        }
        System.out.printf("ReloadIT: %d s, service start included%n",
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    }

    private static String config(Path log, int port, Path token, String maxretry) {
        return TollgateYaml.following(log).stateInMemory().jsonl(log.resolveSibling("events.jsonl"), null)
                .api(port, token).sipAuth(maxretry).text();
    }

    /** {@code n} failed registrations of {@code ip}, each its own attempt, stamped now. */
    private void fail(Path log, String ip, int n) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int call = calls.incrementAndGet();
            lines.append('[').append(STAMP.format(LocalDateTime.now(ZoneOffset.UTC))).append("] NOTICE[2290] ")
                    .append("res_pjsip/pjsip_distributor.c: Request 'REGISTER' from '<sip:10").append(call % 10)
                    .append("@203.0.113.5>' failed for '").append(ip).append(":5060' (callid: reload-").append(call)
                    .append(") - Failed to authenticate\n");
        }
        Files.writeString(log, lines, StandardOpenOption.APPEND);
    }

    /** Waits until the bans in force are exactly {@code expected} ({@code ip/jail}). */
    private void waitForBans(URI base, ServiceProcess service, String... expected) {
        List<String> seen = new ArrayList<>();
        Waits.until(() -> {
            HttpResponse<String> response;
            try {
                response = http.send(HttpRequest.newBuilder(base.resolve("api/bans"))
                        .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            seen.clear();
            new JsonObject(response.body()).getJsonArray("bans").forEach(ban -> seen.add(
                    ((JsonObject) ban).getString("ip") + "/" + ((JsonObject) ban).getString("jail")));
            return seen.size() == expected.length && seen.containsAll(List.of(expected));
        }, Duration.ofMinutes(1), () -> "bans in force " + seen + ", expected " + List.of(expected) + service.output());
    }

    private static void hangUp(ServiceProcess service) throws Exception {
        Process kill = new ProcessBuilder(List.of("kill", "-HUP", Long.toString(service.pid()))).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }

    private record Cli(int exit, String stdout, String stderr, String text) {
    }

    /** {@code java -jar tollgate.jar ARGS}, as a user runs it. */
    private Cli cli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of(System.getProperty("tollgate.jar", "target/tollgate.jar")).toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "cli", ".out");
        Path err = Files.createTempFile(dir, "cli", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(Waits.PATIENCE_SECONDS, TimeUnit.SECONDS)).as("tollgate %s finished", args[0]).isTrue();
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        return new Cli(process.exitValue(), stdout, stderr, stdout + stderr);
    }
}
