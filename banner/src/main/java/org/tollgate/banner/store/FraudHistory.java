package org.tollgate.banner.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What fraud jails learned of each key's calls, kept in the {@link StateDatabase} so a restart does not forget it: the
 * destination classes a key ever called (a blocked class trips only on the first call to it) and the numbers it
 * called (new destinations are numbers never called before). Bounded: the newest {@link #MAX_ROWS} rows are kept.
 *
 * <p>A save never throws: when the database cannot take it, the entries are kept here (the newest {@link #MAX_ROWS})
 * and written with the next save that works.
 */
public final class FraudHistory {

    /** Rows kept at most; past it the least recently learned are deleted. */
    public static final int MAX_ROWS = 200_000;

    private final StateDatabase db;
    private final int maxRows;
    private final Map<List<String>, Entry> unsaved = new LinkedHashMap<>();

    /**
     * One thing a fraud jail learned.
     *
     * @param jail   the fraud jail
     * @param key    its key: an endpoint ({@code PJSIP/1007}) or a source address
     * @param kind   {@link #CLASS} or {@link #NUMBER}
     * @param value  the class name or the number
     * @param seenMs when it was learned (log time, epoch milliseconds)
     */
    public record Entry(String jail, String key, String kind, String value, long seenMs) {
        public static final String CLASS = "class";
        public static final String NUMBER = "number";
    }

    FraudHistory(StateDatabase db) {
        this(db, MAX_ROWS);
    }

    /** With another bound (tests). */
    FraudHistory(StateDatabase db, int maxRows) {
        this.db = db;
        this.maxRows = maxRows;
    }

    /** Writes {@code entries} (and any an earlier save could not); false when they wait for the next save. */
    public boolean save(List<Entry> entries) {
        synchronized (db) {
            for (Entry entry : entries) {
                unsaved.put(List.of(entry.jail(), entry.key(), entry.kind(), entry.value()), entry);
                if (unsaved.size() > maxRows) {
                    unsaved.remove(unsaved.keySet().iterator().next());
                }
            }
            if (unsaved.isEmpty()) {
                return true;
            }
            try {
                db.write("save the fraud jails' history", () -> {
                    try (PreparedStatement insert = db.connection().prepareStatement(
                            "INSERT INTO fraud_history (jail, fraud_key, kind, value, seen_ms) VALUES (?, ?, ?, ?, ?)"
                                    + " ON CONFLICT (jail, fraud_key, kind, value) DO UPDATE SET"
                                    + " seen_ms = max(seen_ms, excluded.seen_ms)");
                         PreparedStatement trim = db.connection().prepareStatement(
                                 "DELETE FROM fraud_history WHERE seen_ms < (SELECT seen_ms FROM fraud_history"
                                         + " ORDER BY seen_ms DESC LIMIT 1 OFFSET ?)")) {
                        for (Entry entry : unsaved.values()) {
                            insert.setString(1, entry.jail());
                            insert.setString(2, entry.key());
                            insert.setString(3, entry.kind());
                            insert.setString(4, entry.value());
                            insert.setLong(5, entry.seenMs());
                            insert.executeUpdate();
                        }
                        trim.setInt(1, maxRows - 1);
                        trim.executeUpdate();
                    }
                    return null;
                });
            } catch (StoreException e) {
                return false;
            }
            unsaved.clear();
            return true;
        }
    }

    /** Everything kept, oldest first (so the newest is the most recently used after a restore into LRU maps). */
    public List<Entry> load() {
        synchronized (db) {
            return db.read("read the fraud jails' history", () -> {
                List<Entry> entries = new ArrayList<>();
                try (PreparedStatement select = db.connection().prepareStatement(
                        "SELECT jail, fraud_key, kind, value, seen_ms FROM fraud_history ORDER BY seen_ms LIMIT ?")) {
                    select.setInt(1, maxRows);
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            entries.add(new Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                    rs.getLong(5)));
                        }
                    }
                }
                return entries;
            });
        }
    }
}
