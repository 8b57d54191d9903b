package org.tollgate.banner.store;

import java.time.Instant;

/**
 * Whether the state database takes writes now.
 *
 * @param healthy   the last write worked (or none failed yet)
 * @param failures  writes that failed since start
 * @param lastError the error of the current outage, or null when healthy
 * @param since     when the current outage began, or null when healthy
 */
public record StoreHealth(boolean healthy, long failures, String lastError, Instant since) {

    public static final StoreHealth OK = new StoreHealth(true, 0, null, null);

    StoreHealth withFailures(long count) {
        return new StoreHealth(healthy, count, lastError, since);
    }
}
