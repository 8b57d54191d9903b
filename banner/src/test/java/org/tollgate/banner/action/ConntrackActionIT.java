package org.tollgate.banner.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tollgate.banner.action.NetnsLab.ATTACKER4;
import static org.tollgate.banner.action.NetnsLab.ATTACKER6;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tollgate.banner.jail.ActionSettings;
import org.tollgate.banner.jail.Ban;

/** The conntrack action against the real conntrack table of a namespace of its own. */
class ConntrackActionIT {

    private static NetnsLab lab;

    @BeforeAll
    static void createLab() {
        lab = NetnsLab.create("conntrack", "nft");
        // Connection tracking runs in a namespace only once a rule there uses it.
        lab.inServer("nft", "add table inet host; "
                + "add chain inet host input { type filter hook input priority 0; policy accept; }; "
                + "add rule inet host input ct state established,related accept");
    }

    @AfterAll
    static void removeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    private String flowsFrom(Family family, String ip) throws Exception {
        List<String> command = family == Family.V4
                ? List.of("conntrack", "-L", "-s", ip)
                : List.of("conntrack", "-L", "-f", "ipv6", "-s", ip);
        return lab.runner().run(command).stdout();
    }

    @Test
    void deletesTheAttackersFlowsAndToleratesNone() throws Exception {
        FirewallAction conntrack = FirewallActions.create(new ActionSettings("conntrack", Map.of(), 0), lab.runner());
        conntrack.setUp();
        lab.assertDelivered(Family.V4);
        lab.assertDelivered(Family.V6);
        assertThat(flowsFrom(Family.V4, ATTACKER4)).contains("src=" + ATTACKER4);
        assertThat(flowsFrom(Family.V6, ATTACKER6)).contains("src=" + ATTACKER6);
        List<Ban> bans = List.of(
                Ban.lasting(ATTACKER4, "sip-auth", Instant.now(), Duration.ofHours(1), 5, 1),
                Ban.lasting(ATTACKER6, "sip-auth", Instant.now(), Duration.ofHours(1), 5, 1));

        assertThat(conntrack.ban(bans).applied()).containsExactlyInAnyOrder(ATTACKER4, ATTACKER6);

        assertThat(flowsFrom(Family.V4, ATTACKER4)).doesNotContain("src=" + ATTACKER4);
        assertThat(flowsFrom(Family.V6, ATTACKER6)).doesNotContain("src=" + ATTACKER6);
        assertThat(conntrack.ban(bans).applied()).as("nothing left to delete").containsExactlyInAnyOrder(ATTACKER4, ATTACKER6);
        assertThat(conntrack.missing(bans)).isEmpty();
    }
}
