package org.tollgate.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tollgate.banner.shield.ShieldStatus;
import org.tollgate.server.shield.ShieldReading;

class ShieldMetricsTest {

    @Test
    void theShieldsLastReadingGivesItsRulesCountersByRuleAndFamily() {
        ShieldStatus status = new ShieldStatus("nftables:tollgate_shield", true, List.of(
                new ShieldStatus.Rule("allow list", "ipv4", 10, 1200),
                new ShieldStatus.Rule("ladder 3/60s", "ipv4", 7, 3500),
                new ShieldStatus.Rule("ladder 3/60s", "ipv6", 2, 1000),
                new ShieldStatus.Rule("user-agent \"friendly\\scanner\"", "ipv4", 1, 480)), List.of());
        PrometheusText out = new PrometheusText();

        ApiMetrics.shield(out, new ShieldReading(status, Instant.parse("2026-12-06T21:00:00Z"), 3));

        assertThat(out.toString())
                .contains("# TYPE tollgate_shield_in_force gauge\ntollgate_shield_in_force 1\n")
                .contains("tollgate_shield_reapplied_total 3\n")
                .contains("tollgate_shield_read_timestamp_seconds 1796590800\n")
                .contains("tollgate_shield_packets_total{rule=\"ladder 3/60s\",family=\"ipv4\"} 7\n")
                .contains("tollgate_shield_packets_total{rule=\"ladder 3/60s\",family=\"ipv6\"} 2\n")
                .contains("tollgate_shield_packets_total{rule=\"allow list\",family=\"ipv4\"} 10\n")
                .contains("tollgate_shield_bytes_total{rule=\"ladder 3/60s\",family=\"ipv4\"} 3500\n")
                // A rule's comment holds text from the configuration: escaped as the format asks.
                .contains("tollgate_shield_packets_total{rule=\"user-agent \\\"friendly\\\\scanner\\\"\",family=\"ipv4\"} 1\n");
    }

    @Test
    void aRuleTheFirewallShowsTwiceIsOneSampleWithTheirSum() {
        ShieldStatus status = new ShieldStatus("iptables:TOLLGATE_SHIELD", true, List.of(
                new ShieldStatus.Rule("ladder 3/30s", "ipv4", 7, 1689),
                new ShieldStatus.Rule("ladder 3/30s", "ipv4", 2, 300)), List.of());
        PrometheusText out = new PrometheusText();

        ApiMetrics.shield(out, new ShieldReading(status, Instant.EPOCH, 0));

        assertThat(out.toString()).containsOnlyOnce("tollgate_shield_packets_total{rule=\"ladder 3/30s\",family=\"ipv4\"}")
                .contains("tollgate_shield_packets_total{rule=\"ladder 3/30s\",family=\"ipv4\"} 9\n")
                .contains("tollgate_shield_bytes_total{rule=\"ladder 3/30s\",family=\"ipv4\"} 1989\n");
    }

    @Test
    void aShieldNotInForceSaysSo() {
        ShieldStatus status = new ShieldStatus("iptables:TOLLGATE_SHIELD", false, List.of(), List.of("table missing"));
        PrometheusText out = new PrometheusText();

        ApiMetrics.shield(out, new ShieldReading(status, Instant.EPOCH, 0));

        assertThat(out.toString()).contains("tollgate_shield_in_force 0\n").contains("tollgate_shield_reapplied_total 0\n");
    }
}
