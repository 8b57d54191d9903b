package org.tollgate.banner.jail;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per address, the attempts counted lately ({@code asterisk.attempt_id}), so that the other lines of an attempt are
 * not counted again. The lines of one attempt come within seconds of each other, so a few ids per address are
 * enough; an id pushed out early only means its later line is counted again, never that an attempt is missed.
 * Bounded: at most {@code maxAddresses}, the least recently seen forgotten. Not thread-safe. {@code tollgate check}
 * and {@code tollgate replay} count attempts per address with it; a jail keeps the same ids with its windows
 * ({@link TrackedAddresses}) through {@link #add}.
 */
public final class SeenAttempts {

    /** Attempts remembered per address. */
    static final int PER_ADDRESS = 8;

    private final Map<String, Object> byAddress;

    public SeenAttempts(int maxAddresses) {
        this.byAddress = new LinkedHashMap<>(Math.min(maxAddresses, 1 << 10), 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
                return size() > maxAddresses;
            }
        };
    }

    /** True when {@code attemptId} of {@code ip} was seen already; otherwise remembers it and returns false. */
    public boolean seenBefore(String ip, String attemptId) {
        Object kept = byAddress.get(ip);
        Object next = add(kept, attemptId);
        if (next == null) {
            return true;
        }
        if (next != kept) {
            byAddress.put(ip, next);
        }
        return false;
    }

    public void forget(String ip) {
        byAddress.remove(ip);
    }

    /**
     * One address's attempt ids, held as compactly as they come: null (none yet), the one id itself (most addresses
     * make one attempt), then a {@code String[]} grown up to {@link #PER_ADDRESS}, the oldest pushed out when full.
     * Returns null when {@code attemptId} is in {@code kept} already; otherwise what to keep from now on
     * ({@code kept} itself, changed, or a new holder). For a caller that keeps them beside what else it keeps for the
     * address, in one map entry ({@link TrackedAddresses}, {@code AddressActivity.Tally}).
     */
    public static Object add(Object kept, String attemptId) {
        if (kept == null) {
            return attemptId;
        }
        if (kept instanceof String one) {
            return one.equals(attemptId) ? null : new String[] {one, attemptId};
        }
        String[] seen = (String[]) kept;
        int free = -1;
        // Each id's hash is worked out once and kept by its string: most ids compared differ, and their hashes tell it
        // without a call to equals (2 % of a one-core check, where the compiler does not make equals a stub).
        int hash = attemptId.hashCode();
        for (int i = 0; i < seen.length; i++) {
            if (seen[i] != null && seen[i].hashCode() == hash && attemptId.equals(seen[i])) {
                return null;
            }
            if (seen[i] == null && free < 0) {
                free = i;
            }
        }
        if (free < 0 && seen.length < PER_ADDRESS) {
            free = seen.length;
            seen = Arrays.copyOf(seen, Math.min(PER_ADDRESS, seen.length * 2));
        } else if (free < 0) {
            System.arraycopy(seen, 1, seen, 0, seen.length - 1);
            free = seen.length - 1;
        }
        seen[free] = attemptId;
        return seen;
    }
}
