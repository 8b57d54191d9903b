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

    @Test
    void tenThousandBansInOneCall() throws Exception {
        FirewallAction ipset = action(Map.of());
        ipset.setUp();
        BulkBans bulk = new BulkBans("ipset", ipset);

        bulk.banLoseAndRestore();
        bulk.unban();
    }
}
