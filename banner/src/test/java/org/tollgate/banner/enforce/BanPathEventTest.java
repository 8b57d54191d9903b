package org.tollgate.banner.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.banner.BanPathEvent;
import org.tollgate.banner.jail.ActionSettings;
import org.tollgate.banner.jail.Failure;
import org.tollgate.banner.jail.HostAddresses;
import org.tollgate.banner.jail.InMemoryBanHistory;
import org.tollgate.banner.jail.JailSettings;
import org.tollgate.banner.jail.Jails;
import org.tollgate.banner.store.BanStore;
import org.tollgate.testkit.FakeClock;

/** The ban path's flight-recorder events: off by default, and each step of a ban in order when a recording asks. */
class BanPathEventTest {

    private static final JailSettings SIP_AUTH = JailSettings.builder("sip-auth")
            .maxretry(1).findtime(Duration.ofMinutes(10)).bantime(Duration.ofHours(1)).ignoreself(false)
            .actions(List.of(new ActionSettings("ipset", Map.of("set", "tollgate-sip"), 0))).build();

    @TempDir
    Path dir;

    private final FakeClock clock = new FakeClock("2026-03-02T09:00:00Z");

    @Test
    void aBanRecordsItsStepsInOrderOnlyWhileARecordingAsks() throws Exception {
        assertThat(BanPathEvent.recording()).as("off unless a recording enables it").isFalse();
        List<RecordedEvent> events;
        try (BanStore store = BanStore.open(dir.resolve("state.db"), clock);
             Enforcer enforcer = new Enforcer(new Jails(List.of(SIP_AUTH), clock, new SplittableRandom(1),
                     new InMemoryBanHistory(), HostAddresses.none()), store, clock,
                     entry -> new InMemoryFirewall("ipset:tollgate-sip"))) {
            enforcer.start();
            enforcer.onFailure(new Failure(clock.instant(), "192.0.2.7", "auth-failed", true, "100"));
            try (Recording recording = new Recording()) {
                recording.enable(BanPathEvent.class).withoutThreshold();
                recording.start();
                assertThat(BanPathEvent.recording()).isTrue();
                enforcer.onFailure(new Failure(clock.instant(), "192.0.2.8", "auth-failed", true, "100"));
                recording.stop();
                Path file = dir.resolve("ban-path.jfr");
                recording.dump(file);
                events = RecordingFile.readAllEvents(file);
            }
        }

        List<String> steps = new ArrayList<>();
        long last = Long.MIN_VALUE;
        for (RecordedEvent event : events) {
            assertThat(event.getString("ip")).as("only the ban made while recording").isEqualTo("192.0.2.8");
            steps.add(event.getString("step"));
            assertThat(event.getLong("monotonic")).isGreaterThanOrEqualTo(last);
            last = event.getLong("monotonic");
        }
        assertThat(steps).containsSubsequence(BanPathEvent.JAILED, BanPathEvent.APPLIED, BanPathEvent.SETTLED)
                .contains(BanPathEvent.STORED);
    }
}
