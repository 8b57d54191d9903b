package org.tollgate.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.server.api.ApiVerticle;
import org.tollgate.server.api.FakeServiceView;
import org.tollgate.server.api.PipelineCounts;
import org.tollgate.server.config.ApiSettings;
import org.tollgate.testkit.Waits;

/** status, bans, ban and unban against an admin API on a random loopback port, configured through tollgate.yaml. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 2 * Waits.PATIENCE_SECONDS, timeUnit = TimeUnit.SECONDS)
class AdminCommandsTest {

    private static final String TOKEN = "cli-token-0123456789abcdef";
    private static final Instant NOW = Instant.parse("2026-03-01T12:30:20Z");

    @TempDir
    Path dir;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    private FakeServiceView view;
    private Path tokenFile;
    private int port;

    @BeforeEach
    void deploy(Vertx vertx, VertxTestContext context) throws Exception {
        tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        view = new FakeServiceView(clock, "sip-auth", "ami")
                .withBan("203.0.113.45", "sip-auth", Duration.ofMinutes(5), FakeServiceView.applied("ipset:tollgate-sip-auth"))
                .withBan("2001:db8:bad::7", "sip-auth", Duration.ofMinutes(1),
                        FakeServiceView.applied("ipset:tollgate-sip-auth"),
                        FakeServiceView.failed("conntrack", "conntrack: exit 1"));
        ApiVerticle api = new ApiVerticle(new ApiSettings("127.0.0.1", 0, tokenFile, "tollgate.yaml", 0), view, clock);
        vertx.deployVerticle(api).onComplete(context.succeeding(id -> {
            port = api.actualPort();
            context.completeNow();
        }));
    }

    private Path config(boolean withToken) throws Exception {
        return Files.writeString(dir.resolve(withToken ? "tollgate.yaml" : "no-token.yaml"), """
                jails:
                  sip-auth:
                    actions:
                      - type: log
                sources:
                  - type: stdin
                api:
                  listen: 127.0.0.1:%d
                %s""".formatted(port, withToken ? "  token_file: " + tokenFile + "\n" : ""));
    }

    @Test
    void statusShowsJailsCountsAndBans() throws Exception {
        int exit = TollgateCommand.execute("status", "--config", config(true).toString());

        assertThat(exit).as(console.stderr()).isZero();
        assertThat(console.stdout())
                .containsPattern("sip-auth\\s+2\\s+2\\s+10\\s+6\\s+4")
                .contains("Pipeline: 120 lines read, 33 security events, 30 failures to the jails; waiting: jails 0")
                .contains("Firewall: 2 applied, 1 failed")
                .contains("Bans in force: 2 (1 not in force in every firewall action)")
                .contains("203.0.113.45").contains("ipset:tollgate-sip-auth applied")
                .contains("2001:db8:bad::7").contains("conntrack failed (conntrack: exit 1)");
    }

    @Test
    void statusShowsTheProblemsFirst() throws Exception {
        view.withPipeline(new PipelineCounts(0, 0, 0, 0, 0, Map.of("jails", 0L), Map.of(),
                List.of("source file (line 3): /var/log/pbx/full: the directory /var/log/pbx does not exist")));

        int exit = TollgateCommand.execute("status", "--config", config(true).toString());

        assertThat(exit).as(console.stderr()).isZero();
        assertThat(console.stdout()).startsWith("PROBLEM: source file (line 3): /var/log/pbx/full: the directory "
                + "/var/log/pbx does not exist\n");
    }

    @Test
    void statusSaysWhichOutputsLostEventsAndNamesNoneThatLostNothing() throws Exception {
        view.withPipeline(new PipelineCounts(500, 500, 40, 40, 40, Map.of("jails", 0L, "jsonl[0]", 7L),
                Map.of("jsonl[0]", 120L, "tcp-json[1]", 0L), List.of()));

        int exit = TollgateCommand.execute("status", "--config", config(true).toString());

        assertThat(exit).as(console.stderr()).isZero();
        assertThat(console.stdout().lines().filter(line -> line.startsWith("Pipeline: ")))
                .singleElement().asString().endsWith("; LOST by outputs: jsonl[0] 120")
                .doesNotContain("tcp-json[1]");
    }

    @Test
    void bansAsJsonLines() throws Exception {
        int exit = TollgateCommand.execute("bans", "--json", "--config", config(true).toString());

        assertThat(exit).as(console.stderr()).isZero();
        List<JsonObject> bans = console.stdout().lines().map(JsonObject::new).toList();
        assertThat(bans).extracting(ban -> ban.getString("ip")).containsExactly("203.0.113.45", "2001:db8:bad::7");
        assertThat(bans.get(1).getBoolean("applied")).isFalse();
    }

    @Test
    void bansAsATable() throws Exception {
        int exit = TollgateCommand.execute("bans", "--config", config(true).toString());

        assertThat(exit).as(console.stderr()).isZero();
        assertThat(console.stdout().lines().findFirst().orElseThrow()).startsWith("IP").contains("JAIL").contains("FIREWALL");
        assertThat(console.stdout()).contains("203.0.113.45").contains("2001:db8:bad::7");
    }

    @Test
    void banAndUnbanByHand() throws Exception {
        Path config = config(true);

        assertThat(TollgateCommand.execute("ban", "ami", "198.51.100.23", "--config", config.toString()))
                .as(console.stderr()).isZero();
        assertThat(console.stdout()).contains("198.51.100.23 banned in ami until 2026-03-01T13:30:20Z");
        assertThat(view.bannedAddresses()).contains("198.51.100.23");

        // A long IPv6 form goes through the path and comes back canonical.
        assertThat(TollgateCommand.execute("unban", "2001:db8:bad:0:0:0:0:7", "--config", config.toString()))
                .as(console.stderr()).isZero();
        assertThat(console.stdout()).contains("2001:db8:bad::7 unbanned in sip-auth");
        assertThat(view.bannedAddresses()).doesNotContain("2001:db8:bad::7");
    }

    @Test
    void statusOfOneJailShowsItsRowAndItsBansOnly() throws Exception {
        Path config = config(true);
        assertThat(TollgateCommand.execute("set", "ami", "banip", "198.51.100.23", "--config", config.toString()))
                .as(console.stderr()).isZero();

        assertThat(TollgateCommand.execute("status", "ami", "--config", config.toString())).as(console.stderr()).isZero();

        assertThat(console.stdout()).containsPattern("(?m)^ami\\s").doesNotContainPattern("(?m)^sip-auth\\s")
                .contains("Bans in force in ami: 1").doesNotContain("203.0.113.45");
        String table = console.stdout().substring(console.stdout().indexOf("Bans in force in ami"));
        assertThat(table).contains("198.51.100.23");
        assertThat(TollgateCommand.execute("status", "sshd", "--config", config.toString())).isEqualTo(1);
        assertThat(console.stderr()).contains("tollgate status: no running jail is named 'sshd'; running: sip-auth, ami");
    }

    /**
     * fail2ban-client's verbs as aliases: set JAIL banip IP, set JAIL unbanip IP (that jail's ban only, as fail2ban:
     * the same address stays banned in another jail until {@code tollgate unban IP}).
     */
    @Test
    void setBanipAndUnbanipAreBanAndUnbanInThatJail() throws Exception {
        Path config = config(true);

        for (String jail : new String[] {"ami", "sip-auth"}) {
            assertThat(TollgateCommand.execute("set", jail, "banip", "198.51.100.24", "--config", config.toString()))
                    .as(console.stderr()).isZero();
            assertThat(console.stdout()).contains("198.51.100.24 banned in " + jail);
        }
        assertThat(view.bannedAddresses()).filteredOn("198.51.100.24"::equals).hasSize(2);
        assertThat(TollgateCommand.execute("set", "ami", "unbanip", "198.51.100.24", "--config", config.toString()))
                .as(console.stderr()).isZero();
        assertThat(console.stdout()).contains("198.51.100.24 unbanned in ami");
        assertThat(view.bannedAddresses()).filteredOn("198.51.100.24"::equals).hasSize(1);
        assertThat(TollgateCommand.execute("unban", "198.51.100.24", "--config", config.toString()))
                .as(console.stderr()).isZero();
        assertThat(console.stdout()).contains("198.51.100.24 unbanned in sip-auth");
        assertThat(view.bannedAddresses()).doesNotContain("198.51.100.24");
        assertThat(TollgateCommand.execute("set", "ami", "addignoreip", "198.51.100.24", "--config", config.toString()))
                .isEqualTo(1);
        assertThat(console.stderr()).contains("tollgate set: expected banip or unbanip after the jail, was 'addignoreip'");
    }

    @Test
    void refusalsAreOneLineAndExit1() throws Exception {
        Path config = config(true);

        assertThat(TollgateCommand.execute("ban", "sshd", "192.0.2.9", "--config", config.toString())).isEqualTo(1);
        assertThat(TollgateCommand.execute("ban", "ami", "pbx.example", "--config", config.toString())).isEqualTo(1);
        assertThat(TollgateCommand.execute("unban", "198.51.100.99", "--config", config.toString())).isEqualTo(1);
        assertThat(TollgateCommand.execute("ban", "ami", "255.255.255.255", "--config", config.toString())).isEqualTo(1);

        assertThat(console.stderr().lines()).containsExactly(
                "tollgate ban: no running jail is named 'sshd'; running: sip-auth, ami",
                "tollgate ban: ip: expected an IP literal such as 192.0.2.7 or 2001:db8::7, was 'pbx.example'",
                "tollgate unban: 198.51.100.99 is not banned in any jail",
                "tollgate ban: ip: 255.255.255.255 is the broadcast address; it is never banned");
        assertThat(view.bannedAddresses()).doesNotContain("255.255.255.255");
    }

    @Test
    void withoutATokenReadsWorkAndChangesAreRefusedBeforeAnyRequest() throws Exception {
        Path config = config(false);

        assertThat(TollgateCommand.execute("bans", "--config", config.toString())).as(console.stderr()).isZero();
        assertThat(TollgateCommand.execute("ban", "ami", "198.51.100.23", "--config", config.toString())).isEqualTo(1);
        assertThat(console.stderr()).contains("tollgate ban: changes need the API token: " + config
                + " sets no api.token_file");
        assertThat(view.bannedAddresses()).doesNotContain("198.51.100.23");
    }

    @Test
    void aServiceThatIsNotRunningIsExit2() throws Exception {
        Path config = Files.writeString(dir.resolve("closed.yaml"), "api:\n  listen: 127.0.0.1:1\nsources: [{type: stdin}]\n");

        assertThat(TollgateCommand.execute("status", "--config", config.toString())).isEqualTo(2);
        assertThat(console.stderr()).startsWith("tollgate status: cannot connect to http://127.0.0.1:1/");
    }

    @Test
    void anInvalidConfigurationIsExit1WithTheLine() throws Exception {
        Path config = Files.writeString(dir.resolve("bad.yaml"), "api:\n  listen: localhost:9190\nsources: [{type: stdin}]\n");

        assertThat(TollgateCommand.execute("status", "--config", config.toString())).isEqualTo(1);
        assertThat(console.stderr()).startsWith("tollgate status: api.listen: expected <ip>:<port>")
                .contains("(" + config + " line 2)");
    }

    @Test
    void listeningEverywhereConnectsToLoopback() {
        assertThat(AdminClient.connectAddress(new ApiSettings("0.0.0.0", 9190, Path.of("/t"), "f", 0)))
                .isEqualTo("127.0.0.1:9190");
        assertThat(AdminClient.connectAddress(new ApiSettings("::", 9190, Path.of("/t"), "f", 0)))
                .isEqualTo("[::1]:9190");
        assertThat(AdminClient.connectAddress(new ApiSettings("2001:db8::10", 9190, Path.of("/t"), "f", 0)))
                .isEqualTo("[2001:db8::10]:9190");
    }
}
