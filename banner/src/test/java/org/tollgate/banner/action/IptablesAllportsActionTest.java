package org.tollgate.banner.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tollgate.banner.action.Fixtures.ban;
import static org.tollgate.banner.action.Fixtures.resource;
import static org.tollgate.banner.action.Fixtures.settings;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tollgate.banner.action.IptablesAllportsAction.Rule;
import org.tollgate.banner.config.ConfigException;

class IptablesAllportsActionTest {

    private static IptablesAllportsAction action(Map<String, String> params, RecordingRunner runner) {
        return new IptablesAllportsAction(settings("iptables-allports", params), runner);
    }

    private static RecordingRunner listing() {
        return new RecordingRunner().answering(command -> {
            if (command.contains("-S")) {
                return RecordingRunner.ok(resource(command.get(0).equals("iptables")
                        ? "iptables-S-chain.txt" : "ip6tables-S-chain.txt"));
            }
            return RecordingRunner.ok("");
        });
    }

    @Test
    void parsesOnlyRulesOfOurShape() {
        Map<String, List<Rule>> v4 = IptablesAllportsAction.parseRules(resource("iptables-S-chain.txt"), "tollgate-sip",
                Family.V4);
        Map<String, List<Rule>> v6 = IptablesAllportsAction.parseRules(resource("ip6tables-S-chain.txt"), "tollgate-sip",
                Family.V6);

        // The /24 and the udp-only rule are somebody else's.
        assertThat(v4).containsOnlyKeys("192.0.2.50", "203.0.113.9");
        assertThat(v4.get("192.0.2.50")).containsExactly(new Rule("192.0.2.50/32", "REJECT", "icmp-port-unreachable"));
        assertThat(v4.get("203.0.113.9")).containsExactly(new Rule("203.0.113.9/32", "DROP", null));
        assertThat(v6.get("2001:db8::50").get(0).spec())
                .isEqualTo("-s 2001:db8::50/128 -j REJECT --reject-with icmp6-port-unreachable");
        assertThat(IptablesAllportsAction.parseRules(resource("iptables-S-chain.txt"), "tollgate", Family.V4)).isEmpty();
    }

    @Test
    void setUpCreatesTheChainAndTheJumpWhenTheJumpIsMissing() throws Exception {
        RecordingRunner runner = new RecordingRunner().answering(command -> command.contains("-C")
                ? RecordingRunner.exit(2, "", "iptables v1.8.9 (nf_tables): Chain 'tollgate-sip' does not exist")
                : RecordingRunner.ok(""));

        action(Map.of("name", "sip", "protocol", "udp"), runner).setUp();

        assertThat(runner.commands().subList(0, 3)).containsExactly(
                List.of("iptables", "-w", "-C", "INPUT", "-p", "udp", "-j", "tollgate-sip"),
                List.of("iptables", "-w", "-N", "tollgate-sip"),
                List.of("iptables", "-w", "-I", "INPUT", "1", "-p", "udp", "-j", "tollgate-sip"));
        assertThat(runner.commands().get(3).get(0)).isEqualTo("ip6tables");
    }

    @Test
    void banInsertsOnlyWhatIsNotThereInOneRestore() throws Exception {
        RecordingRunner runner = listing();

        BanOutcome outcome = action(Map.of("name", "sip"), runner)
                .ban(List.of(ban("192.0.2.50"), ban("192.0.2.7"), ban("2001:db8::7")));

        RecordingRunner.Call restore = runner.calls().stream()
                .filter(call -> call.command().get(0).equals("iptables-restore")).findFirst().orElseThrow();
        assertThat(restore.command()).containsExactly("iptables-restore", "-w", "--noflush");
        assertThat(restore.stdin()).isEqualTo("*filter\n-I tollgate-sip 1 -s 192.0.2.7 -j REJECT\nCOMMIT\n");
        assertThat(runner.commands()).contains(List.of("iptables", "-w", "-C", "tollgate-sip", "-s", "192.0.2.7", "-j", "REJECT"),
                List.of("ip6tables", "-w", "-C", "tollgate-sip", "-s", "2001:db8::7", "-j", "REJECT"));
        assertThat(outcome.applied()).containsExactlyInAnyOrder("192.0.2.50", "192.0.2.7", "2001:db8::7");
    }

    @Test
    void aRuleWithAnotherTargetDoesNotCountAsTheBan() throws Exception {
        RecordingRunner runner = listing();

        action(Map.of("name", "sip", "blocktype", "DROP"), runner).ban(List.of(ban("192.0.2.50")));

        assertThat(runner.calls()).anyMatch(call -> call.command().get(0).equals("iptables-restore")
                && call.stdin().equals("*filter\n-I tollgate-sip 1 -s 192.0.2.50 -j DROP\nCOMMIT\n"));
    }

    @Test
    void unbanDeletesEveryRuleOfTheAddressAsListed() throws Exception {
        RecordingRunner runner = listing();

        action(Map.of("name", "sip"), runner).unban(List.of(ban("203.0.113.9"), ban("192.0.2.50"), ban("192.0.2.99")));

        RecordingRunner.Call restore = runner.calls().stream()
                .filter(call -> call.command().get(0).equals("iptables-restore")).findFirst().orElseThrow();
        assertThat(restore.stdin()).isEqualTo("*filter\n"
                + "-D tollgate-sip -s 203.0.113.9/32 -j DROP\n"
                + "-D tollgate-sip -s 192.0.2.50/32 -j REJECT --reject-with icmp-port-unreachable\n"
                + "COMMIT\n");
    }

    @Test
    void missingNeedsTheJumpAndARuleWithTheCurrentTarget() throws Exception {
        assertThat(action(Map.of("name", "sip"), listing())
                .missing(List.of(ban("192.0.2.50"), ban("203.0.113.9"), ban("2001:db8::50"))))
                .containsExactly("203.0.113.9");

        RecordingRunner noJump = new RecordingRunner().answering(command -> command.contains("-C")
                ? RecordingRunner.exit(1, "", "iptables: Bad rule (does a matching rule exist in that chain?).")
                : RecordingRunner.ok(resource("iptables-S-chain.txt")));
        assertThat(action(Map.of("name", "sip"), noJump).missing(List.of(ban("192.0.2.50")))).containsExactly("192.0.2.50");
    }

    @Test
    void chainNamesFitIptables() {
        assertThat(action(Map.of(), new RecordingRunner()).chain()).isEqualTo("tollgate");
        assertThatThrownBy(() -> action(Map.of("name", "a-name-that-is-far-too-long"), new RecordingRunner()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("actions.iptables-allports.name: expected a name of at most 19");
    }
}
