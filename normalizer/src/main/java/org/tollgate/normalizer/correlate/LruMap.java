package org.tollgate.normalizer.correlate;

import java.util.LinkedHashMap;
import java.util.Map;

/** A map in least recently used order that forgets its eldest entry past {@code capacity}: what bounds each correlator. */
public final class LruMap<K, V> extends LinkedHashMap<K, V> {

    private static final long serialVersionUID = 1L;

    private final int capacity;

    public LruMap(int capacity) {
        super(Math.min(capacity, 256), 0.75f, true);
        this.capacity = capacity;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
    }
}
