package org.tollgate.server.cluster;

/** The event bus addresses the nodes of a cluster speak on, between themselves (JSON, over TLS). */
final class ClusterAddresses {

    /** Every ban and lift by hand of a cluster-scope jail, published by the node that decided it. */
    static final String DECISIONS = "tollgate.cluster.decisions";
    /** Each node's heartbeat: its name, address and bans, every {@link ClusterVerticle#HEARTBEAT_MILLIS}. */
    static final String HEARTBEATS = "tollgate.cluster.heartbeats";
    /** Followed by a node's id: the failures of the addresses that node owns, sent by the node that saw them. */
    static final String FAILURES_TO = "tollgate.cluster.failures.";

    private ClusterAddresses() {
    }
}
