package org.tollgate.server.enrich;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * A bounded cache of lookups by address, shared by the source threads without a lock: two generations of at most
 * {@code capacity / 2} entries each. New answers go into the young one; when it is full it becomes the old one and
 * the one before is dropped, and an answer found in the old one moves back into the young. Addresses seen again and
 * again (an attack in progress) stay; one seen once leaves after two turns. Memory never passes {@code capacity}
 * entries, whatever arrives.
 *
 * @param <V> what is cached; a lookup that found nothing is cached too, as the caller's "nothing" value
 */
final class LookupCache<V> {

    private final int generation;
    private volatile Map<String, V> young = new ConcurrentHashMap<>();
    private volatile Map<String, V> old = Map.of();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    LookupCache(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("cache capacity must be at least 2, was " + capacity);
        }
        this.generation = capacity / 2;
    }

    /** The cached value of {@code key}, or {@code load}'s, which is then cached. {@code load} never returns null. */
    V get(String key, Function<String, V> load) {
        Map<String, V> current = young;
        V value = current.get(key);
        if (value != null) {
            hits.increment();
            return value;
        }
        value = old.get(key);
        if (value != null) {
            hits.increment();
        } else {
            misses.increment();
            value = load.apply(key);
        }
        if (current.size() >= generation) {
            turn(current);
            current = young;
        }
        current.put(key, value);
        return value;
    }

    private synchronized void turn(Map<String, V> full) {
        if (young == full) {
            old = full;
            young = new ConcurrentHashMap<>();
        }
    }

    int size() {
        return young.size() + old.size();
    }

    long hits() {
        return hits.sum();
    }

    long misses() {
        return misses.sum();
    }
}
