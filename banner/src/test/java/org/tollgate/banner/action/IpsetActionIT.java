package org.tollgate.banner.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tollgate.testkit.NamespacePair.ATTACKER4;
import static org.tollgate.testkit.NamespacePair.ATTACKER6;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tollgate.banner.jail.Ban;

/** The ipset action against the real ipset and iptables, inside a namespace of its own. */
class IpsetActionIT {

    @RegisterExtension
    static final ActionLab lab = new ActionLab("ipset", "iptables", "ip6tables");

    private FirewallAction action(Map<String, String> params) {
        return lab.action("ipset", params);
    }

    @Test
    void theSessionSurvivesItsSetsVanishingAndBeingClosed() throws Exception {
        FirewallAction ipset = action(Map.of());
        ipset.setUp();
        Ban first = ActionLab.ban("192.0.2.61", Duration.ofHours(1));
        assertThat(ipset.ban(List.of(first)).applied()).containsExactly("192.0.2.61");

        // Someone flushes the firewall by hand: rule and set gone while the session runs.
        lab.inServer("iptables", "-w", "-D", "INPUT", "-m", "set", "--match-set", "tollgate", "src", "-j", "DROP");
        lab.inServer("ipset", "destroy", "tollgate");
        Ban second = ActionLab.ban("192.0.2.62", Duration.ofHours(1));

        assertThat(ipset.ban(List.of(second)).applied()).containsExactly("192.0.2.62");
        assertThat(lab.inServer("ipset", "list", "tollgate")).contains("192.0.2.62 timeout");
        assertThat(lab.inServer("iptables", "-S", "INPUT")).contains("-m set --match-set tollgate src -j DROP");

        ipset.close();
        Ban third = ActionLab.ban("192.0.2.63", Duration.ofHours(1));
        assertThat(ipset.ban(List.of(third)).applied()).containsExactly("192.0.2.63");
        assertThat(lab.inServer("ipset", "list", "tollgate")).contains("192.0.2.63 timeout");
    }

    @Test
    void bansDropTrafficUntilUnbanned() throws Exception {
        FirewallAction ipset = action(Map.of("protocol", "udp", "port", "5060,5061"));
        ipset.setUp();
        ipset.setUp();
        lab.assertDeliveredFrom(ATTACKER4);
        lab.assertDeliveredFrom(ATTACKER6);
        List<Ban> bans = ActionLab.attackerWithPermanentIpv6();

        lab.banAndAssertDropped(ipset, bans);

        assertThat(lab.inServer("ipset", "list", "tollgate")).containsPattern("192\\.0\\.2\\.50 timeout 3[56]\\d\\d");
        assertThat(lab.inServer("ipset", "list", "tollgate-v6")).contains("2001:db8::50 timeout 0");
        assertThat(lab.inServer("iptables", "-S", "INPUT")).contains(
                "-A INPUT -p udp -m multiport --dports 5060,5061 -m set --match-set tollgate src -j DROP");
        lab.banAgainAndAssertNoneMissing(ipset, bans);

        lab.unbanAndAssertDelivered(ipset, bans);
    }

    @Test
    void aFlushedRuleIsMissingAndTheNextBanRestoresIt() throws Exception {
        FirewallAction ipset = action(Map.of("blocktype", "REJECT"));
        ipset.setUp();
        List<Ban> bans = List.of(ActionLab.ban(ATTACKER4, Duration.ofHours(1)));
        assertThat(ipset.ban(bans).applied()).containsExactly(ATTACKER4);
        lab.assertDroppedFrom(ATTACKER4);

        lab.inServer("iptables", "-F", "INPUT");

        lab.assertDeliveredFrom(ATTACKER4);
        assertThat(ipset.missing(bans)).containsExactly(ATTACKER4);
        assertThat(ipset.ban(bans).applied()).containsExactly(ATTACKER4);
        lab.assertDroppedFrom(ATTACKER4);
        assertThat(ipset.missing(bans)).isEmpty();
    }

    /**
     * The warm-up's rehearsed adds leave no trace: the sets in use hold what they held, no throwaway set is left
     * (one left by an interrupted warm-up is destroyed), and a set of the throwaway name that is not one stays.
     */
    @Test
    void theWarmUpChangesNoSetInUseAndLeavesNoThrowawaySet() throws Exception {
        FirewallAction ipset = action(Map.of());
        ipset.setUp();
        assertThat(ipset.ban(List.of(ActionLab.ban("192.0.2.64", Duration.ofHours(1)))).applied())
                .containsExactly("192.0.2.64");
        List<Ban> probes = List.of(ActionLab.ban("192.0.2.0", Duration.ofMinutes(1)),
                ActionLab.ban("2001:db8::", Duration.ofMinutes(1)));
        // Left by a warm-up that stopped half-way (IPv4), and a set of the user's that happens to bear the name (IPv6).
        lab.inServer("ipset", "create", "tollgate-w4", "hash:ip", "family", "inet", "timeout", "0", "maxelem", "1");
        lab.inServer("ipset", "create", "tollgate-w6", "hash:ip", "family", "inet6", "maxelem", "16");
        lab.inServer("ipset", "add", "tollgate-w6", "2001:db8::77");

        ipset.warmUp(probes);

        assertThat(lab.inServer("ipset", "list", "-n").lines()).containsExactlyInAnyOrder("tollgate", "tollgate-v6",
                "tollgate-w6");
        assertThat(lab.inServer("ipset", "list", "tollgate")).contains("192.0.2.64 timeout").doesNotContain("192.0.2.0 ");
        assertThat(lab.inServer("ipset", "list", "tollgate-v6")).contains("Number of entries: 0");
        assertThat(lab.inServer("ipset", "list", "tollgate-w6")).contains("maxelem 16", "2001:db8::77")
                .doesNotContain("2001:db8::\n");

        lab.inServer("ipset", "destroy", "tollgate-w6");
        ipset.warmUp(probes);
        assertThat(lab.inServer("ipset", "list", "-n").lines()).containsExactlyInAnyOrder("tollgate", "tollgate-v6");
        ipset.close();
    }

    @Test
    void tenThousandBansInOneCall() throws Exception {
        FirewallAction ipset = action(Map.of());
        ipset.setUp();
        BulkBans bulk = new BulkBans("ipset", ipset);

        bulk.banLoseAndRestore();
        bulk.unban();
    }
}
