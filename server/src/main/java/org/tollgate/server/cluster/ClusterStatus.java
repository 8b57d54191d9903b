package org.tollgate.server.cluster;

import java.time.Instant;
import java.util.List;

/**
 * The cluster as this node sees it at one moment: an immutable snapshot the {@link ClusterVerticle} publishes, read by
 * the admin API, the status page and the metrics without waiting.
 *
 * @param name              the cluster's name; null when this host is not in a cluster
 * @param size              nodes in the cluster's view now, this one included
 * @param members           this node and every member it knows of (configured or heard from)
 * @param bansShared        bans and lifts this node decided and sent to the others
 * @param bansReceived      bans of other nodes put in force here
 * @param liftsReceived     lifts by hand of other nodes made here
 * @param failuresForwarded failures seen here and sent to the node that owns their address
 * @param failuresReceived  failures other nodes sent here, this node owning their address
 * @param eventsUnshared    security events kept to this node because more than events_per_second came
 * @param mapWriteFailures  writes to the shared map that failed (made good by the next comparison)
 * @param comparisons       comparisons of the bans held here with the shared map, finished (at start, when a node
 *                          joins or a partition heals, and every 30 s)
 * @param lastComparison    when the last one finished, or null
 * @param delay             from a decision on another node to its arrival here (the two hosts' clocks)
 */
public record ClusterStatus(String name, int size, List<Member> members, long bansShared, long bansReceived,
                            long liftsReceived, long failuresForwarded, long failuresReceived, long eventsUnshared,
                            long mapWriteFailures, long comparisons, Instant lastComparison, Delays delay) {

    /** Not in a cluster. */
    public static final ClusterStatus NONE = new ClusterStatus(null, 0, List.of(), 0, 0, 0, 0, 0, 0, 0, 0,
            null, Delays.EMPTY);

    public ClusterStatus {
        members = List.copyOf(members);
    }

    public boolean enabled() {
        return name != null;
    }

    /**
     * One node as this one sees it.
     *
     * @param hostname    its host name, or null when it was never heard from
     * @param address     its {@code host:port} (membership and shared state)
     * @param state       {@code self}, {@code up} (heard within the last heartbeats), {@code late} (in the cluster
     *                    but not heard from lately), {@code unreachable} (not in the cluster now)
     * @param lastContact when its last heartbeat arrived, or null
     */
    public record Member(String hostname, String address, String state, Instant lastContact) {
    }

    /** A histogram of delays in seconds: cumulative counts per upper bound, as Prometheus reads one. */
    public record Delays(double[] bounds, long[] cumulative, long count, double sum) {
        static final Delays EMPTY = new Delays(new double[0], new long[0], 0, 0);
    }
}
