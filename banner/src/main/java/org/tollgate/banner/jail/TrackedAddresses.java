package org.tollgate.banner.jail;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A jail's tracked addresses: per address, the newest timestamps (epoch millis) inside a sliding window, at most
 * {@code capacity} of them, and the attempts counted lately ({@link SeenAttempts}), in one map entry and one small
 * object, so that a million tracked addresses fit in well under 256 MB of heap. Addresses are kept in least recently
 * seen order; past {@code maxAddresses} the least recently seen is forgotten and counted as an eviction.
 *
 * <p>Timestamps are log times and may arrive a little out of order (several sources, or a late line); the window
 * is measured back from the newest timestamp seen for the address. Not thread-safe.
 */
final class TrackedAddresses {

    /** What {@link #add} returns for a line of an attempt already counted. */
    static final int SAME_ATTEMPT = -1;

    private final int capacity;
    private final long spanMillis;
    private final int maxAddresses;
    private final Map<String, Tracked> byAddress;
    private long evictions;

    TrackedAddresses(int capacity, long spanMillis, int maxAddresses) {
        this.capacity = capacity;
        this.spanMillis = spanMillis;
        this.maxAddresses = maxAddresses;
        this.byAddress = new LinkedHashMap<>(Math.min(maxAddresses, 1 << 10), 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Tracked> eldest) {
                if (size() > TrackedAddresses.this.maxAddresses) {
                    evictions++;
                    return true;
                }
                return false;
            }
        };
    }

    /**
     * Adds one event for {@code ip} at {@code atMillis}, of attempt {@code attemptId} (null: a line of its own, or a
     * jail that counts lines); returns how many the window now holds (at most capacity), or {@link #SAME_ATTEMPT}
     * when that attempt was counted already (then nothing is added).
     */
    int add(String ip, long atMillis, String attemptId) {
        Tracked tracked = byAddress.get(ip);
        if (tracked == null) {
            tracked = new Tracked();
            byAddress.put(ip, tracked);
        }
        if (attemptId != null) {
            Object attempts = SeenAttempts.add(tracked.attempts, attemptId);
            if (attempts == null) {
                return SAME_ATTEMPT;
            }
            tracked.attempts = attempts;
        }
        return tracked.add(atMillis, spanMillis, capacity);
    }

    /** Forgets {@code ip}: its window and its attempts. */
    void forget(String ip) {
        byAddress.remove(ip);
    }

    /**
     * Adds every kept event to {@code other}, least recently seen address first (so {@code other} keeps the same
     * order), each window cut to {@code other}'s capacity and span, with the attempts when {@code keepAttempts}: a
     * reconfigured jail keeps its counts.
     */
    void copyInto(TrackedAddresses other, boolean keepAttempts) {
        for (Map.Entry<String, Tracked> entry : byAddress.entrySet()) {
            Tracked tracked = entry.getValue();
            Tracked copy = other.byAddress.computeIfAbsent(entry.getKey(), k -> new Tracked());
            for (int i = 0; i < tracked.size; i++) {
                copy.add(tracked.time(i), other.spanMillis, other.capacity);
            }
            if (keepAttempts) {
                copy.attempts = tracked.attempts instanceof String[] ids ? ids.clone() : tracked.attempts;
            }
        }
        other.evictions += evictions;
    }

    /**
     * Forgets addresses whose newest event is before {@code beforeMillis}, walking from the least recently seen and
     * stopping at the first one still current: access order follows log time closely enough that this stays
     * proportional to what is removed.
     */
    int purge(long beforeMillis) {
        int removed = 0;
        Iterator<Tracked> it = byAddress.values().iterator();
        while (it.hasNext()) {
            Tracked tracked = it.next();
            if (tracked.newest() >= beforeMillis) {
                break;
            }
            it.remove();
            removed++;
        }
        return removed;
    }

    int size() {
        return byAddress.size();
    }

    long evictions() {
        return evictions;
    }

    /**
     * One address: sorted ascending timestamps, oldest first, the first of them held in a field until a second one
     * comes (most attackers' addresses are seen once or twice: 32 bytes, no array), and its attempt ids.
     */
    private static final class Tracked {
        private long first;
        private long[] times;
        private int size;
        /** The attempt ids, as {@link SeenAttempts#add} keeps them. */
        private Object attempts;

        long time(int i) {
            return times == null ? first : times[i];
        }

        long newest() {
            return size == 0 ? Long.MIN_VALUE : time(size - 1);
        }

        int add(long at, long span, int capacity) {
            if (times == null) {
                if (size == 0) {
                    first = at;
                    size = 1;
                    return size;
                }
                times = new long[Math.min(capacity, 2)];
                times[0] = first;
            }
            long newest = Math.max(at, newest());
            long from = newest - span;
            // Drop what fell out of the window.
            int keepFrom = 0;
            while (keepFrom < size && times[keepFrom] < from) {
                keepFrom++;
            }
            if (keepFrom > 0) {
                System.arraycopy(times, keepFrom, times, 0, size - keepFrom);
                size -= keepFrom;
            }
            if (at < from) {
                return size; // a late event already outside the window
            }
            if (size == capacity) {
                if (at <= times[0]) {
                    return size; // older than everything kept: the newest capacity events are unchanged
                }
                System.arraycopy(times, 1, times, 0, size - 1);
                size--;
            }
            if (size == times.length) {
                times = Arrays.copyOf(times, Math.min(capacity, Math.max(2, times.length * 2)));
            }
            int at0 = size;
            while (at0 > 0 && times[at0 - 1] > at) {
                at0--;
            }
            System.arraycopy(times, at0, times, at0 + 1, size - at0);
            times[at0] = at;
            size++;
            return size;
        }
    }
}
