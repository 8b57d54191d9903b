package org.tollgate.banner.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tollgate.banner.action.Fixtures.ban;
import static org.tollgate.banner.action.Fixtures.resource;
import static org.tollgate.banner.action.Fixtures.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tollgate.banner.jail.Ban;

class FirewalldRichRuleActionTest {

    private static FirewalldRichRuleAction action(Map<String, String> params, RecordingRunner runner) {
        return new FirewalldRichRuleAction(settings("firewalld-rich-rule", params), runner);
    }

    @Test
    void eachRuleIsOneArgument() throws Exception {
        RecordingRunner runner = new RecordingRunner().answering(command -> command.get(2).startsWith("--query")
                ? RecordingRunner.ok("'rule family=\"ipv4\" source address=\"192.0.2.7\" reject': yes\n"
                        + "'rule family=\"ipv6\" source address=\"2001:db8::7\" reject': no\n")
                : RecordingRunner.ok("success\n"));

        BanOutcome outcome = action(Map.of("zone", "public"), runner).ban(List.of(ban("192.0.2.7"), ban("2001:db8::7")));

        assertThat(runner.commands()).containsExactly(
                List.of("firewall-cmd", "--zone=public",
                        "--add-rich-rule=rule family=\"ipv4\" source address=\"192.0.2.7\" reject",
                        "--add-rich-rule=rule family=\"ipv6\" source address=\"2001:db8::7\" reject"),
                List.of("firewall-cmd", "--zone=public",
                        "--query-rich-rule=rule family=\"ipv4\" source address=\"192.0.2.7\" reject",
                        "--query-rich-rule=rule family=\"ipv6\" source address=\"2001:db8::7\" reject"));
        assertThat(outcome.applied()).containsExactly("192.0.2.7");
        assertThat(outcome.failed()).containsOnlyKeys("2001:db8::7");
    }

    @Test
    void aSingleQueryIsAnsweredByExitCode() throws Exception {
        RecordingRunner yes = new RecordingRunner().answering(command -> RecordingRunner.ok(
                command.get(1).equals("--get-default-zone") ? "public\n" : "yes\n"));
        RecordingRunner no = new RecordingRunner().answering(command -> command.contains("--get-default-zone")
                ? RecordingRunner.ok("public\n")
                : command.get(2).startsWith("--query") ? RecordingRunner.exit(1, "no\n", "") : RecordingRunner.ok(""));

        assertThat(action(Map.of(), yes).ban(List.of(ban("192.0.2.7"))).applied()).containsExactly("192.0.2.7");
        assertThat(yes.commands().get(0)).containsExactly("firewall-cmd", "--get-default-zone");
        assertThat(action(Map.of(), no).ban(List.of(ban("192.0.2.7"))).failed()).containsOnlyKeys("192.0.2.7");
    }

    @Test
    void permanentAlsoWritesThePermanentConfiguration() throws Exception {
        RecordingRunner runner = new RecordingRunner().answering(command -> RecordingRunner.ok("yes\n"));

        action(Map.of("zone", "public", "permanent", "true", "blocktype", "drop"), runner).ban(List.of(ban("192.0.2.7")));

        assertThat(runner.commands()).contains(List.of("firewall-cmd", "--permanent", "--zone=public",
                "--add-rich-rule=rule family=\"ipv4\" source address=\"192.0.2.7\" drop"));
    }

    @Test
    void manyBansGoInChunksAndAreCheckedAgainstTheList() throws Exception {
        RecordingRunner runner = new RecordingRunner().answering(command -> command.contains("--list-rich-rules")
                ? RecordingRunner.ok(resource("firewalld-list-rich-rules.txt"))
                : RecordingRunner.ok("success\n"));
        List<Ban> bans = new ArrayList<>(List.of(ban("192.0.2.50")));
        for (int i = 0; i < 1100; i++) {
            bans.add(ban("2001:db8::1:" + Integer.toHexString(i)));
        }

        BanOutcome outcome = action(Map.of("zone", "public"), runner).ban(bans);

        assertThat(runner.commands()).filteredOn(command -> command.get(2).startsWith("--add-rich-rule=")).hasSize(3);
        assertThat(runner.commands().get(0)).hasSize(502);
        assertThat(outcome.applied()).containsExactly("192.0.2.50");
        assertThat(outcome.failed()).hasSize(1100);
    }

    @Test
    void listingRecognisesOurRulesOnly() throws Exception {
        FirewalldRichRuleAction action = action(Map.of("zone", "public"), new RecordingRunner());

        // The ssh accept is the admin's, the drop rule has another verdict.
        assertThat(action.parseRules(resource("firewalld-list-rich-rules.txt")))
                .containsExactlyInAnyOrder("192.0.2.50", "2001:db8::50", "192.0.2.60");
    }

    @Test
    void queryAnswersAreReadPerItem() {
        List<String> asked = List.of("rule family=\"ipv4\" source address=\"192.0.2.50\" reject",
                "rule family=\"ipv4\" source address=\"192.0.2.51\" reject");

        assertThat(FirewallCmd.answeredYes(RecordingRunner.ok(resource("firewalld-query-rich-rules.txt")), asked))
                .containsExactly(asked.get(0));
    }
}
