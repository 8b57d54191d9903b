package org.tollgate.banner.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.tollgate.testkit.NamespacePair.ATTACKER4;
import static org.tollgate.testkit.NamespacePair.ATTACKER6;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tollgate.banner.jail.ActionSettings;
import org.tollgate.banner.jail.Ban;
import org.tollgate.testkit.NamespacePair;
import org.tollgate.testkit.Waits;

/**
 * Both firewalld actions against a real firewalld, confined twice over: to the test's network namespace, and to a
 * D-Bus bus and a configuration directory of its own. With the shared system bus, firewall-cmd would talk to
 * whichever firewalld owns the bus name, which on a developer's machine is the host's; with the default
 * configuration directory, {@code --permanent} would write to the host's /etc/firewalld.
 */
class FirewalldActionsIT {

    private static final Duration START_WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final ActionLab lab = new ActionLab("firewalld", "firewall-cmd", "dbus-daemon", "dbus-monitor", "nft");

    private static Path workDirectory;
    private static Process bus;
    private static Process firewalld;
    private static CommandRunner runner;

    @BeforeAll
    static void startFirewalld() throws Exception {
        workDirectory = Files.createTempDirectory("tollgate-firewalld-it-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path socket = workDirectory.resolve("bus-socket");
        Path configuration = Files.createDirectories(workDirectory.resolve("etc-firewalld"));
        Files.writeString(workDirectory.resolve("bus.conf"), busConfiguration(socket));
        Files.writeString(configuration.resolve("firewalld.conf"), String.join("\n",
                "DefaultZone=public", "FirewallBackend=nftables", "IndividualCalls=no", "LogDenied=off",
                "CleanupOnExit=yes", "Lockdown=no", "IPv6_rpfilter=yes", "FlushAllOnReload=yes", ""));

        bus = new ProcessBuilder("dbus-daemon", "--config-file=" + workDirectory.resolve("bus.conf"), "--nofork",
                "--nopidfile")
                .redirectErrorStream(true).redirectOutput(workDirectory.resolve("dbus.log").toFile()).start();
        String address = "DBUS_SYSTEM_BUS_ADDRESS=unix:path=" + socket;
        runner = lab.runner(List.of("env", address));
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (!Files.exists(socket)) {
            checkAlive(bus, "dbus-daemon", "dbus.log", deadline);
            Waits.sleep(Duration.ofMillis(20));
        }

        ProcessBuilder daemon = new ProcessBuilder(lab.server().exec("firewalld", "--nofork", "--nopid",
                "--system-config", configuration.toString(), "--log-target", "console"))
                .redirectErrorStream(true).redirectOutput(workDirectory.resolve("firewalld.log").toFile());
        daemon.environment().put("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=" + socket);
        firewalld = daemon.start();
        while (true) {
            CommandRunner.Result state = runner.run(List.of("firewall-cmd", "--state"));
            if (state.ok() && state.stdout().strip().equals("running")) {
                break;
            }
            checkAlive(firewalld, "firewalld", "firewalld.log", deadline);
            Waits.sleep(Duration.ofMillis(100));
        }
        // The SIP port is open in the default zone, as on a PBX; permanent, so that it survives the reload tests.
        firewallCmd("--permanent", "--add-port=" + NamespacePair.PORT + "/udp");
        firewallCmd("--reload");
    }

    /** Runs before the lab deletes the namespaces. */
    @AfterAll
    static void stopFirewalld() throws Exception {
        try {
            stop(firewalld);
            stop(bus);
        } finally {
            if (workDirectory != null) {
                try (Stream<Path> paths = Files.walk(workDirectory)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
        }
    }

    private FirewallAction action(String type, Map<String, String> params) {
        return lab.action(type, params, runner);
    }

    @Test
    void richRulesBanUnbanAndGoMissingOnReload() throws Exception {
        FirewallAction rich = action("firewalld-rich-rule", Map.of());
        rich.setUp();
        lab.assertDeliveredFrom(ATTACKER4);
        lab.assertDeliveredFrom(ATTACKER6);
        List<Ban> bans = ActionLab.attacker();

        lab.banAndAssertDropped(rich, bans);

        assertThat(firewallCmd("--zone=public", "--list-rich-rules"))
                .contains("rule family=\"ipv4\" source address=\"192.0.2.50\" reject");
        lab.banAgainAndAssertNoneMissing(rich, bans);

        firewallCmd("--reload");

        assertThat(rich.missing(bans)).containsExactlyInAnyOrder(ATTACKER4, ATTACKER6);
        lab.assertDeliveredFrom(ATTACKER4);
        assertThat(rich.ban(bans).applied()).containsExactlyInAnyOrder(ATTACKER4, ATTACKER6);
        lab.assertDroppedFrom(ATTACKER4);

        lab.unbanAndAssertDelivered(rich, bans);
    }

    @Test
    void permanentRichRulesSurviveAReload() throws Exception {
        FirewallAction rich = action("firewalld-rich-rule", Map.of("zone", "public", "permanent", "true",
                "blocktype", "drop"));
        rich.setUp();
        List<Ban> bans = ActionLab.attacker();
        assertThat(rich.ban(bans).applied()).hasSize(2);

        firewallCmd("--reload");

        assertThat(rich.missing(bans)).isEmpty();
        lab.assertDroppedFrom(ATTACKER6);
        assertThat(rich.unban(bans).applied()).hasSize(2);
        firewallCmd("--reload");
        assertThat(rich.missing(bans)).hasSize(2);
        lab.assertDeliveredFrom(ATTACKER6);
    }

    @Test
    void ipsetBansUnbanAndGoMissingOnReload() throws Exception {
        FirewallAction ipset = action("firewalld-ipset", Map.of());
        ipset.setUp();
        ipset.setUp();
        lab.assertDeliveredFrom(ATTACKER4);
        lab.assertDeliveredFrom(ATTACKER6);
        assertThat(firewallCmd("--zone=drop", "--list-sources")).contains("ipset:tollgate", "ipset:tollgate-v6");
        List<Ban> bans = ActionLab.attacker();

        lab.banAndAssertDropped(ipset, bans);
        lab.banAgainAndAssertNoneMissing(ipset, bans);

        firewallCmd("--reload");

        assertThat(ipset.missing(bans)).containsExactlyInAnyOrder(ATTACKER4, ATTACKER6);
        lab.assertDeliveredFrom(ATTACKER4);
        assertThat(ipset.ban(bans).applied()).containsExactlyInAnyOrder(ATTACKER4, ATTACKER6);
        lab.assertDroppedFrom(ATTACKER4);

        lab.unbanAndAssertDelivered(ipset, bans);
    }

    /**
     * Both actions in one jail, one dbus-monitor for both: after a reload the bans are back long before the periodic
     * reconcile (10 minutes here) could have put them back.
     */
    @Test
    void aReloadSignalPutsTheBansBackAtOnce() throws Exception {
        ActionSettings ipset = new ActionSettings("firewalld-ipset", Map.of("set", "reload"), 0);
        ActionSettings rich = new ActionSettings("firewalld-rich-rule", Map.of(), 0);
        try (ReapplyingEnforcer service = new ReapplyingEnforcer(runner, List.of(ipset, rich),
                new ReapplyingEnforcer.Subscription() {
                    @Override
                    public void provoke(int n) {
                        // dbus-monitor says itself: the bus takes its name away once it is a monitor.
                    }

                    @Override
                    public boolean shows(String line, int n) {
                        return line.contains("member=NameLost");
                    }
                })) {
            service.ban(ATTACKER4);
            service.ban(ATTACKER6);
            lab.assertDroppedFrom(ATTACKER4);

            long called = System.nanoTime();
            firewallCmd("--reload");
            long reloaded = System.nanoTime();
            ReapplyingEnforcer.Reconciled after = service.awaitReconcile(called);

            System.out.printf("firewalld: firewall-cmd --reload took %d ms; reconcile started %d ms after it returned, "
                            + "bans back after %d ms%n", (reloaded - called) / 1_000_000,
                    (after.startedNanos() - reloaded) / 1_000_000, (after.finishedNanos() - reloaded) / 1_000_000);
            assertThat(after.reason()).isEqualTo("firewalld reloaded");
            assertThat(after.report().reapplied()).as("two addresses in each action").isEqualTo(4);
            assertThat(after.report().failed()).isZero();
            assertThat(firewallCmd("--ipset=reload", "--get-entries")).contains(ATTACKER4);
            assertThat(firewallCmd("--list-rich-rules")).contains("source address=\"2001:db8::50\"");
            lab.assertDroppedFrom(ATTACKER4);
            lab.assertDroppedFrom(ATTACKER6);
        } finally {
            FirewallActions.create(ipset, runner).tearDown();
            FirewallActions.create(rich, runner).tearDown();
        }
    }

    @Test
    void ipsetTenThousandBansInOneCall() throws Exception {
        FirewallAction ipset = action("firewalld-ipset", Map.of("set", "bulk"));
        ipset.setUp();
        BulkBans bulk = new BulkBans("firewalld-ipset", ipset);

        bulk.banLoseAndRestore();
        firewallCmd("--reload");
        bulk.banAgain("re-ban after --reload of");
        bulk.unban();
    }

    private static String firewallCmd(String... options) throws ActionException {
        List<String> command = new ArrayList<>(List.of("firewall-cmd"));
        command.addAll(List.of(options));
        CommandRunner.Result result = runner.run(command);
        if (!result.ok()) {
            fail(result.failure());
        }
        return result.stdout();
    }

    private static String busConfiguration(Path socket) {
        return String.join("\n",
                "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"",
                " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">",
                "<busconfig>",
                "  <type>system</type>",
                "  <listen>unix:path=" + socket + "</listen>",
                "  <auth>EXTERNAL</auth>",
                "  <policy context=\"default\">",
                "    <allow user=\"root\"/>",
                "    <allow own=\"*\"/>",
                "    <allow send_type=\"method_call\"/>",
                "    <allow send_type=\"signal\"/>",
                "    <allow send_requested_reply=\"true\" send_type=\"method_return\"/>",
                "    <allow send_requested_reply=\"true\" send_type=\"error\"/>",
                "    <allow receive_type=\"method_call\"/>",
                "    <allow receive_type=\"method_return\"/>",
                "    <allow receive_type=\"error\"/>",
                "    <allow receive_type=\"signal\"/>",
                "  </policy>",
                "</busconfig>",
                "");
    }

    private static void checkAlive(Process process, String name, String log, long deadline) throws IOException {
        if (!process.isAlive() || System.nanoTime() > deadline) {
            fail(name + (process.isAlive() ? " did not come up within " + START_WAIT.toSeconds() + "s" : " exited")
                    + "; its log:\n" + Files.readString(workDirectory.resolve(log)));
        }
    }

    private static void stop(Process process) throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
