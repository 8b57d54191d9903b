package org.tollgate.banner.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code nft monitor destroy} output: only the action's own table, sets and chain count. */
class NftablesDeletionsTest {

    private static List<String> read(String table, String... lines) {
        return Fixtures.reasons(new NftablesDeletions(table), lines);
    }

    @Test
    void aFlushedRulesetDeletesTheSetsTheChainAndTheTable() {
        String[] lines = Fixtures.resource("nft-monitor-destroy-flush-ruleset.txt").split("\n");

        assertThat(read("tollgate", lines)).containsExactly("nftables set inet tollgate v4 deleted",
                "nftables set inet tollgate v6 deleted", "nftables chain inet tollgate input deleted",
                "nftables table inet tollgate deleted");
        assertThat(read("tollgate_sip", lines)).containsExactly("nftables set inet tollgate_sip v4 deleted");
        assertThat(read("tollgate_other", lines)).isEmpty();
    }

    @Test
    void elementsAndRulesTheActionDeletesItselfAreNoReason() {
        assertThat(read("tollgate", "delete element inet tollgate v4 { 192.0.2.9 }",
                "delete element inet tollgate v6 { 2001:db8::9 }", "delete rule inet tollgate input handle 4",
                "add table inet tollgate", "add set inet tollgate v4 { type ipv4_addr; flags timeout; }",
                "# new generation 6 by process 30515 (nft)")).isEmpty();
    }

    @Test
    void theNameMustMatchExactly() {
        assertThat(read("tollgate", "delete table inet tollgate2", "delete table inet tollgat",
                "delete table ip tollgate", "delete table inet tollgate extra", "delete set inet tollgate v4x",
                "delete set inet tollgate", "delete set inet tollgate v4 extra", "delete chain inet tollgate output",
                "delete chain inet tollgate", "delete flowtable inet tollgate v4", "deleted table inet tollgate",
                "delete  table inet tollgate", "")).isEmpty();
    }

    @Test
    void aDefinitionOrCommentAfterTheNameAndTheDestroyWordAreRead() {
        assertThat(read("tollgate", "delete table inet tollgate # handle 5", "destroy table inet tollgate",
                "delete set inet tollgate v6 { type ipv6_addr; flags timeout; }", "  delete chain inet tollgate input"))
                .containsExactly("nftables table inet tollgate deleted", "nftables table inet tollgate deleted",
                        "nftables set inet tollgate v6 deleted", "nftables chain inet tollgate input deleted");
    }

    @Test
    void theActionWatchesWithNftMonitorDestroyThroughItsRunner() {
        RecordingRunner runner = new RecordingRunner();
        FirewallAction action = FirewallActions.create(Fixtures.settings("nftables", java.util.Map.of("table", "tg")),
                runner);

        FirewallMonitor monitor = action.monitor().orElseThrow();

        assertThat(monitor.command()).containsExactly("nft", "monitor", "destroy");
        assertThat(monitor.runner()).isSameAs(runner);
        assertThat(monitor.parsers().get().read("delete table inet tg")).contains("nftables table inet tg deleted");
    }
}
