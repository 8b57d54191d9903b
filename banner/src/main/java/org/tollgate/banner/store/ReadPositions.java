package org.tollgate.banner.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How far each log source has been read, kept in the {@link StateDatabase}: byte offsets of files (keyed by path,
 * inode and a hash of the first line) and journal cursors. What the sources depend on, apart from the bans.
 *
 * <p>A save never throws: when the database cannot take it (disk full), the position is kept here, counted in the
 * database's health, and written with the next save that works, so a store outage never stops a source.
 */
public final class ReadPositions {

    private final StateDatabase db;
    /** Positions and cursors not yet written because the database failed; the newest per source. */
    private final Map<String, Long> unsavedOffsets = new LinkedHashMap<>();
    private final Map<String, String> unsavedCursors = new LinkedHashMap<>();

    ReadPositions(StateDatabase db) {
        this.db = db;
        // The write's lambda class spun now (never run), not by a source's first save after its first lines.
        writing(0);
    }

    /** Remembers that {@code sourceKey} has been read up to byte {@code offset}. */
    public void save(String sourceKey, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("read position of " + sourceKey + " must not be negative, was " + offset);
        }
        synchronized (db) {
            unsavedOffsets.put(sourceKey, offset);
            flush("save the read position of " + sourceKey);
        }
    }

    /**
     * Remembers that {@code sourceKey} has been read up to {@code cursor}: a position that is text, such as the
     * journal cursor of the last record read ({@code journald:asterisk.service}).
     */
    public void saveCursor(String sourceKey, String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            throw new IllegalArgumentException("read cursor of " + sourceKey + " must not be empty");
        }
        synchronized (db) {
            unsavedCursors.put(sourceKey, cursor);
            flush("save the read cursor of " + sourceKey);
        }
    }

    /** Writes what earlier saves could not; true when nothing is left unsaved. */
    public boolean retryUnsaved() {
        synchronized (db) {
            return unsavedOffsets.isEmpty() && unsavedCursors.isEmpty() || flush("save read positions");
        }
    }

    /** How far {@code sourceKey} has been read, if it has been seen before. */
    public OptionalLong position(String sourceKey) {
        synchronized (db) {
            Long unsaved = unsavedOffsets.get(sourceKey);
            if (unsaved != null) {
                return OptionalLong.of(unsaved);
            }
            return db.read("read the position of " + sourceKey, () -> {
                try (PreparedStatement select = db.connection().prepareStatement(
                        "SELECT byte_offset FROM read_positions WHERE source_key = ?")) {
                    select.setString(1, sourceKey);
                    try (ResultSet rs = select.executeQuery()) {
                        return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
                    }
                }
            });
        }
    }

    /** The cursor {@code sourceKey} has been read up to, if it has been seen before. */
    public Optional<String> cursor(String sourceKey) {
        synchronized (db) {
            String unsaved = unsavedCursors.get(sourceKey);
            if (unsaved != null) {
                return Optional.of(unsaved);
            }
            return db.read("read the cursor of " + sourceKey, () -> {
                try (PreparedStatement select = db.connection().prepareStatement(
                        "SELECT cursor FROM read_cursors WHERE source_key = ?")) {
                    select.setString(1, sourceKey);
                    try (ResultSet rs = select.executeQuery()) {
                        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                    }
                }
            });
        }
    }

    /**
     * Forgets positions and cursors not updated since {@code cutoff} (files rotated away long ago); returns how many.
     *
     * @throws StoreException when the database cannot take the change (it is tried again next time)
     */
    public int forgetBefore(Instant cutoff) {
        return db.write("forget old read positions", () -> {
            int forgotten = 0;
            for (String table : new String[] {"read_positions", "read_cursors"}) {
                try (PreparedStatement delete = db.connection().prepareStatement(
                        "DELETE FROM " + table + " WHERE updated_ms < ?")) {
                    delete.setLong(1, cutoff.toEpochMilli());
                    forgotten += delete.executeUpdate();
                }
            }
            return forgotten;
        });
    }

    /** Writes every unsaved position and cursor in one transaction; false (kept for later) when that fails. */
    private boolean flush(String what) {
        try {
            db.write(what, writing(db.clock().millis()));
        } catch (StoreException e) {
            return false;
        }
        unsavedOffsets.clear();
        unsavedCursors.clear();
        return true;
    }

    /** The statements that write every unsaved position and cursor, stamped {@code now}. */
    private StateDatabase.Work<Void> writing(long now) {
        return () -> {
            try (PreparedStatement offsets = db.connection().prepareStatement(
                    "INSERT INTO read_positions (source_key, byte_offset, updated_ms) VALUES (?, ?, ?)"
                            + " ON CONFLICT (source_key) DO UPDATE SET byte_offset = excluded.byte_offset,"
                            + " updated_ms = excluded.updated_ms");
                 PreparedStatement cursors = db.connection().prepareStatement(
                         "INSERT INTO read_cursors (source_key, cursor, updated_ms) VALUES (?, ?, ?)"
                                 + " ON CONFLICT (source_key) DO UPDATE SET cursor = excluded.cursor,"
                                 + " updated_ms = excluded.updated_ms")) {
                for (Map.Entry<String, Long> entry : unsavedOffsets.entrySet()) {
                    offsets.setString(1, entry.getKey());
                    offsets.setLong(2, entry.getValue());
                    offsets.setLong(3, now);
                    offsets.executeUpdate();
                }
                for (Map.Entry<String, String> entry : unsavedCursors.entrySet()) {
                    cursors.setString(1, entry.getKey());
                    cursors.setString(2, entry.getValue());
                    cursors.setLong(3, now);
                    cursors.executeUpdate();
                }
            }
            return null;
        };
    }
}
