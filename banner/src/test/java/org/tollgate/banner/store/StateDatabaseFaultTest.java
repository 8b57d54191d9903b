package org.tollgate.banner.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.banner.jail.Ban;
import org.tollgate.testkit.FakeClock;

/**
 * A state database that stops taking writes (a full disk, made here with SQLite's own page limit, which fails the
 * way a full disk does: "database or disk is full") never stops the callers, and everything resumes by itself.
 */
class StateDatabaseFaultTest {

    private final FakeClock clock = new FakeClock("2026-03-02T09:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aFullDiskKeepsPositionsAndBansInMemoryAndWritesThemWhenThereIsRoomAgain() throws Exception {
        try (StateDatabase db = StateDatabase.open(dir.resolve("state.db"), clock)) {
            ReadPositions positions = db.positions();
            BanStore bans = db.bans();
            positions.save("/var/log/asterisk/full:1:a", 100);
            limitPages(db, pages(db));

            // Positions of a busy source: each save needs room; none throws, the first failure starts an outage.
            int saves = 0;
            while (db.health().healthy() && saves < 100_000) {
                positions.save("/var/log/asterisk/full:" + saves + ":b", 1_000 + saves);
                saves++;
            }
            assertThat(db.health().healthy()).as("the page limit was reached").isFalse();
            assertThat(db.health().lastError()).contains("full");
            long failuresBefore = db.health().failures();
            positions.save("/var/log/asterisk/full:1:a", 4_096);
            assertThat(positions.position("/var/log/asterisk/full:1:a")).as("the newest position, from memory")
                    .hasValue(4_096);
            assertThat(db.health().failures()).isGreaterThan(failuresBefore);

            // A burst of bans needs new pages too: the write fails and is kept, the ban itself goes on.
            java.util.List<Ban> burst = new java.util.ArrayList<>();
            for (int n = 0; n < 500; n++) {
                burst.add(new Ban("2001:db8::" + Integer.toHexString(n + 1), "sip-auth", clock.instant(),
                        clock.instant().plus(Duration.ofHours(1)), 5, 1));
            }
            assertThatThrownBy(() -> bans.saveAll(burst)).isInstanceOf(StoreException.class)
                    .hasMessageContaining("full");
            assertThatThrownBy(() -> bans.markApplied(burst)).isInstanceOf(StoreException.class);

            // Room again: the next write takes everything kept meanwhile.
            limitPages(db, 1_000_000);
            assertThat(bans.retryUnsaved()).isTrue();
            assertThat(positions.retryUnsaved()).isTrue();
            assertThat(db.health().healthy()).isTrue();
            assertThat(bans.active(clock.instant())).containsExactlyInAnyOrderElementsOf(burst);
            assertThat(bans.unapplied()).isEmpty();
        }
        try (StateDatabase again = StateDatabase.open(dir.resolve("state.db"), clock)) {
            assertThat(again.positions().position("/var/log/asterisk/full:1:a")).hasValue(4_096);
        }
    }

    @Test
    void aFileThatIsNotADatabaseIsRefusedInOneLineNamingItAndTheCause() throws Exception {
        Path file = Files.write(dir.resolve("state.db"), new byte[4096]);
        Files.writeString(file, "not a database, a log line that was written here by mistake\n".repeat(80));

        assertThatThrownBy(() -> StateDatabase.open(file, clock)).isInstanceOf(StoreException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").startsWith("state database " + file)
                        .contains("not a database"));
    }

    @Test
    void aDirectoryIsRefusedInOneLine() {
        assertThatThrownBy(() -> StateDatabase.open(dir, clock)).hasMessage("state database " + dir + ": is a directory");
    }

    private static long pages(StateDatabase db) throws SQLException {
        try (Statement statement = db.connection().createStatement();
             var rs = statement.executeQuery("PRAGMA page_count")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void limitPages(StateDatabase db, long pages) throws SQLException {
        synchronized (db) {
            try (Statement statement = db.connection().createStatement()) {
                statement.execute("PRAGMA max_page_count = " + pages);
            }
        }
    }
}
