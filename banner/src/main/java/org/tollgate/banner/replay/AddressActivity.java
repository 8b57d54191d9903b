package org.tollgate.banner.replay;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tollgate.banner.jail.SeenAttempts;

/**
 * Failed attempts and failure lines per address, as a jail that counts attempts sees them: the lines of one attempt
 * ({@code asterisk.attempt_id}) are one attempt, a line without one is an attempt of its own.
 *
 * @param ip       the address
 * @param attempts distinct failed attempts
 * @param lines    failure lines
 */
public record AddressActivity(String ip, long attempts, long lines) {

    /** Most attempts first, then most lines, then by address. */
    public static final Comparator<AddressActivity> BUSIEST_FIRST = Comparator.comparingLong(AddressActivity::attempts)
            .thenComparingLong(AddressActivity::lines).reversed().thenComparing(AddressActivity::ip);

    /** Tallies failures per address. Not thread-safe. */
    public static final class Tally {
        private final Map<String, long[]> byAddress = new HashMap<>();
        private final SeenAttempts seen = new SeenAttempts(Integer.MAX_VALUE);

        /** Counts one failure line of {@code ip}, part of {@code attemptId} (or null). */
        public void count(String ip, String attemptId) {
            long[] counts = byAddress.computeIfAbsent(ip, k -> new long[2]);
            counts[1]++;
            if (attemptId == null || !seen.seenBefore(ip, attemptId)) {
                counts[0]++;
            }
        }

        public int addresses() {
            return byAddress.size();
        }

        /** Every address, busiest first. */
        public List<AddressActivity> busiestFirst() {
            List<AddressActivity> all = new ArrayList<>(byAddress.size());
            byAddress.forEach((ip, counts) -> all.add(new AddressActivity(ip, counts[0], counts[1])));
            all.sort(BUSIEST_FIRST);
            return all;
        }
    }
}
