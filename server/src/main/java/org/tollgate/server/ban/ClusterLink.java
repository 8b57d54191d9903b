package org.tollgate.server.ban;

import java.time.Instant;
import java.util.List;
import org.tollgate.banner.jail.Ban;
import org.tollgate.banner.jail.Failure;

/**
 * What the {@link BannerVerticle} asks of the cluster, when this host is a node of one: where a failure is counted,
 * and which decisions the other nodes must hear of. The cluster's own decisions come back to the banner as
 * {@link BanCommand}s, through the same door as the API's.
 */
public interface ClusterLink {

    /** No cluster: every failure is counted here, nothing is shared. */
    ClusterLink ALONE = new ClusterLink() {
        @Override
        public boolean countsHere(Failure failure) {
            return true;
        }

        @Override
        public void banned(List<Ban> bans, boolean manual) {
        }

        @Override
        public void lifted(List<Ban> bans, Instant at) {
        }

        @Override
        public String observerIp() {
            return null;
        }
    };

    /**
     * Whether this node counts {@code failure} in its cluster-scope jails: true when it owns the address (or is
     * alone); false when the failure was sent to the node that owns it. Its local-scope jails count it either way.
     * Called on the banner's enforcer thread.
     */
    boolean countsHere(Failure failure);

    /** Shares the bans of cluster-scope jails among {@code bans}, decided here (by hand when {@code manual}). */
    void banned(List<Ban> bans, boolean manual);

    /** Shares the lifts by hand, at {@code at}, of cluster-scope jails among {@code bans}. */
    void lifted(List<Ban> bans, Instant at);

    /** This node's address in the cluster, for {@code observer.ip}; null when not in a cluster. */
    String observerIp();
}
