package org.tollgate.banner.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** dbus-monitor output as it comes, and lines that look close to a reload but are not one. */
class FirewalldSignalsTest {

    private static final String RELOADED = "signal time=1795254184.563320 sender=:1.3 -> destination=(null destination)"
            + " serial=1793 path=/org/fedoraproject/FirewallD1; interface=org.fedoraproject.FirewallD1; member=Reloaded";
    private static final String OWNER_CHANGED = "signal time=1795254197.144796 sender=org.freedesktop.DBus ->"
            + " destination=(null destination) serial=8 path=/org/freedesktop/DBus; interface=org.freedesktop.DBus;"
            + " member=NameOwnerChanged";

    private static List<String> read(String... lines) {
        return Fixtures.reasons(new FirewalldSignals(), lines);
    }

    @Test
    void aStartAReloadAStopAndAStartAgain() {
        String[] lines = Fixtures.resource("dbus-monitor-firewalld-start-reload-restart.txt").split("\n");

        assertThat(read(lines)).containsExactly("firewalld started", "firewalld reloaded", "firewalld started");
    }

    @Test
    void theOlderHeaderFormIsReadToo() {
        assertThat(read("signal sender=:1.3 -> dest=(null destination) serial=5 path=/org/fedoraproject/FirewallD1;"
                + " interface=org.fedoraproject.FirewallD1; member=Reloaded")).containsExactly("firewalld reloaded");
    }

    @Test
    void signalsThatAreNotFirewalldsReloadAreNoReason() {
        assertThat(read(
                RELOADED.replace("path=/org/fedoraproject/FirewallD1;", "path=/org/fedoraproject/FirewallD1/config;"),
                RELOADED.replace("interface=org.fedoraproject.FirewallD1;", "interface=org.fedoraproject.FirewallD1.zone;"),
                RELOADED + "d",
                RELOADED.replace("member=Reloaded", "member=PanicModeEnabled"),
                RELOADED.replace("signal ", "method call "),
                "   string \"Reloaded\"",
                "Failed to open connection to \"system\" message bus: Failed to connect to socket"
                        + " /run/dbus/system_bus_socket: No such file or directory",
                "")).isEmpty();
    }

    @Test
    void anOwnerChangeCountsOnlyForFirewalldGettingAnOwnerFromTheBusItself() {
        assertThat(read(OWNER_CHANGED, "   string \"org.fedoraproject.FirewallD1\"", "   string \":1.3\"",
                "   string \"\"")).as("firewalld stopped").isEmpty();
        assertThat(read(OWNER_CHANGED, "   string \"org.freedesktop.NetworkManager\"", "   string \"\"",
                "   string \":1.9\"")).as("another name").isEmpty();
        assertThat(read(OWNER_CHANGED.replace("sender=org.freedesktop.DBus", "sender=:1.42"),
                "   string \"org.fedoraproject.FirewallD1\"", "   string \"\"", "   string \":1.6\""))
                .as("sent by a client, not the bus").isEmpty();
        assertThat(read(OWNER_CHANGED, "   string \"org.fedoraproject.FirewallD1\"", "   string \"\"",
                "   uint32 7")).as("an argument of another type").isEmpty();
    }

    @Test
    void anOwnerChangeCutShortByTheNextMessageIsDropped() {
        assertThat(read(OWNER_CHANGED, "   string \"org.fedoraproject.FirewallD1\"", "   string \"\"", RELOADED,
                "   string \":1.6\"")).containsExactly("firewalld reloaded");
        assertThat(read(OWNER_CHANGED, "   string \"org.fedoraproject.FirewallD1\"", "   string \"",
                "   string \":1.6\"")).as("a quote alone is no argument").isEmpty();
    }

    @Test
    void bothFirewalldActionsShareOneMonitorThroughTheirRunner() {
        CommandRunner runner = new CommandRunner(List.of("ip", "netns", "exec", "tg-test"), CommandRunner.DEFAULT_TIMEOUT);
        FirewallMonitor ipset = FirewallActions.create(Fixtures.settings("firewalld-ipset", Map.of()), runner)
                .monitor().orElseThrow();
        FirewallMonitor rich = FirewallActions.create(Fixtures.settings("firewalld-rich-rule", Map.of()), runner)
                .monitor().orElseThrow();

        assertThat(ipset.key()).isEqualTo(rich.key()).startsWith("ip", "netns", "exec", "tg-test", "dbus-monitor");
        assertThat(ipset.parsers().get()).isNotSameAs(ipset.parsers().get());
    }

    @Test
    void theCommandSubscribesToExactlyTheTwoSignals() {
        assertThat(FirewalldSignals.command()).containsExactly("dbus-monitor", "--system",
                "type='signal',path='/org/fedoraproject/FirewallD1',interface='org.fedoraproject.FirewallD1',"
                        + "member='Reloaded'",
                "type='signal',sender='org.freedesktop.DBus',interface='org.freedesktop.DBus',"
                        + "member='NameOwnerChanged',arg0='org.fedoraproject.FirewallD1'");
    }
}
