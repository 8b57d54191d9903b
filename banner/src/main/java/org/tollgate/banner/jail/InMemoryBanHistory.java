package org.tollgate.banner.jail;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ban counts kept in memory, bounded: past {@code maxAddresses} the address banned least recently is forgotten. To
 * keep increments across restarts, give the store's history to {@link Jails#seedHistory} at start. Not thread-safe;
 * {@link Jails} calls it under its own lock.
 */
public final class InMemoryBanHistory implements BanHistory {

    public static final int DEFAULT_MAX_ADDRESSES = 1_000_000;

    private final int maxAddresses;
    private final Map<String, Entry> byIp;

    public InMemoryBanHistory() {
        this(DEFAULT_MAX_ADDRESSES);
    }

    public InMemoryBanHistory(int maxAddresses) {
        if (maxAddresses < 1) {
            throw new IllegalArgumentException("maxAddresses must be at least 1, was " + maxAddresses);
        }
        this.maxAddresses = maxAddresses;
        this.byIp = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > InMemoryBanHistory.this.maxAddresses;
            }
        };
    }

    @Override
    public int banCount(String ip, String jail) {
        Entry entry = byIp.get(ip);
        return entry == null ? 0 : entry.byJail.getOrDefault(jail, 0);
    }

    @Override
    public int banCount(String ip) {
        Entry entry = byIp.get(ip);
        return entry == null ? 0 : entry.total;
    }

    @Override
    public void record(Ban ban) {
        // Re-inserted so that insertion order is "least recently banned first" for the bound.
        Entry entry = byIp.remove(ban.ip());
        if (entry == null) {
            entry = new Entry();
        }
        entry.byJail.merge(ban.jail(), 1, Integer::sum);
        entry.total++;
        entry.lastStartMillis = Math.max(entry.lastStartMillis, ban.start().toEpochMilli());
        byIp.put(ban.ip(), entry);
    }

    /** Forgets addresses whose last ban started before {@code cutoff}, like fail2ban's dbpurgeage. */
    @Override
    public void forgetBefore(Instant cutoff) {
        long cutoffMillis = cutoff.toEpochMilli();
        byIp.values().removeIf(entry -> entry.lastStartMillis < cutoffMillis);
    }

    public int size() {
        return byIp.size();
    }

    private static final class Entry {
        final Map<String, Integer> byJail = new HashMap<>(2);
        int total;
        long lastStartMillis = Long.MIN_VALUE;
    }
}
