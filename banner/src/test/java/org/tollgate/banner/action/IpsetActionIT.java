package org.tollgate.banner.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tollgate.banner.action.BulkBans.timed;
import static org.tollgate.testkit.NamespacePair.ATTACKER4;
import static org.tollgate.testkit.NamespacePair.ATTACKER6;

import java.time.Duration;
import java.time.Instant;
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
        Ban first = Ban.lasting("192.0.2.61", "sip-auth", Instant.now(), Duration.ofHours(1), 5, 1);
        assertThat(ipset.ban(List.of(first)).applied()).containsExactly("192.0.2.61");

        // Someone flushes the firewall by hand: rule and set gone while the session runs.
        lab.inServer("iptables", "-w", "-D", "INPUT", "-m", "set", "--match-set", "tollgate", "src", "-j", "DROP");
        lab.inServer("ipset", "destroy", "tollgate");
        Ban second = Ban.lasting("192.0.2.62", "sip-auth", Instant.now(), Duration.ofHours(1), 5, 1);

        assertThat(ipset.ban(List.of(second)).applied()).containsExactly("192.0.2.62");
        assertThat(lab.inServer("ipset", "list", "tollgate")).contains("192.0.2.62 timeout");
        assertThat(lab.inServer("iptables", "-S", "INPUT")).contains("-m set --match-set tollgate src -j DROP");

        ipset.close();
        Ban third = Ban.lasting("192.0.2.63", "sip-auth", Instant.now(), Duration.ofHours(1), 5, 1);
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
        List<Ban> bans = List.of(
                Ban.lasting(ATTACKER4, "sip-auth", Instant.now(), Duration.ofHours(1), 5, 1),
                Ban.lasting(ATTACKER6, "sip-auth", Instant.now(), Duration.ofSeconds(-1), 5, 1));

        BanOutcome banned = ipset.ban(bans);

        assertThat(banned.applied()).containsExactlyInAnyOrder(ATTACKER4, ATTACKER6);
        assertThat(banned.failed()).isEmpty();
        lab.assertDroppedFrom(ATTACKER4);
        lab.assertDroppedFrom(ATTACKER6);
        assertThat(lab.inServer("ipset", "list", "tollgate")).containsPattern("192\\.0\\.2\\.50 timeout 3[56]\\d\\d");
        assertThat(lab.inServer("ipset", "list", "tollgate-v6")).contains("2001:db8::50 timeout 0");
        assertThat(lab.inServer("iptables", "-S", "INPUT")).contains(
                "-A INPUT -p udp -m multiport --dports 5060,5061 -m set --match-set tollgate src -j DROP");
        assertThat(ipset.ban(bans).applied()).as("banning twice").containsExactlyInAnyOrder(ATTACKER4, ATTACKER6);
        assertThat(ipset.missing(bans)).isEmpty();

        BanOutcome unbanned = ipset.unban(bans);

        assertThat(unbanned.applied()).containsExactlyInAnyOrder(ATTACKER4, ATTACKER6);
        lab.assertDeliveredFrom(ATTACKER4);
        lab.assertDeliveredFrom(ATTACKER6);
        assertThat(ipset.missing(bans)).containsExactlyInAnyOrder(ATTACKER4, ATTACKER6);
        assertThat(ipset.unban(bans).applied()).as("unbanning twice").containsExactlyInAnyOrder(ATTACKER4, ATTACKER6);
    }

    @Test
    void aFlushedRuleIsMissingAndTheNextBanRestoresIt() throws Exception {
        FirewallAction ipset = action(Map.of("blocktype", "REJECT"));
        ipset.setUp();
        List<Ban> bans = List.of(Ban.lasting(ATTACKER4, "sip-auth", Instant.now(), Duration.ofHours(1), 5, 1));
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
        List<Ban> bans = BulkBans.tenThousand();
        String label = "ipset: %s " + bans.size() + " (" + BulkBans.ipv4(bans) + " IPv4)";

        BanOutcome banned = timed(String.format(label, "ban"), () -> ipset.ban(bans));
        assertThat(banned.applied()).hasSize(BulkBans.COUNT);
        assertThat(timed(String.format(label, "missing() over"), () -> ipset.missing(bans))).isEmpty();

        ipset.tearDown();
        assertThat(ipset.missing(bans)).hasSize(BulkBans.COUNT);
        BanOutcome restored = timed(String.format(label, "restore (setUp + ban) of"), () -> {
            ipset.setUp();
            return ipset.ban(bans);
        });
        assertThat(restored.applied()).hasSize(BulkBans.COUNT);
        assertThat(timed(String.format(label, "unban"), () -> ipset.unban(bans)).applied()).hasSize(BulkBans.COUNT);
    }
}
