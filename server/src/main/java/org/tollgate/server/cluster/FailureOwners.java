package org.tollgate.server.cluster;

import java.util.List;

/**
 * Which node counts an address's failures in the cluster-scope jails: rendezvous hashing over the nodes in the
 * cluster now, so every node picks the same owner without asking, and a node leaving or joining moves only the
 * addresses it owned or takes. One owner per address means one window and one decision: failures spread over the
 * PBXs add up there, and two nodes never ban the same attacker at once. Pure and deterministic ({@link
 * String#hashCode()} is specified), so every JVM computes the same.
 */
final class FailureOwners {

    private FailureOwners() {
    }

    /** The node of {@code nodes} that owns {@code ip}; {@code nodes} not empty. */
    static String owner(List<String> nodes, String ip) {
        String best = null;
        long bestScore = 0;
        long address = ip.hashCode();
        for (String node : nodes) {
            long score = mix(((long) node.hashCode() << 32) ^ (address & 0xffffffffL));
            if (best == null || Long.compareUnsigned(score, bestScore) > 0
                    || score == bestScore && node.compareTo(best) < 0) {
                best = node;
                bestScore = score;
            }
        }
        return best;
    }

    /** SplitMix64's finalizer: every input bit moves every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
