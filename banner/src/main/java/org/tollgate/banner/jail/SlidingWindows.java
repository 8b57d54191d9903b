package org.tollgate.banner.jail;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per address, the newest timestamps (epoch millis) inside a sliding window, at most {@code capacity} of them: a
 * sorted array of longs that grows up to capacity, not one object per failure. Addresses are kept in least recently
 * seen order; past {@code maxAddresses} the least recently seen is forgotten and counted as an eviction.
 *
 * <p>Timestamps are log times and may arrive a little out of order (several sources, or a late line); the window
 * is measured back from the newest timestamp seen for the address. Not thread-safe.
 */
final class SlidingWindows {

    private final int capacity;
    private final long spanMillis;
    private final int maxAddresses;
    private final Map<String, Window> byAddress;
    private long evictions;

    SlidingWindows(int capacity, long spanMillis, int maxAddresses) {
        this.capacity = capacity;
        this.spanMillis = spanMillis;
        this.maxAddresses = maxAddresses;
        this.byAddress = new LinkedHashMap<>(Math.min(maxAddresses, 1 << 10), 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
                if (size() > SlidingWindows.this.maxAddresses) {
                    evictions++;
                    return true;
                }
                return false;
            }
        };
    }

    /** Adds one event for {@code ip} at {@code atMillis}; returns how many the window now holds (at most capacity). */
    int add(String ip, long atMillis) {
        Window window = byAddress.get(ip);
        if (window == null) {
            window = new Window(Math.min(capacity, 2));
            byAddress.put(ip, window);
        }
        return window.add(atMillis, spanMillis, capacity);
    }

    /** How many events the window of {@code ip} holds, or 0. */
    int count(String ip) {
        Window window = byAddress.get(ip);
        return window == null ? 0 : window.size;
    }

    void forget(String ip) {
        byAddress.remove(ip);
    }

    /**
     * Adds every kept event to {@code other}, least recently seen address first (so {@code other} keeps the same
     * order), each window cut to {@code other}'s capacity and span: a reconfigured jail keeps its counts.
     */
    void copyInto(SlidingWindows other) {
        for (Map.Entry<String, Window> entry : byAddress.entrySet()) {
            Window window = entry.getValue();
            for (int i = 0; i < window.size; i++) {
                other.add(entry.getKey(), window.times[i]);
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
        Iterator<Window> it = byAddress.values().iterator();
        while (it.hasNext()) {
            Window window = it.next();
            if (window.newest() >= beforeMillis) {
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

    /** Sorted ascending timestamps, oldest first. */
    private static final class Window {
        private long[] times;
        private int size;

        Window(int initialCapacity) {
            times = new long[initialCapacity];
        }

        long newest() {
            return size == 0 ? Long.MIN_VALUE : times[size - 1];
        }

        int add(long at, long span, int capacity) {
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
