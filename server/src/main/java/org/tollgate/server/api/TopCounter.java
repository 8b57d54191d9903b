package org.tollgate.server.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The most frequent keys of an unbounded stream in bounded memory: the Space-Saving algorithm (Metwally, Agrawal and
 * El Abbadi, 2005). At most {@code capacity} keys are tracked; a new key when full takes the place of the least
 * counted one and inherits its count plus one, so a count is an upper bound, high by at most the {@code error} it
 * carries. Every key seen more than {@code total / capacity} times is certain to be tracked.
 *
 * <p>Keys come from attackers (user names they try): each is cut to {@code maxKeyLength} characters. Not thread-safe:
 * the API verticle uses it from its event loop only.
 */
final class TopCounter {

    /** One tracked key. */
    record Entry(String key, long count, long error) {
    }

    private static final class Slot {
        final String key;
        final long seq;
        long count;
        long error;

        Slot(String key, long seq) {
            this.key = key;
            this.seq = seq;
        }
    }

    private static final Comparator<Slot> LEAST_FIRST = Comparator.comparingLong((Slot s) -> s.count)
            .thenComparingLong(s -> s.seq);

    private final int capacity;
    private final int maxKeyLength;
    private final Map<String, Slot> slots = new HashMap<>();
    private final TreeSet<Slot> byCount = new TreeSet<>(LEAST_FIRST);
    private long seq;
    private long total;

    TopCounter(int capacity, int maxKeyLength) {
        if (capacity < 1 || maxKeyLength < 1) {
            throw new IllegalArgumentException("capacity and maxKeyLength must be at least 1, were " + capacity
                    + " and " + maxKeyLength);
        }
        this.capacity = capacity;
        this.maxKeyLength = maxKeyLength;
    }

    void add(String key) {
        if (key == null || key.isEmpty()) {
            return;
        }
        String bounded = key.length() > maxKeyLength ? key.substring(0, maxKeyLength - 1) + "\u2026" : key;
        total++;
        Slot slot = slots.get(bounded);
        if (slot == null) {
            slot = new Slot(bounded, seq++);
            if (slots.size() >= capacity) {
                Slot least = byCount.pollFirst();
                slots.remove(least.key);
                slot.count = least.count;
                slot.error = least.count;
            }
            slots.put(bounded, slot);
        } else {
            byCount.remove(slot);
        }
        slot.count++;
        byCount.add(slot);
    }

    /** The {@code n} most counted keys, most counted first. */
    List<Entry> top(int n) {
        List<Entry> top = new ArrayList<>(Math.min(n, slots.size()));
        Iterator<Slot> it = byCount.descendingIterator();
        while (it.hasNext() && top.size() < n) {
            Slot slot = it.next();
            top.add(new Entry(slot.key, slot.count, slot.error));
        }
        return top;
    }

    /** Keys added, all of them, tracked or not. */
    long total() {
        return total;
    }

    int tracked() {
        return slots.size();
    }
}
