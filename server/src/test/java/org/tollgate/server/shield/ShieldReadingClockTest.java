package org.tollgate.server.shield;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tollgate.banner.action.FirewallMonitor;
import org.tollgate.banner.shield.AddressList;
import org.tollgate.banner.shield.Shield;
import org.tollgate.banner.shield.ShieldSettings;
import org.tollgate.banner.shield.ShieldStatus;
import org.tollgate.testkit.FakeClock;
import org.tollgate.testkit.Waits;

/** A shield reading is stamped by the service's clock, as every other time the status shows. */
class ShieldReadingClockTest {

    private static final ShieldStatus IN_FORCE = new ShieldStatus("nftables:tollgate_shield", true, List.of(), List.of());

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        Waits.result(vertx.close().toCompletionStage());
    }

    @Test
    void aReadingIsStampedByTheServiceClock() throws Exception {
        FakeClock clock = new FakeClock("2026-03-02T09:00:00Z");
        ShieldSettings settings = new ShieldSettings(true, "nftables", ShieldSettings.DEFAULT_NAME,
                ShieldSettings.DEFAULT_PORTS, ShieldSettings.PROTOCOLS, List.of(), false, null, null,
                java.util.Map.of(), List.of());
        ShieldVerticle verticle = new ShieldVerticle(settings, new StandingShield(), Duration.ofHours(1),
                matcher -> { }, clock);
        Waits.result(vertx.deployVerticle(verticle).toCompletionStage());

        Instant later = clock.advance(Duration.ofMinutes(7));
        assertThat(Waits.result(verticle.status().toCompletionStage())).isEqualTo(IN_FORCE);

        assertThat(verticle.lastReading()).map(ShieldReading::readAt).contains(later);
    }

    /** A shield always in force, that runs nothing. */
    private static final class StandingShield implements Shield {
        @Override
        public String name() {
            return "nftables:tollgate_shield";
        }

        @Override
        public void apply(AddressList allow, AddressList block) {
        }

        @Override
        public void reloadLists(AddressList allow, AddressList block) {
        }

        @Override
        public List<String> missing() {
            return List.of();
        }

        @Override
        public ShieldStatus status() {
            return IN_FORCE;
        }

        @Override
        public void remove() {
        }

        @Override
        public Optional<FirewallMonitor> monitor() {
            return Optional.empty();
        }

        @Override
        public List<String> problems() {
            return List.of();
        }
    }
}
