package org.tollgate.server.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What this node counted of the cluster's traffic since start, for {@code /metrics}, {@code /api/status} and
 * {@code tollgate status}: bans shared and received, lifts received, failures forwarded and received, failed writes
 * into the shared map, comparisons with it, and how long other nodes' decisions took to arrive. Counted from the
 * cluster verticle's event loop and the banner's thread; read from any thread.
 */
final class ClusterCounters {

    /** The upper bounds, in seconds, of the delay histogram's buckets. */
    private static final double[] DELAY_BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    final AtomicLong bansShared = new AtomicLong();
    final AtomicLong bansReceived = new AtomicLong();
    final AtomicLong liftsReceived = new AtomicLong();
    final AtomicLong failuresForwarded = new AtomicLong();
    final AtomicLong failuresReceived = new AtomicLong();
    final AtomicLong mapWriteFailures = new AtomicLong();
    private final AtomicLong comparisons = new AtomicLong();
    private volatile Instant lastComparison;
    /** The delay histogram, written on the event loop only; {@link #delays} is its last copy for the readers. */
    private final long[] delayCounts = new long[DELAY_BOUNDS.length];
    private long delayCount;
    private double delaySum;
    private volatile ClusterStatus.Delays delays = ClusterStatus.Delays.EMPTY;

    /** One comparison with the shared map was made, at {@code at}. */
    void compared(Instant at) {
        comparisons.incrementAndGet();
        lastComparison = at;
    }

    /** Another node's decision arrived {@code delay} after it was made (event loop only). */
    void arrived(Duration delay) {
        double seconds = Math.max(0, delay.toNanos() / 1e9);
        for (int i = 0; i < DELAY_BOUNDS.length; i++) {
            if (seconds <= DELAY_BOUNDS[i]) {
                delayCounts[i]++;
            }
        }
        delayCount++;
        delaySum += seconds;
        delays = new ClusterStatus.Delays(DELAY_BOUNDS.clone(), delayCounts.clone(), delayCount, delaySum);
    }

    /** The counters now, with what the caller knows of the cluster: its name, size, members and unshared events. */
    ClusterStatus status(String name, int size, List<ClusterStatus.Member> members, long eventsUnshared) {
        return new ClusterStatus(name, size, members, bansShared.get(), bansReceived.get(), liftsReceived.get(),
                failuresForwarded.get(), failuresReceived.get(), eventsUnshared, mapWriteFailures.get(),
                comparisons.get(), lastComparison, delays);
    }
}
