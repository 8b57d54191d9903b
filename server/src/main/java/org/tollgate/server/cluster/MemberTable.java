package org.tollgate.server.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tollgate.server.config.ListenAddress;

/**
 * The members this node knows of and how each is doing: the configured ones, and every node heard from, by the
 * heartbeats they send and the cluster's view. Pure, given {@code now}; one thread (the cluster verticle's).
 */
final class MemberTable {

    /** A node is {@code late} when no heartbeat came for this long, though the cluster still counts it in. */
    static final Duration LATE = Duration.ofMillis(ClusterVerticle.HEARTBEAT_MILLIS * 3);

    private record Heard(String hostname, String address, Instant lastContact) {
    }

    private final String selfId;
    private final String selfAddress;
    private final String selfHostname;
    private final List<String> configured = new ArrayList<>();
    private final Map<String, Heard> byNode = new HashMap<>();
    private Set<String> view = Set.of();
    /** When each node of the view came into it, as this node saw. */
    private final Map<String, Instant> inViewSince = new HashMap<>();

    MemberTable(String selfId, ListenAddress self, String selfHostname, List<ListenAddress> members) {
        this.selfId = selfId;
        this.selfAddress = self.toString();
        this.selfHostname = selfHostname;
        members.forEach(member -> configured.add(member.toString()));
    }

    /** A heartbeat from {@code nodeId} arrived at {@code now}. */
    void heard(String nodeId, String hostname, String address, Instant now) {
        if (!nodeId.equals(selfId)) {
            // A node that restarted comes back with a new id at the same address: the old one is gone.
            byNode.entrySet().removeIf(entry -> entry.getValue().address().equals(address)
                    && !entry.getKey().equals(nodeId));
            byNode.put(nodeId, new Heard(hostname, address, now));
        }
    }

    /** The cluster's view at {@code now}: the nodes in it. */
    void view(Set<String> nodes, Instant now) {
        view = Set.copyOf(nodes);
        inViewSince.keySet().retainAll(view);
        view.forEach(node -> inViewSince.putIfAbsent(node, now));
    }

    /**
     * Whether another node has been in the view for longer than {@link #LATE} without a heartbeat from it in that
     * time: the cluster counts it in, yet its messages do not reach this node.
     */
    boolean silentMember(Instant now) {
        Instant since = now.minus(LATE);
        for (Map.Entry<String, Instant> entry : inViewSince.entrySet()) {
            if (entry.getKey().equals(selfId) || entry.getValue().isAfter(since)) {
                continue;
            }
            Heard heard = byNode.get(entry.getKey());
            if (heard == null || heard.lastContact().isBefore(since)) {
                return true;
            }
        }
        return false;
    }

    /** This node first, then the configured members in file order, then any other node heard from. */
    List<ClusterStatus.Member> status(Instant now) {
        Map<String, ClusterStatus.Member> byAddress = new LinkedHashMap<>();
        byAddress.put(selfAddress, new ClusterStatus.Member(selfHostname, selfAddress, "self", now));
        configured.forEach(address -> byAddress.put(address,
                new ClusterStatus.Member(null, address, "unreachable", null)));
        for (Map.Entry<String, Heard> entry : byNode.entrySet()) {
            Heard heard = entry.getValue();
            String state;
            if (!view.contains(entry.getKey())) {
                state = "unreachable";
            } else if (heard.lastContact().isBefore(now.minus(LATE))) {
                state = "late";
            } else {
                state = "up";
            }
            byAddress.put(heard.address(), new ClusterStatus.Member(heard.hostname(), heard.address(), state,
                    heard.lastContact()));
        }
        return new ArrayList<>(byAddress.values());
    }
}
