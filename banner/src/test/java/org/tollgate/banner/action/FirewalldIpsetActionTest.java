package org.tollgate.banner.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tollgate.banner.action.Fixtures.ban;
import static org.tollgate.banner.action.Fixtures.settings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FirewalldIpsetActionTest {

    private static FirewalldIpsetAction action(Map<String, String> params, RecordingRunner runner) {
        return new FirewalldIpsetAction(settings("firewalld-ipset", params), runner);
    }

    @Test
    void banPassesAddressesInAPrivateFileAndChecksTheBinding() throws Exception {
        RecordingRunner runner = new RecordingRunner().answering(command -> RecordingRunner.ok(
                command.size() > 3 && command.get(2).startsWith("--query-entry")
                        ? "'192.0.2.7': yes\n'192.0.2.8': yes\n" : "yes\n"));

        BanOutcome outcome = action(Map.of(), runner).ban(List.of(ban("192.0.2.7"), ban("192.0.2.8"), ban("2001:db8::7")));

        RecordingRunner.Call add = runner.calls().get(0);
        assertThat(add.command()).hasSize(3);
        assertThat(add.command().subList(0, 2)).containsExactly("firewall-cmd", "--ipset=tollgate");
        assertThat(add.command().get(2)).startsWith("--add-entries-from-file=/");
        assertThat(add.entriesFile()).isEqualTo("192.0.2.7\n192.0.2.8\n");
        Path file = Path.of(add.command().get(2).substring("--add-entries-from-file=".length()));
        assertThat(file).doesNotExist();
        assertThat(file.getParent()).doesNotExist();
        assertThat(runner.commands()).contains(
                List.of("firewall-cmd", "--zone=drop", "--query-source=ipset:tollgate"),
                List.of("firewall-cmd", "--ipset=tollgate", "--query-entry=192.0.2.7", "--query-entry=192.0.2.8"),
                List.of("firewall-cmd", "--ipset=tollgate-v6", "--query-entry=2001:db8::7"));
        assertThat(runner.calls()).anyMatch(call -> "2001:db8::7\n".equals(call.entriesFile()));
        assertThat(outcome.applied()).containsExactly("192.0.2.7", "192.0.2.8", "2001:db8::7");
    }

    @Test
    void anUnboundSetHoldsNothingInForce() throws Exception {
        RecordingRunner runner = new RecordingRunner().answering(command -> command.get(2).startsWith("--query-source")
                ? RecordingRunner.exit(1, "no\n", "") : RecordingRunner.ok("192.0.2.7\n"));

        FirewalldIpsetAction action = action(Map.of("set", "sip", "zone", "block"), runner);

        assertThat(action.missing(List.of(ban("192.0.2.7")))).containsExactly("192.0.2.7");
        assertThat(runner.commands()).containsExactly(List.of("firewall-cmd", "--zone=block", "--query-source=ipset:sip"));
        assertThat(action.ban(List.of(ban("192.0.2.7"))).failed()).containsOnlyKeys("192.0.2.7");
    }

    @Test
    void setUpDeclaresSetsBindsThemAndReloads() throws Exception {
        RecordingRunner runner = new RecordingRunner().answering(command -> {
            if (command.contains("--state")) {
                return RecordingRunner.ok("running\n");
            }
            if (command.contains("--get-ipsets")) {
                return RecordingRunner.ok("\n");
            }
            if (command.stream().anyMatch(argument -> argument.startsWith("--query-source"))) {
                return RecordingRunner.exit(1, "no\n", "");
            }
            return RecordingRunner.ok("success\n");
        });

        action(Map.of(), runner).setUp();

        assertThat(runner.commands()).contains(
                List.of("firewall-cmd", "--permanent", "--new-ipset=tollgate", "--type=hash:ip", "--option=family=inet",
                        "--option=timeout=0"),
                List.of("firewall-cmd", "--permanent", "--new-ipset=tollgate-v6", "--type=hash:ip",
                        "--option=family=inet6", "--option=timeout=0"),
                List.of("firewall-cmd", "--permanent", "--zone=drop", "--add-source=ipset:tollgate"),
                List.of("firewall-cmd", "--permanent", "--zone=drop", "--add-source=ipset:tollgate-v6"));
        assertThat(runner.commands().get(runner.commands().size() - 1)).containsExactly("firewall-cmd", "--reload");
    }

    @Test
    void setUpDoesNotReloadWhenAllIsThere() throws Exception {
        RecordingRunner runner = new RecordingRunner().answering(command -> RecordingRunner.ok(
                command.contains("--state") ? "running\n" : command.contains("--get-ipsets") ? "tollgate tollgate-v6\n" : "yes\n"));

        action(Map.of(), runner).setUp();

        assertThat(runner.commands()).noneMatch(command -> command.contains("--reload"));
    }

    @Test
    void aSetRemovedBehindOurBackIsDeclaredAgain() throws Exception {
        int[] adds = {0};
        RecordingRunner runner = new RecordingRunner().answering(command -> {
            if (command.size() > 2 && command.get(2).startsWith("--add-entries-from-file") && adds[0]++ == 0) {
                return RecordingRunner.exit(135, "", "Error: INVALID_IPSET: tollgate");
            }
            return RecordingRunner.ok(command.contains("--state") ? "running\n" : "yes\n");
        });

        BanOutcome outcome = action(Map.of(), runner).ban(List.of(ban("192.0.2.7")));

        assertThat(adds[0]).isEqualTo(2);
        assertThat(runner.commands()).contains(List.of("firewall-cmd", "--state"));
        assertThat(outcome.applied()).containsExactly("192.0.2.7");
    }

    @Test
    void entryFilesAreGoneAfterTheCall() throws Exception {
        RecordingRunner runner = new RecordingRunner().answering(command -> RecordingRunner.exit(1, "no\n", ""));

        action(Map.of(), runner).unban(List.of(ban("192.0.2.7")));

        String argument = runner.commands().get(0).get(2);
        assertThat(argument).startsWith("--remove-entries-from-file=");
        assertThat(Files.exists(Path.of(argument.substring(argument.indexOf('=') + 1)))).isFalse();
    }
}
