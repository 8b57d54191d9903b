package org.tollgate.banner.jail;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per address, the newest failures a jail counted (at most maxretry), kept only by jails with alert actions so that
 * a ban can say which lines led to it. Bounded apart from the sliding windows: at most {@link #MAX_ADDRESSES}
 * addresses, the least recently seen forgotten first (a ban of a forgotten address then has no lines). Not
 * thread-safe: its jail serialises calls.
 */
final class RecentFailures {

    /** Addresses whose failures are kept at most, whatever maxtracked says. */
    static final int MAX_ADDRESSES = 10_000;

    private final int perAddress;
    private final Map<String, ArrayDeque<Failure>> byAddress;

    RecentFailures(int perAddress) {
        this.perAddress = perAddress;
        this.byAddress = new LinkedHashMap<>(256, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<Failure>> eldest) {
                return size() > MAX_ADDRESSES;
            }
        };
    }

    void add(String ip, Failure failure) {
        ArrayDeque<Failure> kept = byAddress.computeIfAbsent(ip, k -> new ArrayDeque<>(Math.min(perAddress, 8)));
        if (kept.size() == perAddress) {
            kept.removeFirst();
        }
        kept.addLast(failure);
    }

    /** Removes and returns the failures of {@code ip} at or after {@code from}, oldest first. */
    List<Failure> take(String ip, Instant from) {
        ArrayDeque<Failure> kept = byAddress.remove(ip);
        if (kept == null) {
            return List.of();
        }
        List<Failure> inWindow = new ArrayList<>(kept.size());
        for (Failure failure : kept) {
            if (!failure.timestamp().isBefore(from)) {
                inWindow.add(failure);
            }
        }
        return inWindow;
    }

    void forget(String ip) {
        byAddress.remove(ip);
    }

    /** Adds every kept failure to {@code other}, oldest first (a reconfigured jail keeps them for its bans' lines). */
    void copyInto(RecentFailures other) {
        byAddress.forEach((ip, kept) -> kept.forEach(failure -> other.add(ip, failure)));
    }
}
