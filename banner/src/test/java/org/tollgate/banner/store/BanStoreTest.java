package org.tollgate.banner.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.banner.jail.Ban;
import org.tollgate.banner.jail.InMemoryBanHistory;

class BanStoreTest {

    private static final Instant NOW = Instant.parse("2026-01-18T18:00:00Z");

    private static Ban ban(String ip, String jail, Instant start, Duration bantime) {
        return Ban.lasting(ip, jail, start, bantime, 5, 1);
    }

    @Test
    void savesAndReadsBackBansExactly() {
        try (BanStore store = BanStore.inMemory()) {
            Ban timed = new Ban("192.0.2.10", "sip-auth", NOW.minusMillis(1500), NOW.plus(Duration.ofHours(3)), 5, 2);
            Ban permanent = new Ban("2001:db8::7", "sip-scan", NOW, null, 12, 1);
            store.saveAll(List.of(timed, permanent));

            assertThat(store.active(NOW)).containsExactly(timed, permanent);
            assertThat(store.expiredBefore(NOW)).isEmpty();
        }
    }

    @Test
    void keepsBansAndPositionsAcrossARestart(@TempDir Path dir) {
        Path file = dir.resolve("state.db");
        Ban over = ban("192.0.2.1", "sip-auth", NOW.minus(Duration.ofHours(4)), Duration.ofHours(3));
        Ban running = ban("192.0.2.2", "sip-auth", NOW.minus(Duration.ofHours(1)), Duration.ofHours(3));
        Ban forever = ban("192.0.2.3", "recidive", NOW.minus(Duration.ofDays(30)), Duration.ofSeconds(-1));
        try (BanStore store = BanStore.open(file)) {
            store.saveAll(List.of(over, running, forever));
            store.database().positions().save("/var/log/asterisk/full:1234:5f3a", 4096);
            store.database().positions().saveCursor("journald:asterisk.service", "s=5a1b;i=3f2;b=9c0d;m=1a2b3c;t=5f1e2d3c4b5a6;x=77e1");
            assertThat(Files.exists(dir.resolve("state.db-wal"))).as("WAL mode").isTrue();
        }

        try (BanStore store = BanStore.open(file)) {
            assertThat(store.active(NOW)).containsExactlyInAnyOrder(running, forever);
            assertThat(store.expiredBefore(NOW)).containsExactly(over);
            assertThat(store.database().positions().position("/var/log/asterisk/full:1234:5f3a")).isEqualTo(OptionalLong.of(4096));
            assertThat(store.database().positions().position("/var/log/asterisk/messages:1:0")).isEmpty();
            assertThat(store.database().positions().cursor("journald:asterisk.service"))
                    .hasValue("s=5a1b;i=3f2;b=9c0d;m=1a2b3c;t=5f1e2d3c4b5a6;x=77e1");
            assertThat(store.database().positions().cursor("journald:freeswitch.service")).isEmpty();
            assertThat(store.banCount("192.0.2.1")).isEqualTo(1);

            assertThat(store.removeAll(store.expiredBefore(NOW))).isEqualTo(1);
            assertThat(store.expiredBefore(NOW)).isEmpty();
            // The history outlives the ban: increments still see it.
            assertThat(store.banCount("192.0.2.1", "sip-auth")).isEqualTo(1);
        }
    }

    /** How long it took is printed, not asserted: a busy machine is no failure. */
    @Test
    void savesTenThousandBansInOneCall(@TempDir Path dir) {
        List<Ban> bans = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            bans.add(ban("10." + (i >> 16 & 0xff) + "." + (i >> 8 & 0xff) + "." + (i & 0xff), "sip-scan",
                    NOW.plusMillis(i), Duration.ofHours(1)));
        }
        try (BanStore store = BanStore.open(dir.resolve("state.db"))) {
            store.save(ban("192.0.2.1", "warm-up", NOW, Duration.ofHours(1)));
            long started = System.nanoTime();
            store.saveAll(bans);
            System.out.printf("ban store: saveAll of 10,000 bans took %d ms%n", (System.nanoTime() - started) / 1_000_000);

            assertThat(store.active(NOW)).hasSize(10_001);
        }
    }

    @Test
    void aRehearsalRunsTheWritesAndKeepsNothing(@TempDir Path dir) {
        Path file = dir.resolve("state.db");
        Ban kept = ban("192.0.2.1", "sip-auth", NOW, Duration.ofHours(1));
        Ban probe = ban("192.0.2.0", "warm-up", NOW, Duration.ofMinutes(1));
        try (BanStore store = BanStore.open(file)) {
            store.save(kept);

            store.rehearse(List.of(probe, kept));

            assertThat(store.active(NOW)).containsExactly(kept);
            assertThat(store.unapplied()).as("the rehearsed mark was rolled back").containsExactly(kept);
            assertThat(store.banCount("192.0.2.0")).isZero();
            assertThat(store.database().health().healthy()).isTrue();
            store.markApplied(List.of(kept));
        }
        try (BanStore reopened = BanStore.open(file)) {
            assertThat(reopened.active(NOW)).containsExactly(kept);
            assertThat(reopened.unapplied()).isEmpty();
            assertThat(reopened.history(NOW.minus(Duration.ofDays(1)))).containsExactly(kept);
        }
    }

    @Test
    void aNewBanReplacesTheOldOneAndBothAreHistory() {
        try (BanStore store = BanStore.inMemory()) {
            Ban first = ban("192.0.2.1", "sip-auth", NOW.minus(Duration.ofHours(2)), Duration.ofHours(1));
            Ban second = Ban.lasting("192.0.2.1", "sip-auth", NOW, Duration.ofHours(2), 5, 2);
            store.save(first);
            store.save(first); // saving twice is harmless
            store.save(second);
            store.save(ban("192.0.2.1", "recidive", NOW, Duration.ofDays(7)));

            assertThat(store.active(NOW.minus(Duration.ofDays(1)))).filteredOn(b -> b.jail().equals("sip-auth"))
                    .containsExactly(second);
            assertThat(store.banCount("192.0.2.1", "sip-auth")).isEqualTo(2);
            assertThat(store.banCount("192.0.2.1")).isEqualTo(3);
            assertThat(store.banCount("192.0.2.2")).isZero();

            InMemoryBanHistory history = new InMemoryBanHistory();
            store.history(NOW.minus(Duration.ofDays(1))).forEach(history::record);
            assertThat(history.banCount("192.0.2.1", "sip-auth")).isEqualTo(2);
            assertThat(history.banCount("192.0.2.1")).isEqualTo(3);

            assertThat(store.purgeHistoryBefore(NOW)).isEqualTo(1);
            assertThat(store.banCount("192.0.2.1")).isEqualTo(2);
        }
    }

    @Test
    void remembersWhichBansTheFirewallHas() {
        try (BanStore store = BanStore.inMemory()) {
            Ban a = ban("192.0.2.1", "sip-auth", NOW, Duration.ofHours(1));
            Ban b = ban("192.0.2.2", "sip-auth", NOW, Duration.ofHours(1));
            store.saveAll(List.of(a, b));
            assertThat(store.unapplied()).containsExactly(a, b);

            store.markApplied(List.of(a));
            assertThat(store.unapplied()).containsExactly(b);
            store.save(a); // the same ban again: still applied
            assertThat(store.unapplied()).containsExactly(b);

            Ban renewed = ban("192.0.2.1", "sip-auth", NOW.plusSeconds(60), Duration.ofHours(1));
            store.save(renewed);
            assertThat(store.unapplied()).containsExactly(b, renewed);

            assertThat(store.remove("192.0.2.2", "sip-auth")).isTrue();
            assertThat(store.remove("192.0.2.2", "sip-auth")).isFalse();
        }
    }

    @Test
    void forgetsOldReadPositions() {
        try (BanStore store = BanStore.inMemory(InstantSource.fixed(NOW))) {
            store.database().positions().save("/var/log/asterisk/full:1:a", 10);
            store.database().positions().save("/var/log/asterisk/full:1:a", 20);
            assertThat(store.database().positions().position("/var/log/asterisk/full:1:a")).hasValue(20);
            assertThat(store.database().positions().forgetBefore(NOW)).isZero();
            assertThat(store.database().positions().forgetBefore(NOW.plusMillis(1))).isEqualTo(1);
            assertThatThrownBy(() -> store.database().positions().save("x", -1)).hasMessageContaining("must not be negative, was -1");
        }
    }

    @Test
    void keepsTheLastCursorAndForgetsOldOnes() {
        try (BanStore store = BanStore.inMemory(InstantSource.fixed(NOW))) {
            store.database().positions().saveCursor("journald:asterisk.service", "s=1;i=1");
            store.database().positions().saveCursor("journald:asterisk.service", "s=1;i=2");
            assertThat(store.database().positions().cursor("journald:asterisk.service")).hasValue("s=1;i=2");
            assertThat(store.database().positions().forgetBefore(NOW)).isZero();
            assertThat(store.database().positions().forgetBefore(NOW.plusMillis(1))).isEqualTo(1);
            assertThat(store.database().positions().cursor("journald:asterisk.service")).isEmpty();
            assertThatThrownBy(() -> store.database().positions().saveCursor("x", "")).hasMessageContaining("must not be empty");
        }
    }

    @Test
    void namesAMissingDirectory(@TempDir Path dir) {
        Path file = dir.resolve("missing").resolve("state.db");
        assertThatThrownBy(() -> BanStore.open(file))
                .isInstanceOf(StoreException.class)
                .hasMessage("state database " + file + ": directory " + file.getParent() + " does not exist");
    }

    @Test
    void refusesAFileThatIsNotADatabase(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("state.db");
        Files.writeString(file, "this is not sqlite, it is a text file that happens to be long enough".repeat(20));
        assertThatThrownBy(() -> BanStore.open(file))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("state database " + file + ": cannot open: ");
    }
}
