package org.tollgate.banner.jail;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per address, the attempts a jail counted lately ({@code asterisk.attempt_id}), so that the other lines of an attempt
 * are not counted again. The lines of one attempt come within seconds of each other, so a few ids per address are
 * enough; an id pushed out early only means its later line is counted again, never that an attempt is missed.
 * Bounded like the jail's windows: at most {@code maxAddresses}, the least recently seen forgotten. Not thread-safe.
 * {@code tollgate check} and {@code tollgate replay} count attempts per address with it too.
 */
public final class SeenAttempts {

    /** Attempts remembered per address. */
    static final int PER_ADDRESS = 8;

    private final Map<String, String[]> byAddress;

    public SeenAttempts(int maxAddresses) {
        this.byAddress = new LinkedHashMap<>(Math.min(maxAddresses, 1 << 10), 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String[]> eldest) {
                return size() > maxAddresses;
            }
        };
    }

    /** True when {@code attemptId} of {@code ip} was seen already; otherwise remembers it and returns false. */
    public boolean seenBefore(String ip, String attemptId) {
        String[] seen = byAddress.get(ip);
        if (seen == null) {
            // Most addresses make one attempt: one slot, grown on demand up to PER_ADDRESS (a million tracked
            // addresses hold 24 bytes each instead of 48).
            byAddress.put(ip, new String[] {attemptId});
            return false;
        }
        int free = -1;
        for (int i = 0; i < seen.length; i++) {
            if (attemptId.equals(seen[i])) {
                return true;
            }
            if (seen[i] == null && free < 0) {
                free = i;
            }
        }
        if (free < 0 && seen.length < PER_ADDRESS) {
            free = seen.length;
            seen = Arrays.copyOf(seen, Math.min(PER_ADDRESS, seen.length * 2));
            byAddress.put(ip, seen);
        } else if (free < 0) {
            System.arraycopy(seen, 1, seen, 0, seen.length - 1);
            free = seen.length - 1;
        }
        seen[free] = attemptId;
        return false;
    }

    public void forget(String ip) {
        byAddress.remove(ip);
    }

    /** Copies every address's attempts into {@code other}, in the same order (a reconfigured jail keeps them). */
    void copyInto(SeenAttempts other) {
        byAddress.forEach((ip, seen) -> other.byAddress.put(ip, seen.clone()));
    }
}
