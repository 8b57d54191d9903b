package org.tollgate.banner.store;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tollgate.banner.jail.Ban;

/**
 * The bans in force (with whether the firewall has them) and the history of bans (so bantime increments continue
 * across restarts), kept in the {@link StateDatabase}. Many bans are written in one transaction.
 *
 * <p>A write the database cannot take (disk full) is kept here and written, in order, with the next write that works
 * or by {@link #retryUnsaved()}; the call still throws {@link StoreException} so the caller can count it.
 */
public final class BanStore implements AutoCloseable {

    private static final String BAN_COLUMNS = "ip, jail, start_ms, end_ms, failures, ban_count, decided_by";

    private final StateDatabase db;
    private final boolean ownsDatabase;
    /** Changes not yet written because the database failed: the last change per address and jail. */
    private final Map<String, Change> unsaved = new LinkedHashMap<>();

    /** One change of a ban row. */
    private enum Kind { SAVE, SAVE_APPLIED, MARK_APPLIED, DELETE }

    private record Change(Ban ban, Kind kind) {
        boolean delete() {
            return kind == Kind.DELETE;
        }
    }

    BanStore(StateDatabase db) {
        this(db, false);
    }

    private BanStore(StateDatabase db, boolean ownsDatabase) {
        this.db = db;
        this.ownsDatabase = ownsDatabase;
    }

    /** Opens {@code file} as a state database of its own, for the bans alone (tests, tools). */
    public static BanStore open(Path file) {
        return open(file, InstantSource.system());
    }

    /** As {@link #open(Path)}; {@code clock} stamps read positions. */
    public static BanStore open(Path file, InstantSource clock) {
        return new BanStore(StateDatabase.open(file, clock), true);
    }

    /** A database that lives as long as this object: for tests. */
    public static BanStore inMemory() {
        return inMemory(InstantSource.system());
    }

    public static BanStore inMemory(InstantSource clock) {
        return new BanStore(StateDatabase.inMemory(clock), true);
    }

    /** The database these bans live in. */
    public StateDatabase database() {
        return db;
    }

    /** Saves one ban; see {@link #saveAll}. */
    public void save(Ban ban) {
        saveAll(List.of(ban));
    }

    /**
     * Saves {@code bans} in one transaction: each replaces the ban of the same address and jail, not yet applied,
     * and is added to the history (once, however often it is saved).
     */
    public void saveAll(Collection<? extends Ban> bans) {
        if (bans.isEmpty()) {
            return;
        }
        synchronized (db) {
            bans.forEach(ban -> unsaved.put(key(ban), new Change(ban, Kind.SAVE)));
            flush("save " + bans.size() + " bans");
        }
    }

    /** Deletes the ban of {@code ip} in {@code jail}; its history stays. Returns whether there was one. */
    public boolean remove(String ip, String jail) {
        synchronized (db) {
            List<Ban> held = query("read the ban of " + ip + " in " + jail,
                    "SELECT " + BAN_COLUMNS + " FROM bans WHERE ip = ? AND jail = ?", ip, jail);
            Change pending = unsaved.get(ip + "\n" + jail);
            boolean there = !held.isEmpty() || pending != null && !pending.delete();
            if (!held.isEmpty()) {
                removeAll(held);
            } else if (pending != null) {
                removeAll(List.of(pending.ban()));
            }
            return there;
        }
    }

    /** Deletes these bans (by address and jail) in one transaction; returns how many there were. */
    public int removeAll(Collection<? extends Ban> bans) {
        if (bans.isEmpty()) {
            return 0;
        }
        synchronized (db) {
            int before = count("count bans", "SELECT count(*) FROM bans");
            bans.forEach(ban -> unsaved.put(key(ban), new Change(ban, Kind.DELETE)));
            flush("remove " + bans.size() + " bans");
            return before - count("count bans", "SELECT count(*) FROM bans");
        }
    }

    /** Records that the firewall has these bans (those still stored with the same start). */
    public void markApplied(Collection<? extends Ban> bans) {
        if (bans.isEmpty()) {
            return;
        }
        synchronized (db) {
            for (Ban ban : bans) {
                Change pending = unsaved.get(key(ban));
                if (pending == null) {
                    unsaved.put(key(ban), new Change(ban, Kind.MARK_APPLIED));
                } else if (!pending.delete() && pending.ban().start().equals(ban.start())) {
                    unsaved.put(key(ban), new Change(pending.ban(),
                            pending.kind() == Kind.MARK_APPLIED ? Kind.MARK_APPLIED : Kind.SAVE_APPLIED));
                }
            }
            flush("mark " + bans.size() + " bans applied");
        }
    }

    /**
     * Runs the statements of saving {@code bans} and marking them applied, on this store's connection, in a
     * transaction that is rolled back: nothing is written, and the first real write finds the driver's code and the
     * database's pages warm (the enforcer's warm-up at start).
     *
     * @throws StoreException when the database cannot run them (nothing is counted as a failed write)
     */
    public void rehearse(Collection<? extends Ban> bans) {
        List<Change> saves = new ArrayList<>();
        List<Change> marks = new ArrayList<>();
        for (Ban ban : bans) {
            saves.add(new Change(ban, Kind.SAVE));
            marks.add(new Change(ban, Kind.MARK_APPLIED));
        }
        synchronized (db) {
            db.rehearse("rehearse saving " + bans.size() + " bans", () -> {
                write(saves);
                write(marks);
                return null;
            });
        }
    }

    /** Writes what earlier calls could not; true when nothing is left unsaved. */
    public boolean retryUnsaved() {
        synchronized (db) {
            if (unsaved.isEmpty()) {
                return true;
            }
            try {
                flush("write " + unsaved.size() + " ban changes kept while the database failed");
                return true;
            } catch (StoreException e) {
                return false;
            }
        }
    }

    /** The bans in force at {@code now}: permanent, or ending after it. */
    public List<Ban> active(Instant now) {
        return query("read active bans",
                "SELECT " + BAN_COLUMNS + " FROM bans WHERE end_ms IS NULL OR end_ms > ? ORDER BY start_ms, ip, jail",
                now.toEpochMilli());
    }

    /** The bans over at {@code now} (ending at or before it) and not yet removed: to lift. */
    public List<Ban> expiredBefore(Instant now) {
        return query("read expired bans",
                "SELECT " + BAN_COLUMNS + " FROM bans WHERE end_ms <= ? ORDER BY end_ms, ip, jail", now.toEpochMilli());
    }

    /** The stored bans the firewall does not have yet: to retry. */
    public List<Ban> unapplied() {
        return query("read unapplied bans",
                "SELECT " + BAN_COLUMNS + " FROM bans WHERE applied = 0 ORDER BY start_ms, ip, jail");
    }

    /** How many bans of {@code ip}, in any jail, the history holds. */
    public int banCount(String ip) {
        return count("count bans of " + ip, "SELECT count(*) FROM ban_history WHERE ip = ?", ip);
    }

    /** How many bans of {@code ip} in {@code jail} the history holds. */
    public int banCount(String ip, String jail) {
        return count("count bans of " + ip + " in " + jail,
                "SELECT count(*) FROM ban_history WHERE ip = ? AND jail = ?", ip, jail);
    }

    /** Every ban in the history that started at or after {@code since}, oldest first: to seed a BanHistory. */
    public List<Ban> history(Instant since) {
        return query("read the ban history",
                "SELECT " + BAN_COLUMNS + " FROM ban_history WHERE start_ms >= ? ORDER BY start_ms, ip, jail",
                since.toEpochMilli());
    }

    /** Forgets history of bans that started before {@code cutoff}; returns how many. */
    public int purgeHistoryBefore(Instant cutoff) {
        return db.write("purge the ban history", () -> {
            try (PreparedStatement delete = db.connection().prepareStatement("DELETE FROM ban_history WHERE start_ms < ?")) {
                delete.setLong(1, cutoff.toEpochMilli());
                return delete.executeUpdate();
            }
        });
    }

    /** Closes the database when this store opened it ({@link #open}, {@link #inMemory}); else its owner does. */
    @Override
    public void close() {
        if (ownsDatabase) {
            db.close();
        }
    }

    @Override
    public String toString() {
        return "BanStore[" + db.description() + "]";
    }

    /** Writes every unsaved change in one transaction, in order; on failure they stay for the next write. */
    private void flush(String what) {
        db.write(what, () -> {
            write(unsaved.values());
            return null;
        });
        unsaved.clear();
    }

    /** The statements of {@code changes}, one per address and jail, in the transaction open. */
    private void write(Collection<Change> changes) throws SQLException {
        try (PreparedStatement upsert = db.connection().prepareStatement(
                "INSERT INTO bans (" + BAN_COLUMNS + ", applied) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (ip, jail) DO UPDATE SET start_ms = excluded.start_ms,"
                        + " end_ms = excluded.end_ms, failures = excluded.failures, ban_count = excluded.ban_count,"
                        + " decided_by = excluded.decided_by,"
                        + " applied = CASE WHEN excluded.applied = 1 THEN 1"
                        + " WHEN bans.start_ms = excluded.start_ms THEN bans.applied ELSE 0 END");
             PreparedStatement history = db.connection().prepareStatement(
                     "INSERT OR IGNORE INTO ban_history (" + BAN_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement delete = db.connection().prepareStatement(
                     "DELETE FROM bans WHERE ip = ? AND jail = ?");
             PreparedStatement mark = db.connection().prepareStatement(
                     "UPDATE bans SET applied = 1 WHERE ip = ? AND jail = ? AND start_ms = ?")) {
            // One change per address and jail, so the kinds can go in batches of their own, in any order.
            for (Change change : changes) {
                Ban ban = change.ban();
                if (change.kind() == Kind.DELETE) {
                    delete.setString(1, ban.ip());
                    delete.setString(2, ban.jail());
                    delete.addBatch();
                } else if (change.kind() == Kind.MARK_APPLIED) {
                    mark.setString(1, ban.ip());
                    mark.setString(2, ban.jail());
                    mark.setLong(3, ban.start().toEpochMilli());
                    mark.addBatch();
                } else {
                    bind(upsert, ban);
                    upsert.setInt(8, change.kind() == Kind.SAVE_APPLIED ? 1 : 0);
                    upsert.addBatch();
                    bind(history, ban);
                    history.addBatch();
                }
            }
            upsert.executeBatch();
            history.executeBatch();
            mark.executeBatch();
            delete.executeBatch();
        }
    }

    private static String key(Ban ban) {
        return ban.ip() + "\n" + ban.jail();
    }

    private List<Ban> query(String what, String sql, Object... args) {
        return db.read(what, () -> {
            try (PreparedStatement select = db.connection().prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    select.setObject(i + 1, args[i]);
                }
                List<Ban> bans = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        long end = rs.getLong(4);
                        Instant endInstant = rs.wasNull() ? null : Instant.ofEpochMilli(end);
                        bans.add(new Ban(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                                endInstant, rs.getInt(5), rs.getInt(6), rs.getString(7)));
                    }
                }
                return bans;
            }
        });
    }

    private int count(String what, String sql, Object... args) {
        return db.read(what, () -> {
            try (PreparedStatement select = db.connection().prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    select.setObject(i + 1, args[i]);
                }
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? rs.getInt(1) : 0;
                }
            }
        });
    }

    private static void bind(PreparedStatement statement, Ban ban) throws SQLException {
        statement.setString(1, ban.ip());
        statement.setString(2, ban.jail());
        statement.setLong(3, ban.start().toEpochMilli());
        if (ban.end() == null) {
            statement.setNull(4, Types.INTEGER);
        } else {
            statement.setLong(4, ban.end().toEpochMilli());
        }
        statement.setInt(5, ban.failures());
        statement.setInt(6, ban.banCount());
        statement.setString(7, ban.decidedBy());
    }
}
