package org.tollgate.banner.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tollgate.testkit.NamespacePair.ATTACKER4;
import static org.tollgate.testkit.NamespacePair.ATTACKER6;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tollgate.banner.jail.Ban;

/** The iptables-allports action against the real iptables and ip6tables, inside a namespace of its own. */
class IptablesAllportsActionIT {

    @RegisterExtension
    static final ActionLab lab = new ActionLab("iptables", "ip6tables", "iptables-restore", "ip6tables-restore");

    @AfterEach
    void tearDownLeavesNothing() throws Exception {
        lab.tearDownAction();
        assertThat(lab.inServer("iptables", "-S")).doesNotContain("tollgate");
    }

    private FirewallAction action(Map<String, String> params) {
        return lab.action("iptables-allports", params);
    }

    @Test
    void bansRejectTrafficUntilUnbanned() throws Exception {
        FirewallAction iptables = action(Map.of("name", "sip"));
        iptables.setUp();
        iptables.setUp();
        assertThat(lab.inServer("iptables", "-S", "INPUT")).containsOnlyOnce("-A INPUT -j tollgate-sip");
        lab.assertDeliveredFrom(ATTACKER4);
        lab.assertDeliveredFrom(ATTACKER6);
        List<Ban> bans = ActionLab.attacker();

        lab.banAndAssertDropped(iptables, bans);
        lab.banAgainAndAssertNoneMissing(iptables, bans);

        assertThat(lab.inServer("iptables", "-S", "tollgate-sip")).containsOnlyOnce("-s 192.0.2.50/32 -j REJECT");

        lab.unbanAndAssertDelivered(iptables, bans);
    }

    @Test
    void aRemovedJumpIsMissingAndTheNextBanRestoresIt() throws Exception {
        FirewallAction iptables = action(Map.of("blocktype", "DROP"));
        iptables.setUp();
        List<Ban> bans = ActionLab.attacker();
        assertThat(iptables.ban(bans).applied()).hasSize(2);

        lab.inServer("iptables", "-D", "INPUT", "-j", "tollgate");

        lab.assertDeliveredFrom(ATTACKER4);
        assertThat(iptables.missing(bans)).containsExactly(ATTACKER4);
        assertThat(iptables.ban(bans).applied()).hasSize(2);
        lab.assertDroppedFrom(ATTACKER4);
        assertThat(iptables.missing(bans)).isEmpty();
    }

    @Test
    void aBatchIsOneRestoreAndOneListing() throws Exception {
        FirewallAction iptables = action(Map.of());
        iptables.setUp();
        List<Ban> bans = new ArrayList<>();
        for (int host = 1; host <= 200; host++) {
            bans.add(ActionLab.ban("203.0.113." + host, Duration.ofHours(1)));
        }

        assertThat(BulkBans.timed("iptables-allports: ban 200 IPv4", () -> iptables.ban(bans)).applied()).hasSize(200);
        assertThat(iptables.missing(bans)).isEmpty();
        assertThat(iptables.unban(bans).applied()).hasSize(200);
        assertThat(lab.inServer("iptables", "-S", "tollgate")).isEqualTo("-N tollgate\n");
    }
}
