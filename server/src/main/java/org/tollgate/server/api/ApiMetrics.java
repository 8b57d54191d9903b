package org.tollgate.server.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.tollgate.banner.enforce.ActionState;
import org.tollgate.banner.enforce.ActionStatus;
import org.tollgate.banner.enforce.BanStatus;
import org.tollgate.banner.enforce.EnforcerCounters;
import org.tollgate.banner.enforce.EnforcerStatus;
import org.tollgate.banner.jail.JailStats;
import org.tollgate.banner.shield.ShieldStatus;
import org.tollgate.server.shield.ShieldReading;
import org.tollgate.server.cluster.ClusterStatus;

/**
 * {@code GET /metrics}: the service's counters in the Prometheus text format, written by hand. The figures already
 * live in the pipeline, the jails and the enforcer as plain counters read on demand; a metrics library would only
 * copy them into its own registry, and would bring its dependencies into the shaded jar.
 */
final class ApiMetrics {

    private ApiMetrics() {
    }

    static String write(EnforcerStatus status, List<JailStats> jails, PipelineCounts pipeline, StoreStatus store,
                        AttackStats stats, Optional<ShieldReading> shield, ClusterStatus cluster) {
        PrometheusText out = new PrometheusText();

        out.single("tollgate_lines_read_total", "counter", "Lines read from every source.", pipeline.linesRead());
        out.single("tollgate_events_total", "counter", "Lines normalized and published on the event bus.",
                pipeline.events());
        out.family("tollgate_security_events_total", "counter",
                "Security events by event.action, counted since the API started.");
        stats.byAction().forEach((action, count) -> out.sample("tollgate_security_events_total", count,
                "action", action));
        out.single("tollgate_security_events_uncounted_total", "counter",
                "Security events the status counts skipped: read faster than counted, their figures are a sample.",
                stats.skipped());
        out.single("tollgate_failures_total", "counter", "Failures with a source address sent to the jails.",
                pipeline.failures());
        out.single("tollgate_failures_handled_total", "counter", "Failures the jails have counted.",
                pipeline.failuresHandled());
        out.single("tollgate_problems", "gauge", "What keeps the service from protecting fully now (a log file "
                + "missing, a firewall action that cannot run, the state database failing), each named in /api/status.",
                pipeline.problems().size());
        out.family("tollgate_queue_depth", "gauge", "Items waiting, by queue.");
        new TreeMap<>(pipeline.queueDepths()).forEach((queue, depth) -> out.sample("tollgate_queue_depth", depth,
                "queue", queue));
        out.family("tollgate_output_dropped_total", "counter",
                "Events an output lost: its queue was full, a write failed, or a connection broke before they were sent.");
        new TreeMap<>(pipeline.outputsDropped()).forEach((output, dropped) -> out.sample("tollgate_output_dropped_total",
                dropped, "output", output));

        out.family("tollgate_jail_counted_total", "counter", "Failures (recidive: bans) counted into a jail's window.");
        jails.forEach(jail -> out.sample("tollgate_jail_counted_total", jail.counted(), "jail", jail.jail()));
        out.family("tollgate_jail_skipped_total", "counter", "Failures a jail did not count, by reason.");
        for (JailStats jail : jails) {
            skipped(out, jail, "ignored", jail.ignored());
            skipped(out, jail, "untrusted", jail.untrusted());
            skipped(out, jail, "unmatched", jail.unmatched());
            skipped(out, jail, "invalid", jail.invalid());
            skipped(out, jail, "stale", jail.stale());
            skipped(out, jail, "while_banned", jail.whileBanned());
            skipped(out, jail, "same_attempt", jail.sameAttempt());
        }
        out.family("tollgate_jail_bans_total", "counter", "Bans a jail made.");
        jails.forEach(jail -> out.sample("tollgate_jail_bans_total", jail.bans(), "jail", jail.jail()));
        out.family("tollgate_jail_evictions_total", "counter", "Addresses a jail forgot because it tracked maxtracked.");
        jails.forEach(jail -> out.sample("tollgate_jail_evictions_total", jail.evictions(), "jail", jail.jail()));
        out.family("tollgate_jail_tracked_addresses", "gauge", "Addresses a jail is counting now.");
        jails.forEach(jail -> out.sample("tollgate_jail_tracked_addresses", jail.tracked(), "jail", jail.jail()));
        out.family("tollgate_bans_active", "gauge", "Bans in force, by jail.");
        jails.forEach(jail -> out.sample("tollgate_bans_active", jail.active(), "jail", jail.jail()));

        out.family("tollgate_ban_actions", "gauge", "Bans in force by firewall action and their state there.");
        Map<String, long[]> byAction = new TreeMap<>();
        for (BanStatus ban : status.bans()) {
            for (ActionStatus action : ban.actions()) {
                byAction.computeIfAbsent(action.action(), a -> new long[ActionState.values().length])
                        [action.state().ordinal()]++;
            }
        }
        byAction.forEach((action, counts) -> {
            for (ActionState state : ActionState.values()) {
                out.sample("tollgate_ban_actions", counts[state.ordinal()], "action", action,
                        "state", state.name().toLowerCase(Locale.ROOT));
            }
        });
        EnforcerCounters counters = status.counters();
        out.single("tollgate_firewall_applied_total", "counter",
                "Addresses a firewall action put in force (per address and action).", counters.applied());
        out.single("tollgate_firewall_failures_total", "counter",
                "Addresses a firewall action failed to put in force, per attempt.", counters.failed());
        out.single("tollgate_firewall_retries_total", "counter",
                "Addresses retried after a failure, per attempt.", counters.retried());
        out.single("tollgate_firewall_reconciled_total", "counter",
                "Addresses put back because a firewall no longer had them.", counters.reconciled());
        out.single("tollgate_firewall_unbans_total", "counter", "Addresses a firewall action lifted.",
                counters.unbans());
        out.single("tollgate_firewall_unban_failures_total", "counter",
                "Addresses a firewall action failed to lift, per attempt.", counters.unbanFailures());
        out.single("tollgate_store_failures_total", "counter", "Ban store writes that failed.",
                counters.storeFailures());
        out.family("tollgate_action_usable", "gauge",
                "1 while a firewall action can run, 0 while a tool it runs is not installed.");
        status.actions().forEach(action -> out.sample("tollgate_action_usable", action.usable() ? 1 : 0,
                "action", action.action()));
        out.family("tollgate_action_failing", "gauge",
                "1 while a firewall action's calls fail (since the last one that worked), 0 while they work.");
        status.actions().forEach(action -> out.sample("tollgate_action_failing", action.failing() != null ? 1 : 0,
                "action", action.action()));
        out.single("tollgate_store_healthy", "gauge", "1 while the state database takes writes, 0 while they fail.",
                store.health().healthy() ? 1 : 0);
        out.single("tollgate_store_write_failures_total", "counter",
                "State database writes (bans, read positions) that failed and were kept to write again.",
                store.health().failures());
        out.family("tollgate_state_rows", "gauge", "Rows per table of the state database, counted every minute.");
        new TreeMap<>(store.rows()).forEach((table, rows) -> out.sample("tollgate_state_rows", rows, "table", table));
        out.single("tollgate_unbans_pending", "gauge", "Lifted bans some firewall action still has to remove.",
                status.pendingUnbans());

        out.histogram("tollgate_ban_lag_seconds",
                "From the log time of the line that triggered a ban to the ban applied by its firewall actions.",
                stats.banLag());
        shield.ifPresent(reading -> shield(out, reading));
        if (cluster.enabled()) {
            cluster(out, cluster);
        }
        return out.toString();
    }

    /** The shield's figures as last read from the firewall (present only while a shield runs). */
    static void shield(PrometheusText out, ShieldReading reading) {
        ShieldStatus status = reading.status();
        out.single("tollgate_shield_in_force", "gauge", "1 while every rule of the shield was in force when last read.",
                status.inForce() ? 1 : 0);
        out.single("tollgate_shield_reapplied_total", "counter", "Times the shield was put back after the firewall lost it.",
                reading.reapplied());
        out.single("tollgate_shield_read_timestamp_seconds", "gauge",
                "When the shield's counters below were read from the firewall (Unix time).",
                reading.readAt().getEpochSecond());
        // One sample per rule and family: a backend may show one rule as several (iptables: one per protocol).
        Map<List<String>, long[]> byRule = new LinkedHashMap<>();
        for (ShieldStatus.Rule rule : status.rules()) {
            long[] sums = byRule.computeIfAbsent(List.of(rule.what(), rule.family()), key -> new long[2]);
            sums[0] += rule.packets();
            sums[1] += rule.bytes();
        }
        out.family("tollgate_shield_packets_total", "counter",
                "Packets each shield rule matched (dropped; accepted for the allow list), by rule and family.");
        byRule.forEach((key, sums) -> out.sample("tollgate_shield_packets_total", sums[0],
                "rule", key.get(0), "family", key.get(1)));
        out.family("tollgate_shield_bytes_total", "counter", "Bytes of those packets, by rule and family.");
        byRule.forEach((key, sums) -> out.sample("tollgate_shield_bytes_total", sums[1],
                "rule", key.get(0), "family", key.get(1)));
    }

    private static void cluster(PrometheusText out, ClusterStatus cluster) {
        out.single("tollgate_cluster_members", "gauge", "Nodes in the cluster's view now, this one included.",
                cluster.size());
        out.family("tollgate_cluster_member_up", "gauge",
                "1 while a configured or known node is in the cluster and heard from lately, by address.");
        cluster.members().forEach(member -> out.sample("tollgate_cluster_member_up",
                "up".equals(member.state()) || "self".equals(member.state()) ? 1 : 0, "member", member.address()));
        out.single("tollgate_cluster_bans_shared_total", "counter",
                "Bans and lifts by hand decided here and sent to the other nodes.", cluster.bansShared());
        out.single("tollgate_cluster_bans_received_total", "counter",
                "Bans decided by other nodes and put in force here.", cluster.bansReceived());
        out.single("tollgate_cluster_lifts_received_total", "counter",
                "Lifts by hand on other nodes made here.", cluster.liftsReceived());
        out.single("tollgate_cluster_failures_forwarded_total", "counter",
                "Failures seen here and sent to the node that counts their address.", cluster.failuresForwarded());
        out.single("tollgate_cluster_failures_received_total", "counter",
                "Failures other nodes sent here to count.", cluster.failuresReceived());
        out.single("tollgate_cluster_events_unshared_total", "counter",
                "Security events kept to this node: more than events_per_second came.", cluster.eventsUnshared());
        out.single("tollgate_cluster_map_write_failures_total", "counter",
                "Writes to the shared map that failed (made good by the next comparison).", cluster.mapWriteFailures());
        out.single("tollgate_cluster_comparisons_total", "counter",
                "Comparisons of the bans held here with the shared map, finished.", cluster.comparisons());
        ClusterStatus.Delays delay = cluster.delay();
        out.histogram("tollgate_cluster_propagation_seconds",
                "From a decision on another node (its clock) to its arrival here (this one's).",
                delay.bounds(), delay.cumulative(), delay.count(), delay.sum());
    }

    private static void skipped(PrometheusText out, JailStats jail, String reason, long count) {
        out.sample("tollgate_jail_skipped_total", count, "jail", jail.jail(), "reason", reason);
    }
}
