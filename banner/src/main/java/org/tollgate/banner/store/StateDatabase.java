package org.tollgate.banner.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.banner.LogFields;

/**
 * The state that must survive a restart, in one SQLite file: the connection, WAL mode, the schema and the
 * transactions. It hands out the {@link BanStore} (bans in force, their history) and the {@link ReadPositions} (how
 * far each log source has been read), and keeps one account of whether writes work.
 *
 * <p>The file is in WAL mode with {@code synchronous=NORMAL}: a crash may lose the last commits but never corrupts
 * the file, and writers do not block readers. Instants are kept as epoch milliseconds. One connection, calls
 * serialised.
 *
 * <p>A write that fails (disk full, file made read-only) never stops the caller's work: the stores count it, keep
 * what they could not write and write it with the next call that works. The outage is logged once when it starts and
 * once when it ends, and {@link #health()} says whether writes work now.
 */
public final class StateDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StateDatabase.class);

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
          decided_by TEXT,                 -- the cluster node that decided it; NULL: this host
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
          decided_by TEXT,
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
        // What fraud jails learned of each key's calls (classes and numbers called); a table of its own keeps
        // schema version 1: older code ignores it.
        """
        CREATE TABLE IF NOT EXISTS fraud_history (
          jail      TEXT    NOT NULL,
          fraud_key TEXT    NOT NULL,
          kind      TEXT    NOT NULL,      -- class or number
          value     TEXT    NOT NULL,
          seen_ms   INTEGER NOT NULL,
          PRIMARY KEY (jail, fraud_key, kind, value)
        ) WITHOUT ROWID""",
        "CREATE INDEX IF NOT EXISTS fraud_history_by_seen ON fraud_history (seen_ms)",
    };

    /** The tables whose sizes are reported. */
    static final String[] TABLES = {"bans", "ban_history", "read_positions", "read_cursors", "fraud_history"};

    private final Connection connection;
    private final String description;
    private final InstantSource clock;
    private final BanStore bans;
    private final ReadPositions positions;
    private final FraudHistory fraudHistory;
    private final AtomicLong failures = new AtomicLong();
    private volatile StoreHealth health = StoreHealth.OK;
    private volatile Map<String, Long> lastSizes = Map.of();

    private StateDatabase(Connection connection, String description, InstantSource clock) {
        this.connection = connection;
        this.description = description;
        this.clock = clock;
        this.bans = new BanStore(this);
        this.positions = new ReadPositions(this);
        this.fraudHistory = new FraudHistory(this);
    }

    /**
     * Opens (creating if needed) the database at {@code file}.
     *
     * @param clock stamps read positions
     * @throws StoreException when the directory is missing, the file is not a Tollgate state database, cannot be
     *                        written, or was written by a newer schema; the message is one line naming the file and
     *                        the cause
     */
    public static StateDatabase open(Path file, InstantSource clock) {
        Path directory = file.toAbsolutePath().getParent();
        if (directory != null && !Files.isDirectory(directory)) {
            throw new StoreException("state database " + file + ": directory " + directory + " does not exist");
        }
        if (Files.isDirectory(file)) {
            throw new StoreException("state database " + file + ": is a directory");
        }
        return open("jdbc:sqlite:" + file.toAbsolutePath(), file.toString(), true, clock);
    }

    /** A database that lives as long as this object: for tests and the demo. */
    public static StateDatabase inMemory(InstantSource clock) {
        return open("jdbc:sqlite::memory:", ":memory:", false, clock);
    }

    private static StateDatabase open(String url, String description, boolean wal, InstantSource clock) {
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
                addMissingColumns(statement);
                statement.execute("PRAGMA user_version = " + SCHEMA_VERSION);
                connection.commit();
                connection.setAutoCommit(true);
            }
            return new StateDatabase(connection, description, clock);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new StoreException("state database " + description + ": cannot open: " + cause(e), e);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /**
     * Columns added after a file was made: {@code decided_by} (which cluster node decided a ban). An added column
     * keeps schema version 1, since older code names the columns it reads and writes and leaves this one NULL.
     */
    private static void addMissingColumns(Statement statement) throws SQLException {
        for (String table : new String[] {"bans", "ban_history"}) {
            boolean present = false;
            try (ResultSet columns = statement.executeQuery("PRAGMA table_info(" + table + ")")) {
                while (columns.next()) {
                    present |= "decided_by".equals(columns.getString("name"));
                }
            }
            if (!present) {
                statement.execute("ALTER TABLE " + table + " ADD COLUMN decided_by TEXT");
            }
        }
    }

    /** The bans in force and their history. */
    public BanStore bans() {
        return bans;
    }

    /** How far each log source has been read. */
    public ReadPositions positions() {
        return positions;
    }

    /** What fraud jails learned of each key's calls. */
    public FraudHistory fraudHistory() {
        return fraudHistory;
    }

    /** Whether writes work now, and how many failed since start. */
    public StoreHealth health() {
        return health;
    }

    /** Rows per table as last counted by {@link #tableSizes()}: for the metrics, never waits for the database. */
    public Map<String, Long> lastTableSizes() {
        return lastSizes;
    }

    /** Counts the rows per table now, for the maintenance task's report (and {@link #lastTableSizes()}). */
    public synchronized Map<String, Long> tableSizes() {
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (String table : TABLES) {
            sizes.put(table, read("count " + table, () -> {
                try (Statement statement = connection.createStatement();
                     ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + table)) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }));
        }
        lastSizes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sizes));
        return sizes;
    }

    /** What the file is, for messages: its path or {@code :memory:}. */
    public String description() {
        return description;
    }

    InstantSource clock() {
        return clock;
    }

    Connection connection() {
        return connection;
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("state database " + description + ": cannot close: " + cause(e), e);
        }
    }

    @Override
    public String toString() {
        return "StateDatabase[" + description + "]";
    }

    interface Work<T> {
        T run() throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction; a failure is rolled back, counted in {@link #health()} and thrown. The
     * connection is left in auto-commit whatever happened, so the next call starts clean.
     */
    synchronized <T> T write(String what, Work<T> work) {
        try {
            connection.setAutoCommit(false);
            try {
                T result = work.run();
                connection.commit();
                succeeded();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly();
                throw e;
            } finally {
                restoreAutoCommit();
            }
        } catch (SQLException e) {
            StoreException failure = failure(what, e);
            failed(failure);
            throw failure;
        }
    }

    /**
     * Runs {@code work} in a transaction that is always rolled back: its statements run, nothing is kept. A failure
     * is thrown and, unlike a write's, not counted in {@link #health()}.
     */
    synchronized <T> T rehearse(String what, Work<T> work) {
        try {
            connection.setAutoCommit(false);
            try {
                return work.run();
            } finally {
                rollbackQuietly();
                restoreAutoCommit();
            }
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    /** Runs a read; a failure is thrown (reads do not change the health: they fail only on a broken file). */
    synchronized <T> T read(String what, Work<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    private void succeeded() {
        StoreHealth was = health;
        if (!was.healthy()) {
            health = StoreHealth.OK.withFailures(failures.get());
            LOG.atInfo().addKeyValue(LogFields.FAILED, failures.get()).addKeyValue(LogFields.REASON, was.lastError())
                    .log("state database " + description + " writes work again; what could not be written is written now");
        }
    }

    private void failed(StoreException e) {
        long count = failures.incrementAndGet();
        StoreHealth was = health;
        health = new StoreHealth(false, count, e.getMessage(), was.healthy() ? clock.instant() : was.since());
        if (was.healthy()) {
            LOG.atError().addKeyValue(LogFields.REASON, e.getMessage())
                    .log("state database writes failing; reading and banning go on, the writes are retried "
                            + "(logged once until they work again)");
        }
    }

    private void rollbackQuietly() {
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
        } catch (SQLException ignored) {
            // SQLite may have rolled back already (disk full): there is no transaction left to end.
        }
    }

    private void restoreAutoCommit() {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException ignored) {
            // Setting auto-commit ends a transaction still open; when that fails there is none left.
        }
    }

    private StoreException failure(String what, SQLException e) {
        return new StoreException("state database " + description + ": cannot " + what + ": " + cause(e), e);
    }

    /** The SQLite error without the driver's decoration: "database or disk is full", "file is not a database". */
    static String cause(SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int paren = message.indexOf(" (");
        if (message.startsWith("[SQLITE_") && paren > 0) {
            String detail = message.substring(paren + 2, message.endsWith(")") ? message.length() - 1 : message.length());
            return detail.replace('\n', ' ');
        }
        return message.replace('\n', ' ');
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
