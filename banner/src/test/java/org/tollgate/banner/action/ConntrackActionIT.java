package org.tollgate.banner.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tollgate.testkit.NamespacePair.ATTACKER4;
import static org.tollgate.testkit.NamespacePair.ATTACKER6;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tollgate.banner.jail.Ban;

/** The conntrack action against the real conntrack table of a namespace of its own. */
class ConntrackActionIT {

    @RegisterExtension
    static final ActionLab lab = new ActionLab("conntrack", "nft");

    @BeforeAll
    static void trackConnections() {
        // Connection tracking runs in a namespace only once a rule there uses it.
        lab.inServer("nft", "add table inet host; "
                + "add chain inet host input { type filter hook input priority 0; policy accept; }; "
                + "add rule inet host input ct state established,related accept");
    }

    private String flowsFrom(Family family, String ip) {
        return family == Family.V4
                ? lab.server().run("conntrack", "-L", "-s", ip).stdout()
                : lab.server().run("conntrack", "-L", "-f", "ipv6", "-s", ip).stdout();
    }

    @Test
    void deletesTheAttackersFlowsAndToleratesNone() throws Exception {
        FirewallAction conntrack = lab.action("conntrack", Map.of());
        conntrack.setUp();
        lab.assertDeliveredFrom(ATTACKER4);
        lab.assertDeliveredFrom(ATTACKER6);
        assertThat(flowsFrom(Family.V4, ATTACKER4)).contains("src=" + ATTACKER4);
        assertThat(flowsFrom(Family.V6, ATTACKER6)).contains("src=" + ATTACKER6);
        List<Ban> bans = ActionLab.attacker();

        assertThat(conntrack.ban(bans).applied()).containsExactlyInAnyOrder(ATTACKER4, ATTACKER6);

        assertThat(flowsFrom(Family.V4, ATTACKER4)).doesNotContain("src=" + ATTACKER4);
        assertThat(flowsFrom(Family.V6, ATTACKER6)).doesNotContain("src=" + ATTACKER6);
        assertThat(conntrack.ban(bans).applied()).as("nothing left to delete").containsExactlyInAnyOrder(ATTACKER4, ATTACKER6);
        assertThat(conntrack.missing(bans)).isEmpty();
    }
}
