package org.tollgate.banner.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tollgate.banner.action.Fixtures.NOW;
import static org.tollgate.banner.action.Fixtures.ban;
import static org.tollgate.banner.action.Fixtures.permanent;
import static org.tollgate.banner.action.Fixtures.resource;
import static org.tollgate.banner.action.Fixtures.settings;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tollgate.banner.config.ConfigException;
import org.tollgate.banner.jail.Ban;

class NftablesActionTest {

    private static final String STRUCTURE = ""
            + "add table inet tollgate\n"
            + "add set inet tollgate v4 { type ipv4_addr; flags timeout; }\n"
            + "add set inet tollgate v6 { type ipv6_addr; flags timeout; }\n"
            + "add chain inet tollgate input { type filter hook input priority filter - 10; policy accept; }\n"
            + "flush chain inet tollgate input\n"
            + "add rule inet tollgate input ip saddr @v4 drop\n"
            + "add rule inet tollgate input ip6 saddr @v6 drop\n";

    private static NftablesAction action(Map<String, String> params, RecordingRunner runner) {
        return new NftablesAction(settings("nftables", params), runner, InstantSource.fixed(NOW));
    }

    private static RecordingRunner listing(String fixture) {
        return new RecordingRunner().answering(command -> {
            if (command.contains("get")) {
                return RecordingRunner.exit(1, "", "Error: Could not process rule: No such file or directory");
            }
            return command.contains("list") ? RecordingRunner.ok(resource(fixture)) : RecordingRunner.ok("");
        });
    }

    @Test
    void setUpIsOneIdempotentTransaction() throws Exception {
        RecordingRunner runner = new RecordingRunner();

        action(Map.of(), runner).setUp();

        assertThat(runner.commands()).containsExactly(List.of("nft", "-f", "-"));
        assertThat(runner.calls().get(0).stdin()).isEqualTo(STRUCTURE);
    }

    @Test
    void banIsOneTransactionThatRefreshesTimeouts() throws Exception {
        RecordingRunner runner = new RecordingRunner();

        BanOutcome outcome = action(Map.of(), runner).ban(List.of(ban("192.0.2.7", Duration.ofMinutes(90)),
                permanent("2001:db8::7"), ban("192.0.2.8")));

        assertThat(runner.calls().get(0).stdin()).isEqualTo(STRUCTURE
                + "add element inet tollgate v4 { 192.0.2.7, 192.0.2.8 }\n"
                + "delete element inet tollgate v4 { 192.0.2.7, 192.0.2.8 }\n"
                + "add element inet tollgate v4 { 192.0.2.7 timeout 5400s, 192.0.2.8 timeout 3600s }\n"
                + "add element inet tollgate v6 { 2001:db8::7 }\n"
                + "delete element inet tollgate v6 { 2001:db8::7 }\n"
                + "add element inet tollgate v6 { 2001:db8::7 }\n");
        assertThat(runner.commands().subList(1, 3)).containsExactly(
                List.of("nft", "get", "element", "inet", "tollgate", "v4", "{ 192.0.2.7, 192.0.2.8 }"),
                List.of("nft", "get", "element", "inet", "tollgate", "v6", "{ 2001:db8::7 }"));
        assertThat(outcome.applied()).containsExactly("192.0.2.7", "192.0.2.8", "2001:db8::7");
    }

    @Test
    void theWarmUpStartsTheSessionAndOnlyAsksAboutTheProbes() throws Exception {
        RecordingRunner runner = new RecordingRunner().withSession(line ->
                "Error: Could not process rule: No such file or directory\n" + line + "\n^^^\n");

        action(Map.of(), runner).warmUp(List.of(ban("192.0.2.0"), ban("2001:db8::")));

        assertThat(runner.sessionLines()).isNotEmpty().allMatch(line -> line.startsWith("get element inet tollgate "));
        assertThat(runner.sessionLines()).contains("get element inet tollgate v4 { 192.0.2.0 }",
                "get element inet tollgate v6 { 2001:db8:: }");
        assertThat(runner.commands()).as("processes run: only reads").allMatch(command -> !command.contains("-f")
                && command.stream().noneMatch(word -> word.equals("add") || word.equals("delete")));
    }

    @Test
    void aFewBansAreTheSameTransactionOnOneLineOfTheSession() throws Exception {
        RecordingRunner runner = new RecordingRunner().withSession(line -> line.startsWith("get")
                ? "table inet tollgate {\n\tset v4 {\n\t\telements = { 192.0.2.7 timeout 1h expires 59m59s }\n"
                : "");

        BanOutcome outcome = action(Map.of(), runner).ban(List.of(ban("192.0.2.7"), permanent("2001:db8::7")));

        assertThat(runner.sessionLines()).containsExactly(
                STRUCTURE.strip().replace("\n", "; ")
                        + "; add element inet tollgate v4 { 192.0.2.7 }"
                        + "; delete element inet tollgate v4 { 192.0.2.7 }"
                        + "; add element inet tollgate v4 { 192.0.2.7 timeout 3600s }"
                        + "; add element inet tollgate v6 { 2001:db8::7 }"
                        + "; delete element inet tollgate v6 { 2001:db8::7 }"
                        + "; add element inet tollgate v6 { 2001:db8::7 }",
                "get element inet tollgate v4 { 192.0.2.7 }",
                "get element inet tollgate v6 { 2001:db8::7 }");
        assertThat(runner.commands()).isEmpty();
        assertThat(outcome.applied()).containsExactly("192.0.2.7", "2001:db8::7");
    }

    @Test
    void anAnswerFromTheSessionFallsBackToNftF() throws Exception {
        // The ban's line and the get element both answered by an error: nft -f, then nft get element, decide.
        RecordingRunner runner = new RecordingRunner()
                .withSession(line -> "Error: Could not process rule: No such file or directory\n" + line + "\n^^^\n");

        BanOutcome outcome = action(Map.of(), runner).ban(List.of(ban("192.0.2.7")));

        assertThat(runner.sessionLines()).hasSize(2);
        assertThat(runner.commands()).containsExactly(List.of("nft", "-f", "-"),
                List.of("nft", "get", "element", "inet", "tollgate", "v4", "{ 192.0.2.7 }"));
        assertThat(runner.calls().get(0).stdin()).isEqualTo(STRUCTURE
                + "add element inet tollgate v4 { 192.0.2.7 }\n"
                + "delete element inet tollgate v4 { 192.0.2.7 }\n"
                + "add element inet tollgate v4 { 192.0.2.7 timeout 3600s }\n");
        assertThat(outcome.applied()).containsExactly("192.0.2.7");
    }

    @Test
    void manyBansAtOnceSkipTheSession() throws Exception {
        RecordingRunner runner = new RecordingRunner().withSession(line -> "");
        List<Ban> bans = new ArrayList<>();
        for (int i = 1; i <= FirewallActions.CHECK_ONE_BY_ONE_UP_TO + 1; i++) {
            bans.add(ban("192.0.2." + i));
        }

        action(Map.of(), runner).ban(bans);

        assertThat(runner.sessionLines()).isEmpty();
        assertThat(runner.commands().get(0)).isEqualTo(List.of("nft", "-f", "-"));
    }

    @Test
    void whenGetElementFailsTheListingSaysWhichAreMissing() throws Exception {
        RecordingRunner runner = listing("nft-list-table.json");

        BanOutcome outcome = action(Map.of(), runner).ban(List.of(ban("192.0.2.50"), ban("192.0.2.8")));

        assertThat(runner.commands()).contains(List.of("nft", "-j", "list", "table", "inet", "tollgate"));
        assertThat(outcome.applied()).containsExactly("192.0.2.50");
        assertThat(outcome.failed()).containsOnlyKeys("192.0.2.8");
    }

    @Test
    void unbanAddsBeforeDeletingSoAbsentElementsAreFine() throws Exception {
        RecordingRunner runner = listing("nft-list-table.json");

        BanOutcome outcome = action(Map.of("table", "pbx", "blocktype", "reject"), runner)
                .unban(List.of(ban("192.0.2.99")));

        assertThat(runner.calls().get(0).stdin())
                .contains("add rule inet pbx input ip saddr @v4 reject\n")
                .endsWith("add element inet pbx v4 { 192.0.2.99 }\ndelete element inet pbx v4 { 192.0.2.99 }\n");
        assertThat(outcome.applied()).containsExactly("192.0.2.99");
    }

    @Test
    void missingCountsOnlyAddressesWhoseSetIsMatchedByARule() throws Exception {
        List<org.tollgate.banner.jail.Ban> active = List.of(ban("192.0.2.50"), ban("203.0.113.9"), ban("2001:db8::50"),
                ban("192.0.2.99"));

        assertThat(action(Map.of(), listing("nft-list-table.json")).missing(active)).containsExactly("192.0.2.99");
        assertThat(action(Map.of(), listing("nft-list-table-chain-flushed.json")).missing(active))
                .containsExactlyInAnyOrder("192.0.2.50", "203.0.113.9", "2001:db8::50", "192.0.2.99");
    }

    @Test
    void aMissingTableMeansEverythingIsMissing() throws Exception {
        RecordingRunner runner = new RecordingRunner().answering(command -> RecordingRunner.exit(1, "",
                "Error: No such file or directory\nlist table inet tollgate\n                ^^^^^^^^"));

        assertThat(action(Map.of(), runner).missing(List.of(ban("192.0.2.50")))).containsExactly("192.0.2.50");
    }

    @Test
    void tearDownDeletesTheTableEvenWhenItIsGone() throws Exception {
        RecordingRunner runner = new RecordingRunner();

        action(Map.of(), runner).tearDown();

        assertThat(runner.calls().get(0).stdin()).isEqualTo("add table inet tollgate\ndelete table inet tollgate\n");
    }

    @Test
    void tableNamesAreNftIdentifiers() {
        assertThatThrownBy(() -> action(Map.of("table", "toll-gate"), new RecordingRunner()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("actions.nftables.table: expected letters, digits or '_', was 'toll-gate'");
    }
}
