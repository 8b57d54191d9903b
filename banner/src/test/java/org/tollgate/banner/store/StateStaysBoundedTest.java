package org.tollgate.banner.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.banner.jail.Ban;
import org.tollgate.banner.jail.HostAddresses;
import org.tollgate.banner.jail.InMemoryBanHistory;
import org.tollgate.banner.jail.JailSettings;
import org.tollgate.banner.jail.Jails;
import org.tollgate.testkit.FakeClock;

/**
 * A year of bans and read positions, with the daily maintenance run each day on a hand-moved clock: the state
 * database stays bounded by what the history window and the positions' lifetime keep, not by how long it ran.
 */
class StateStaysBoundedTest {

    private static final int BANS_PER_DAY = 40;
    private static final int NEW_FILES_PER_DAY = 2;
    private static final Duration HISTORY = Duration.ofDays(7);

    @TempDir
    Path dir;

    @Test
    void aYearOfBansAndRotationsLeavesTheDatabaseBounded() {
        FakeClock clock = new FakeClock("2026-01-01T00:00:00Z");
        try (StateDatabase db = StateDatabase.open(dir.resolve("state.db"), clock)) {
            Jails jails = new Jails(List.of(JailSettings.builder("sip-auth").build()), clock, new SplittableRandom(1),
                    new InMemoryBanHistory(), HostAddresses.none());
            DailyMaintenance maintenance = new DailyMaintenance(db, jails, HISTORY);
            long largestHistory = 0;
            long largestPositions = 0;
            for (int day = 0; day < 365; day++) {
                Instant now = clock.instant();
                List<Ban> bans = new ArrayList<>();
                for (int n = 0; n < BANS_PER_DAY; n++) {
                    int id = day * BANS_PER_DAY + n;
                    String ip = "2001:db8:" + Integer.toHexString(id >> 16) + ":" + Integer.toHexString(id & 0xffff) + "::1";
                    bans.add(new Ban(ip, "sip-auth", now, now.plus(Duration.ofHours(3)), 5, 1));
                }
                db.bans().saveAll(bans);
                db.bans().removeAll(db.bans().expiredBefore(now));
                for (int f = 0; f < NEW_FILES_PER_DAY; f++) {
                    // Each rotation makes a new key (new inode); the old ones are never read again.
                    db.positions().save("/var/log/asterisk/full:" + (day * NEW_FILES_PER_DAY + f) + ":x", 4096);
                }
                db.positions().save("/var/log/asterisk/messages:1:y", 4096L * day);
                clock.advance(Duration.ofDays(1));
                Map<String, Long> rows = maintenance.run(clock.instant()).rows();
                largestHistory = Math.max(largestHistory, rows.get("ban_history"));
                largestPositions = Math.max(largestPositions, rows.get("read_positions"));
            }
            Map<String, Long> rows = db.tableSizes();
            System.out.printf("after a year: %s; largest ban_history %d, largest read_positions %d%n", rows,
                    largestHistory, largestPositions);
            long historyBound = (HISTORY.toDays() + 1) * BANS_PER_DAY;
            long positionsBound = (DailyMaintenance.POSITIONS_KEPT.toDays() + 1) * NEW_FILES_PER_DAY + 1;
            assertThat(largestHistory).isLessThanOrEqualTo(historyBound);
            assertThat(largestPositions).isLessThanOrEqualTo(positionsBound);
            assertThat(rows.get("bans")).isLessThanOrEqualTo(BANS_PER_DAY);
            assertThat(rows.get("ban_history")).as("365 days of bans were written")
                    .isLessThan(365L * BANS_PER_DAY / 10);
            assertThat(db.positions().position("/var/log/asterisk/messages:1:y")).as("a file still read is kept")
                    .hasValue(4096L * 364);
        }
    }
}
