package org.tollgate.banner.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tollgate.banner.jail.Ban;

/**
 * The ipset action when the kernel says no, inside a namespace of its own: a set full to its {@code maxelem} ("Hash
 * is full") fails the bans past it, each with the kernel's reason, and keeps those before it; a set of the same name
 * made by hand with other options ("set with the same name already exists") is refused at set-up with a hint.
 */
class IpsetFaultsIT {

    @RegisterExtension
    static final ActionLab lab = new ActionLab("ipset", "iptables", "ip6tables");

    @Test
    void aFullSetFailsTheBansPastItWithTheKernelsReasonAndKeepsTheRest() throws Exception {
        FirewallAction ipset = lab.action("ipset", Map.of("set", "small", "maxelem", "2"));
        ipset.setUp();
        List<Ban> bans = List.of(ActionLab.ban("192.0.2.71", Duration.ofHours(1)),
                ActionLab.ban("192.0.2.72", Duration.ofHours(1)), ActionLab.ban("192.0.2.73", Duration.ofHours(1)));

        BanOutcome outcome = ipset.ban(bans);

        System.out.println("ipset full: " + outcome);
        assertThat(outcome.applied()).hasSize(2);
        assertThat(outcome.failed()).hasSize(1);
        assertThat(outcome.failed().values().iterator().next()).containsIgnoringCase("full");
        assertThat(ipset.missing(bans)).isEqualTo(outcome.failed().keySet());
        assertThat(lab.inServer("ipset", "list", "small")).contains("Number of entries: 2");
    }

    @Test
    void aSetOfTheSameNameWithOtherOptionsIsRefusedAtSetUpWithAHint() throws Exception {
        lab.inServer("ipset", "create", "handmade", "hash:net");
        FirewallAction ipset = lab.action("ipset", Map.of("set", "handmade")); // its tear-down destroys the set
        assertThatThrownBy(ipset::setUp).isInstanceOf(ActionException.class)
                .hasMessageContaining("already exists").hasMessageContaining("destroy it, or name another set");
    }
}
