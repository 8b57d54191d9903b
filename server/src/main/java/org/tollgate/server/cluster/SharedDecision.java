package org.tollgate.server.cluster;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.tollgate.banner.jail.Ban;
import org.tollgate.normalizer.address.IpLiteral;

/**
 * A ban or a lift decided on one node of the cluster, as the nodes send it to each other on
 * {@link ClusterAddresses#DECISIONS} and keep it in the shared map (key {@link #key()}): the latest decision per
 * address and jail. A lift is a tombstone: it says the bans of the address in the jail that started at or before
 * {@link #at} are over, so a node that was away learns of an unban by hand too.
 *
 * @param lift   true for a lift by hand, false for a ban
 * @param ban    the ban (for a lift: the ban lifted), with the node that decided it
 * @param at     when the node decided it (its clock): the ban's start, or the moment of the lift
 * @param nodeId the deciding node's cluster id
 * @param manual whether it was made by hand (tollgate ban / unban)
 */
public record SharedDecision(boolean lift, Ban ban, Instant at, String nodeId, boolean manual) {

    /** How long a lift of a permanent ban is remembered in the shared map. */
    static final Duration PERMANENT_LIFT_MEMORY = Duration.ofDays(30);
    /** Kept in the map this long past the end of its ban, for nodes whose clocks run a little behind. */
    private static final Duration GRACE = Duration.ofMinutes(1);

    public SharedDecision {
        Objects.requireNonNull(ban, "ban");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(nodeId, "nodeId");
    }

    /** The key in the shared map: the address and the jail. */
    public String key() {
        return key(ban.ip(), ban.jail());
    }

    static String key(String ip, String jail) {
        return ip + " " + jail;
    }

    /** How long the shared map keeps it from {@code now}; {@code null} for ever (a permanent ban). */
    Duration keepFor(Instant now) {
        if (ban.permanent()) {
            return lift ? PERMANENT_LIFT_MEMORY : null;
        }
        Duration left = Duration.between(now, ban.end()).plus(GRACE);
        return left.isNegative() ? GRACE : left;
    }

    /**
     * Whether this decision should replace {@code current} (same address and jail; null: none) in the shared map at
     * {@code now}. The rules every node applies alike, so they all end up with the same entry however the messages
     * cross, and no entry goes back and forth:
     * <ul>
     *   <li>a ban replaces nothing that is in force: the first ban stands (no double bans);</li>
     *   <li>a ban replaces a ban that is over, or a lift made before the ban started (a new offence);</li>
     *   <li>a lift replaces a ban that started at or before it, or an earlier lift.</li>
     * </ul>
     */
    boolean supersedes(SharedDecision current, Instant now) {
        if (current == null) {
            return true;
        }
        if (!lift) {
            if (current.lift) {
                return current.at.isBefore(ban.start());
            }
            return current.ban.endsBy(now) && !ban.endsBy(now) && !current.ban.equals(ban);
        }
        if (current.lift) {
            return at.isAfter(current.at);
        }
        return !current.ban.start().isAfter(at);
    }

    JsonObject toJson() {
        return new JsonObject()
                .put("kind", lift ? "lift" : "ban")
                .put("ip", ban.ip())
                .put("jail", ban.jail())
                .put("start", ban.start().toEpochMilli())
                .put("end", ban.end() == null ? null : ban.end().toEpochMilli())
                .put("failures", ban.failures())
                .put("ban_count", ban.banCount())
                .put("decided_by", ban.decidedBy())
                .put("at", at.toEpochMilli())
                .put("node_id", nodeId)
                .put("manual", manual);
    }

    /**
     * Reads what another node sent.
     *
     * @throws IllegalArgumentException when a field is missing or wrong (the address is parsed again: a node's word
     *                                  is not taken for it)
     */
    static SharedDecision fromJson(JsonObject json) {
        try {
            String kind = json.getString("kind");
            if (!"ban".equals(kind) && !"lift".equals(kind)) {
                throw new IllegalArgumentException("kind is '" + kind + "'");
            }
            String ip = IpLiteral.canonical(json.getString("ip", ""));
            byte[] address = ip == null ? null : IpLiteral.toBytes(ip);
            if (address == null || !IpLiteral.isBannable(address)) {
                throw new IllegalArgumentException("ip '" + json.getString("ip") + "' is not a bannable IP literal");
            }
            Long end = json.getLong("end");
            Ban ban = new Ban(ip, json.getString("jail"), Instant.ofEpochMilli(json.getLong("start")),
                    end == null ? null : Instant.ofEpochMilli(end), json.getInteger("failures"),
                    json.getInteger("ban_count"), json.getString("decided_by"));
            return new SharedDecision("lift".equals(kind), ban, Instant.ofEpochMilli(json.getLong("at")),
                    json.getString("node_id"), json.getBoolean("manual", false));
        } catch (ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException("a field is missing or of the wrong type: " + e.getMessage());
        }
    }
}
