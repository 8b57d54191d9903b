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

    /**
     * Tallies failures per address. Not thread-safe. An address's counts and the attempt ids it made lately are one
     * map entry, found once a line: as a map of counts beside a {@link SeenAttempts} of the ids, each line looked its
     * address up twice, the second time in an access-ordered map that moved the entry on each look (1 % of a one-core
     * {@code check --json}), where nothing is ever forgotten.
     */
    public static final class Tally {
        private final Map<String, Activity> byAddress = new HashMap<>();

        /** Counts one failure line of {@code ip}, part of {@code attemptId} (or null). */
        public void count(String ip, String attemptId) {
            Activity activity = byAddress.get(ip);
            if (activity == null) {
                activity = new Activity();
                byAddress.put(ip, activity);
            }
            activity.lines++;
            if (attemptId == null) {
                activity.attempts++;
                return;
            }
            Object seen = SeenAttempts.add(activity.seen, attemptId);
            if (seen != null) {
                activity.seen = seen;
                activity.attempts++;
            }
        }

        public int addresses() {
            return byAddress.size();
        }

        /** Every address, busiest first. */
        public List<AddressActivity> busiestFirst() {
            List<AddressActivity> all = new ArrayList<>(byAddress.size());
            byAddress.forEach((ip, activity) -> all.add(new AddressActivity(ip, activity.attempts, activity.lines)));
            all.sort(BUSIEST_FIRST);
            return all;
        }

        /** One address's counts and its recent attempt ids, as {@link SeenAttempts#add} keeps them. */
        private static final class Activity {
            long attempts;
            long lines;
            Object seen;
        }
    }
}
