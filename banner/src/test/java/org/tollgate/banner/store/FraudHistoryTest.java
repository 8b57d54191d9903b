package org.tollgate.banner.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.banner.config.TollgateConfigFile;
import org.tollgate.banner.fraud.FraudAlert;
import org.tollgate.banner.fraud.FraudJails;
import org.tollgate.normalizer.AsteriskEvent;
import org.tollgate.normalizer.Normalizer;
import org.tollgate.normalizer.NormalizerOptions;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.testkit.FakeClock;

/** What fraud jails learned survives a restart (the state file closed and opened again), and stays bounded. */
class FraudHistoryTest {

    /** Each call its own channel: a jail counts a channel once. */
    private static final AtomicInteger CHANNELS = new AtomicInteger(0x100);
    private static final FakeClock CLOCK = new FakeClock("2026-01-21T09:00:00Z");

    private static final String OFFICE = "fraud:\n  office:\n    new_destinations: {max: 2, window: 1d}\n"
            + "    blocked: [satellite]\n";

    @TempDir
    Path dir;

    private static List<AsteriskEvent> calls(String... numbers) {
        List<AsteriskEvent> calls = new ArrayList<>();
        Normalizer normalizer = new Normalizer(NormalizerOptions.defaults().withZone(ZoneOffset.UTC));
        for (String number : numbers) {
            int channel = CHANNELS.addAndGet(2);
            normalizer.normalize("[2026-01-21 09:00:00] VERBOSE[3020][C-00000334] pbx.c: Executing [" + number
                    + "@from-internal:1] Dial(\"PJSIP/1007-00000" + Integer.toHexString(channel) + "\", \"PJSIP/"
                    + number + "@trunk,60,T\") in new stack", false, result -> {
                        if (result instanceof ParseResult.Parsed parsed && parsed.event().isCall()) {
                            calls.add(parsed.event());
                        }
                    });
        }
        return calls;
    }

    private static List<FraudAlert> offer(FraudJails jails, List<AsteriskEvent> calls) {
        List<FraudAlert> alerts = new ArrayList<>();
        calls.forEach(call -> alerts.addAll(jails.offer(call.call(), call.timestamp())));
        return alerts;
    }

    private static FraudJails jails(StateDatabase db) {
        return new FraudJails(TollgateConfigFile.parse(OFFICE, "tollgate.yaml").fraud().values(), db.fraudHistory());
    }

    @Test
    void numbersAndClassesCalledBeforeARestartAreNotNewAfterIt() {
        Path file = dir.resolve("state.db");
        List<AsteriskEvent> partners = calls("0044207946012", "0033140000000", "00881612345678");
        try (StateDatabase db = StateDatabase.open(file, CLOCK)) {
            FraudJails before = jails(db);
            assertThat(before.restore()).isZero();
            assertThat(offer(before, partners)).extracting(FraudAlert::limit).containsExactly("blocked-class");
            assertThat(before.saveLearned()).isTrue();
        }
        try (StateDatabase db = StateDatabase.open(file, CLOCK)) {
            FraudJails after = jails(db);
            assertThat(after.restore()).as("3 numbers, 2 classes").isEqualTo(5);
            assertThat(offer(after, partners)).as("known numbers, a class called before").isEmpty();
            assertThat(offer(after, calls("0049301234567", "0039061234567", "0034911234567")))
                    .extracting(FraudAlert::limit).as("three numbers never called: still new")
                    .containsExactly("new-destinations");
        }
        try (StateDatabase db = StateDatabase.open(file, CLOCK)) {
            FraudJails forgetful = new FraudJails(TollgateConfigFile.parse(OFFICE, "tollgate.yaml").fraud().values());
            assertThat(offer(forgetful, partners)).as("without the history: the same calls trip")
                    .extracting(FraudAlert::limit).containsExactly("blocked-class");
        }
    }

    @Test
    void theHistoryKeepsItsNewestRowsOnly() {
        try (StateDatabase db = StateDatabase.inMemory(CLOCK)) {
            FraudHistory history = new FraudHistory(db, 3);
            List<FraudHistory.Entry> entries = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                entries.add(new FraudHistory.Entry("office", "PJSIP/1007", FraudHistory.Entry.NUMBER, "+4420794600" + i,
                        Instant.parse("2026-01-21T09:00:00Z").toEpochMilli() + i));
            }
            assertThat(history.save(entries.subList(0, 5))).isTrue();
            assertThat(history.save(entries.subList(5, 10))).isTrue();
            assertThat(history.load()).extracting(FraudHistory.Entry::value)
                    .containsExactly("+44207946007", "+44207946008", "+44207946009");
            assertThat(db.tableSizes()).containsEntry("fraud_history", 3L);
        }
    }
}
