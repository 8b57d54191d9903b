package org.tollgate.banner.jail;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hands each new ban's {@link Evidence} from the jail that made it to whoever publishes the ban, without the
 * evidence riding on the {@link Ban} itself (bans are kept, stored and compared for as long as they last; the lines
 * are needed once). Bounded: at most {@link #MAX_KEPT} bans wait, the oldest forgotten first. Thread-safe; no call
 * waits on anything but this map.
 */
public final class BanEvidence {

    /** Bans whose evidence waits at most to be taken. */
    public static final int MAX_KEPT = 10_000;

    private final Map<Ban, Evidence> waiting = new LinkedHashMap<>(64, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Ban, Evidence> eldest) {
            return size() > MAX_KEPT;
        }
    };

    synchronized void record(Ban ban, Evidence evidence) {
        waiting.put(ban, evidence);
    }

    /** Removes and returns what led to {@code ban}, or {@link Evidence#NONE}. */
    public synchronized Evidence take(Ban ban) {
        Evidence evidence = waiting.remove(ban);
        return evidence == null ? Evidence.NONE : evidence;
    }
}
