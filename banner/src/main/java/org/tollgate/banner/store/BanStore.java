package org.tollgate.banner.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.tollgate.banner.jail.Ban;

/**
 * What must survive a restart, in one SQLite file: the bans in force (with whether the firewall has them), the
 * history of bans (so bantime increments continue across restarts), and how far each log source has been read.
 *
 * <p>The file is in WAL mode with {@code synchronous=NORMAL}: a crash may lose the last commits but never corrupts
 * the file, and writers do not block readers. Many bans are written in one transaction. Instants are kept as epoch
 * milliseconds, which {@link Ban} already rounds to. One connection, calls serialised.
 */
public final class BanStore implements AutoCloseable {

    /** The schema this code writes; {@code PRAGMA user_version}. */
    static final int SCHEMA_VERSION = 1;

    private static final String[] SCHEMA = {
        """
        CREATE TABLE IF NOT EXISTS bans (
          ip        TEXT    NOT NULL,
          jail      TEXT    NOT NULL,
          start_ms  INTEGER NOT NULL,
          end_ms    INTEGER,               -- NULL: permanent
          failures  INTEGER NOT NULL,
          ban_count INTEGER NOT NULL,
          applied   INTEGER NOT NULL DEFAULT 0,
          PRIMARY KEY (ip, jail)
        ) WITHOUT ROWID""",
        "CREATE INDEX IF NOT EXISTS bans_by_end ON bans (end_ms)",
        """
        CREATE TABLE IF NOT EXISTS ban_history (
          ip        TEXT    NOT NULL,
          jail      TEXT    NOT NULL,
          start_ms  INTEGER NOT NULL,
          end_ms    INTEGER,
          failures  INTEGER NOT NULL,
          ban_count INTEGER NOT NULL,
          PRIMARY KEY (ip, jail, start_ms)
        ) WITHOUT ROWID""",
        "CREATE INDEX IF NOT EXISTS ban_history_by_start ON ban_history (start_ms)",
        """
        CREATE TABLE IF NOT EXISTS read_positions (
          source_key TEXT    NOT NULL PRIMARY KEY,
          byte_offset INTEGER NOT NULL,
          updated_ms INTEGER NOT NULL
        )""",
        // Positions that are text (journald cursors). A table of its own keeps schema version 1: older code
        // ignores it.
        """
        CREATE TABLE IF NOT EXISTS read_cursors (
          source_key TEXT    NOT NULL PRIMARY KEY,
          cursor     TEXT    NOT NULL,
          updated_ms INTEGER NOT NULL
        )""",
    };

    private static final String BAN_COLUMNS = "ip, jail, start_ms, end_ms, failures, ban_count";

    private final Connection connection;
    private final String description;
    private final InstantSource clock;

    private BanStore(Connection connection, String description, InstantSource clock) {
        this.connection = connection;
        this.description = description;
        this.clock = clock;
    }

    /**
     * Opens (creating if needed) the database at {@code file}.
     *
     * @throws StoreException when the directory is missing, the file is not a Tollgate state database, or it was
     *                        written by a newer schema
     */
    public static BanStore open(Path file) {
        return open(file, InstantSource.system());
    }

    /** Opens {@code file}; {@code clock} stamps read positions. */
    public static BanStore open(Path file, InstantSource clock) {
        Path directory = file.toAbsolutePath().getParent();
        if (directory != null && !Files.isDirectory(directory)) {
            throw new StoreException("state database " + file + ": directory " + directory + " does not exist");
        }
        return open("jdbc:sqlite:" + file.toAbsolutePath(), file.toString(), true, clock);
    }

    /** A database that lives as long as this object: for tests and the demo. */
    public static BanStore inMemory() {
        return inMemory(InstantSource.system());
    }

    /** An in-memory database; {@code clock} stamps read positions. */
    public static BanStore inMemory(InstantSource clock) {
        return open("jdbc:sqlite::memory:", ":memory:", false, clock);
    }

    private static BanStore open(String url, String description, boolean wal, InstantSource clock) {
        Connection connection = null;
        try {
            connection = DriverManager.getConnection(url);
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA busy_timeout = 5000");
                if (wal) {
                    try (ResultSet mode = statement.executeQuery("PRAGMA journal_mode = WAL")) {
                        if (!mode.next() || !"wal".equalsIgnoreCase(mode.getString(1))) {
                            throw new StoreException("state database " + description + ": cannot switch to WAL mode");
                        }
                    }
                }
                statement.execute("PRAGMA synchronous = NORMAL");
                int version;
                try (ResultSet rs = statement.executeQuery("PRAGMA user_version")) {
                    version = rs.next() ? rs.getInt(1) : 0;
                }
                if (version > SCHEMA_VERSION) {
                    throw new StoreException("state database " + description + " has schema version " + version
                            + "; this Tollgate reads up to " + SCHEMA_VERSION + ". Upgrade Tollgate or move the file away");
                }
                connection.setAutoCommit(false);
                for (String ddl : SCHEMA) {
                    statement.execute(ddl);
                }
                statement.execute("PRAGMA user_version = " + SCHEMA_VERSION);
                connection.commit();
                connection.setAutoCommit(true);
            }
            return new BanStore(connection, description, clock);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new StoreException("state database " + description + ": cannot open: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /** Saves one ban; see {@link #saveAll}. */
    public void save(Ban ban) {
        saveAll(List.of(ban));
    }

    /**
     * Saves {@code bans} in one transaction: each replaces the ban of the same address and jail, not yet applied,
     * and is added to the history (once, however often it is saved).
     */
    public synchronized void saveAll(Collection<? extends Ban> bans) {
        if (bans.isEmpty()) {
            return;
        }
        inTransaction("save " + bans.size() + " bans", () -> {
            try (PreparedStatement upsert = connection.prepareStatement(
                    "INSERT INTO bans (" + BAN_COLUMNS + ", applied) VALUES (?, ?, ?, ?, ?, ?, 0)"
                            + " ON CONFLICT (ip, jail) DO UPDATE SET start_ms = excluded.start_ms,"
                            + " end_ms = excluded.end_ms, failures = excluded.failures, ban_count = excluded.ban_count,"
                            + " applied = CASE WHEN bans.start_ms = excluded.start_ms THEN bans.applied ELSE 0 END");
                 PreparedStatement history = connection.prepareStatement(
                         "INSERT OR IGNORE INTO ban_history (" + BAN_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
                for (Ban ban : bans) {
                    bind(upsert, ban);
                    upsert.addBatch();
                    bind(history, ban);
                    history.addBatch();
                }
                upsert.executeBatch();
                history.executeBatch();
            }
            return null;
        });
    }

    /** Deletes the ban of {@code ip} in {@code jail}; its history stays. Returns whether there was one. */
    public synchronized boolean remove(String ip, String jail) {
        return inTransaction("remove the ban of " + ip + " in " + jail, () -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM bans WHERE ip = ? AND jail = ?")) {
                delete.setString(1, ip);
                delete.setString(2, jail);
                return delete.executeUpdate() > 0;
            }
        });
    }

    /** Deletes these bans (by address and jail) in one transaction; returns how many there were. */
    public synchronized int removeAll(Collection<? extends Ban> bans) {
        if (bans.isEmpty()) {
            return 0;
        }
        return inTransaction("remove " + bans.size() + " bans", () -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM bans WHERE ip = ? AND jail = ?")) {
                for (Ban ban : bans) {
                    delete.setString(1, ban.ip());
                    delete.setString(2, ban.jail());
                    delete.addBatch();
                }
                int removed = 0;
                for (int count : delete.executeBatch()) {
                    removed += Math.max(count, 0);
                }
                return removed;
            }
        });
    }

    /** The bans in force at {@code now}: permanent, or ending after it. */
    public synchronized List<Ban> active(Instant now) {
        return query("read active bans",
                "SELECT " + BAN_COLUMNS + " FROM bans WHERE end_ms IS NULL OR end_ms > ? ORDER BY start_ms, ip, jail",
                now.toEpochMilli());
    }

    /** The bans over at {@code now} (ending at or before it) and not yet removed: to lift. */
    public synchronized List<Ban> expiredBefore(Instant now) {
        return query("read expired bans",
                "SELECT " + BAN_COLUMNS + " FROM bans WHERE end_ms <= ? ORDER BY end_ms, ip, jail", now.toEpochMilli());
    }

    /** Records that the firewall has these bans (those still stored with the same start). */
    public synchronized void markApplied(Collection<? extends Ban> bans) {
        if (bans.isEmpty()) {
            return;
        }
        inTransaction("mark " + bans.size() + " bans applied", () -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE bans SET applied = 1 WHERE ip = ? AND jail = ? AND start_ms = ?")) {
                for (Ban ban : bans) {
                    update.setString(1, ban.ip());
                    update.setString(2, ban.jail());
                    update.setLong(3, ban.start().toEpochMilli());
                    update.addBatch();
                }
                update.executeBatch();
            }
            return null;
        });
    }

    /** The stored bans the firewall does not have yet: to retry. */
    public synchronized List<Ban> unapplied() {
        return query("read unapplied bans",
                "SELECT " + BAN_COLUMNS + " FROM bans WHERE applied = 0 ORDER BY start_ms, ip, jail");
    }

    /** How many bans of {@code ip}, in any jail, the history holds. */
    public synchronized int banCount(String ip) {
        return count("count bans of " + ip, "SELECT count(*) FROM ban_history WHERE ip = ?", ip);
    }

    /** How many bans of {@code ip} in {@code jail} the history holds. */
    public synchronized int banCount(String ip, String jail) {
        return count("count bans of " + ip + " in " + jail,
                "SELECT count(*) FROM ban_history WHERE ip = ? AND jail = ?", ip, jail);
    }

    /** Every ban in the history that started at or after {@code since}, oldest first: to seed a BanHistory. */
    public synchronized List<Ban> history(Instant since) {
        return query("read the ban history",
                "SELECT " + BAN_COLUMNS + " FROM ban_history WHERE start_ms >= ? ORDER BY start_ms, ip, jail",
                since.toEpochMilli());
    }

    /** Forgets history of bans that started before {@code cutoff}; returns how many. */
    public synchronized int purgeHistoryBefore(Instant cutoff) {
        return inTransaction("purge the ban history", () -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM ban_history WHERE start_ms < ?")) {
                delete.setLong(1, cutoff.toEpochMilli());
                return delete.executeUpdate();
            }
        });
    }

    /**
     * Remembers that the source {@code sourceKey} (for a file: path, inode and a hash of its first line) has been
     * read up to byte {@code offset}.
     */
    public synchronized void savePosition(String sourceKey, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("read position of " + sourceKey + " must not be negative, was " + offset);
        }
        inTransaction("save the read position of " + sourceKey, () -> {
            try (PreparedStatement upsert = connection.prepareStatement(
                    "INSERT INTO read_positions (source_key, byte_offset, updated_ms) VALUES (?, ?, ?)"
                            + " ON CONFLICT (source_key) DO UPDATE SET byte_offset = excluded.byte_offset,"
                            + " updated_ms = excluded.updated_ms")) {
                upsert.setString(1, sourceKey);
                upsert.setLong(2, offset);
                upsert.setLong(3, clock.millis());
                upsert.executeUpdate();
            }
            return null;
        });
    }

    /** How far {@code sourceKey} has been read, if it has been seen before. */
    public synchronized OptionalLong position(String sourceKey) {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT byte_offset FROM read_positions WHERE source_key = ?")) {
            select.setString(1, sourceKey);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        } catch (SQLException e) {
            throw failure("read the position of " + sourceKey, e);
        }
    }

    /**
     * Remembers that the source {@code sourceKey} has been read up to {@code cursor}: a position that is text, such as
     * the journal cursor of the last record read ({@code journald:asterisk.service}).
     */
    public synchronized void saveCursor(String sourceKey, String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            throw new IllegalArgumentException("read cursor of " + sourceKey + " must not be empty");
        }
        inTransaction("save the read cursor of " + sourceKey, () -> {
            try (PreparedStatement upsert = connection.prepareStatement(
                    "INSERT INTO read_cursors (source_key, cursor, updated_ms) VALUES (?, ?, ?)"
                            + " ON CONFLICT (source_key) DO UPDATE SET cursor = excluded.cursor,"
                            + " updated_ms = excluded.updated_ms")) {
                upsert.setString(1, sourceKey);
                upsert.setString(2, cursor);
                upsert.setLong(3, clock.millis());
                upsert.executeUpdate();
            }
            return null;
        });
    }

    /** The cursor {@code sourceKey} has been read up to, if it has been seen before. */
    public synchronized Optional<String> cursor(String sourceKey) {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT cursor FROM read_cursors WHERE source_key = ?")) {
            select.setString(1, sourceKey);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read the cursor of " + sourceKey, e);
        }
    }

    /**
     * Forgets read positions and cursors not updated since {@code cutoff} (sources rotated away long ago); returns
     * how many.
     */
    public synchronized int forgetPositionsBefore(Instant cutoff) {
        return inTransaction("forget old read positions", () -> {
            int forgotten = 0;
            for (String table : new String[] {"read_positions", "read_cursors"}) {
                try (PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM " + table + " WHERE updated_ms < ?")) {
                    delete.setLong(1, cutoff.toEpochMilli());
                    forgotten += delete.executeUpdate();
                }
            }
            return forgotten;
        });
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw failure("close", e);
        }
    }

    @Override
    public String toString() {
        return "BanStore[" + description + "]";
    }

    private interface Work<T> {
        T run() throws SQLException;
    }

    private <T> T inTransaction(String what, Work<T> work) {
        try {
            connection.setAutoCommit(false);
            try {
                T result = work.run();
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    private List<Ban> query(String what, String sql, Object... args) {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                select.setObject(i + 1, args[i]);
            }
            List<Ban> bans = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    long end = rs.getLong(4);
                    Instant endInstant = rs.wasNull() ? null : Instant.ofEpochMilli(end);
                    bans.add(new Ban(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)), endInstant,
                            rs.getInt(5), rs.getInt(6)));
                }
            }
            return bans;
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    private int count(String what, String sql, Object... args) {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                select.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        } catch (SQLException e) {
            throw failure(what, e);
        }
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
    }

    private StoreException failure(String what, SQLException e) {
        return new StoreException("state database " + description + ": cannot " + what + ": " + e.getMessage(), e);
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Already failing; the first error is the one to report.
            }
        }
    }
}
