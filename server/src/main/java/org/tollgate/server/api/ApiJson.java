package org.tollgate.server.api;

import org.tollgate.server.cluster.ClusterStatus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tollgate.banner.enforce.ActionHealth;
import org.tollgate.banner.enforce.ActionStatus;
import org.tollgate.banner.enforce.BanStatus;
import org.tollgate.banner.enforce.EnforcerCounters;
import org.tollgate.banner.enforce.EnforcerStatus;
import org.tollgate.banner.jail.Ban;
import org.tollgate.banner.jail.JailStats;

/** The JSON the API answers with: snake_case names, instants as ISO-8601 UTC text, {@code null} for "never". */
final class ApiJson {

    private ApiJson() {
    }

    static JsonObject error(String message) {
        return new JsonObject().put("error", message);
    }

    static JsonArray bans(List<BanStatus> bans) {
        JsonArray out = new JsonArray();
        bans.forEach(ban -> out.add(ban(ban)));
        return out;
    }

    /** One ban in force, with each firewall action's state. */
    static JsonObject ban(BanStatus ban) {
        JsonArray actions = new JsonArray();
        for (ActionStatus action : ban.actions()) {
            actions.add(new JsonObject()
                    .put("action", action.action())
                    .put("state", action.state().name().toLowerCase(Locale.ROOT))
                    .put("last_error", action.lastError()));
        }
        return new JsonObject()
                .put("ip", ban.ip())
                .put("jail", ban.jail())
                .put("start", text(ban.start()))
                .put("end", text(ban.end()))
                .put("applied", ban.applied())
                .put("retries", ban.retries())
                .put("next_retry", text(ban.nextRetry()))
                .put("decided_by", ban.decidedBy())
                .put("actions", actions);
    }

    /** A ban just made or lifted (no action state yet, or none any more). */
    static JsonObject decision(Ban ban) {
        return new JsonObject()
                .put("ip", ban.ip())
                .put("jail", ban.jail())
                .put("start", text(ban.start()))
                .put("end", text(ban.end()))
                .put("failures", ban.failures())
                .put("ban_count", ban.banCount());
    }

    static JsonObject jail(JailStats stats) {
        return new JsonObject()
                .put("name", stats.jail())
                .put("active", stats.active())
                .put("bans", stats.bans())
                .put("counted", stats.counted())
                .put("tracked", stats.tracked())
                .put("evictions", stats.evictions())
                .put("skipped", new JsonObject()
                        .put("ignored", stats.ignored())
                        .put("untrusted", stats.untrusted())
                        .put("unmatched", stats.unmatched())
                        .put("invalid", stats.invalid())
                        .put("stale", stats.stale())
                        .put("while_banned", stats.whileBanned())
                        .put("same_attempt", stats.sameAttempt()));
    }

    static JsonObject pipeline(PipelineCounts counts) {
        JsonObject queues = new JsonObject();
        counts.queueDepths().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(entry -> queues.put(entry.getKey(), entry.getValue()));
        JsonObject dropped = new JsonObject();
        counts.outputsDropped().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(entry -> dropped.put(entry.getKey(), entry.getValue()));
        return new JsonObject()
                .put("lines_read", counts.linesRead())
                .put("events", counts.events())
                .put("security_events", counts.securityEvents())
                .put("failures", counts.failures())
                .put("failures_handled", counts.failuresHandled())
                .put("queue_depths", queues)
                .put("outputs_dropped", dropped);
    }

    static JsonArray actions(List<ActionHealth> actions) {
        JsonArray out = new JsonArray();
        for (ActionHealth action : actions) {
            out.add(new JsonObject().put("action", action.action())
                    .put("state", !action.usable() ? "unusable" : action.failing() != null ? "failing" : "usable")
                    .put("problem", action.usable() ? action.failing() : action.problem()));
        }
        return out;
    }

    static JsonObject store(StoreStatus store) {
        JsonObject rows = new JsonObject();
        store.rows().forEach(rows::put);
        return new JsonObject()
                .put("path", store.path())
                .put("healthy", store.health().healthy())
                .put("write_failures", store.health().failures())
                .put("error", store.health().lastError())
                .put("failing_since", store.health().since() == null ? null : store.health().since().toString())
                .put("rows", rows);
    }

    static JsonArray problems(PipelineCounts counts) {
        return new JsonArray(counts.problems());
    }

    static JsonObject firewall(EnforcerStatus status) {
        EnforcerCounters counters = status.counters();
        return new JsonObject()
                .put("applied", counters.applied())
                .put("failed", counters.failed())
                .put("retried", counters.retried())
                .put("reconciled", counters.reconciled())
                .put("unbans", counters.unbans())
                .put("unban_failures", counters.unbanFailures())
                .put("store_failures", counters.storeFailures())
                .put("pending_unbans", status.pendingUnbans())
                .put("restoring", status.restoring());
    }

    /** The cluster as this node sees it: its members with their health, and what was shared. */
    static JsonObject cluster(ClusterStatus cluster) {
        JsonArray members = new JsonArray();
        for (ClusterStatus.Member member : cluster.members()) {
            members.add(new JsonObject().put("hostname", member.hostname()).put("address", member.address())
                    .put("state", member.state()).put("last_contact", text(member.lastContact())));
        }
        return new JsonObject()
                .put("name", cluster.name())
                .put("size", cluster.size())
                .put("members", members)
                .put("bans_shared", cluster.bansShared())
                .put("bans_received", cluster.bansReceived())
                .put("lifts_received", cluster.liftsReceived())
                .put("failures_forwarded", cluster.failuresForwarded())
                .put("failures_received", cluster.failuresReceived())
                .put("events_unshared", cluster.eventsUnshared())
                .put("map_write_failures", cluster.mapWriteFailures())
                .put("comparisons", cluster.comparisons())
                .put("last_comparison", text(cluster.lastComparison()));
    }

    static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
