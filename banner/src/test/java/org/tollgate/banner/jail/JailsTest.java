package org.tollgate.banner.jail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tollgate.testkit.FakeClock;

class JailsTest {

    private static final Instant T0 = Instant.parse("2026-01-18T17:30:00Z");

    private final FakeClock clock = new FakeClock(T0);

    private Jails jails(JailSettings... settings) {
        return new Jails(List.of(settings), clock, new SplittableRandom(7), new InMemoryBanHistory(),
                HostAddresses.of("203.0.113.5"));
    }

    private Failure failure(String ip, Instant at) {
        clock.set(at);
        return new Failure(at, ip, "registration-failed", true, "1001");
    }

    @Test
    void recidiveBansAfterFiveBansWithinADayForAWeek() {
        Jails jails = jails(
                JailSettings.builder("sip-auth").maxretry(1).bantime(Duration.ofMinutes(10)).build(),
                JailSettings.builder("recidive", JailSettings.Source.BANS).build());

        List<Ban> recidive = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Instant at = T0.plus(Duration.ofHours(i));
            jails.expire(at);
            List<Ban> bans = jails.offer(failure("192.0.2.10", at));
            assertThat(bans).first().extracting(Ban::jail).isEqualTo("sip-auth");
            bans.stream().filter(b -> b.jail().equals("recidive")).forEach(recidive::add);
            if (i < 4) {
                assertThat(bans).hasSize(1);
            }
        }

        assertThat(recidive).containsExactly(new Ban("192.0.2.10", "recidive", T0.plus(Duration.ofHours(4)),
                T0.plus(Duration.ofHours(4)).plus(Duration.ofDays(7)), 5, 1));
    }

    @Test
    void recidiveForgetsBansOlderThanItsFindtime() {
        Jails jails = jails(
                JailSettings.builder("sip-auth").maxretry(1).bantime(Duration.ofMinutes(10)).build(),
                JailSettings.builder("recidive", JailSettings.Source.BANS).maxretry(3).findtime(Duration.ofHours(1))
                        .build());
        for (int i = 0; i < 6; i++) {
            Instant at = T0.plus(Duration.ofMinutes(40L * i));
            jails.expire(at);
            // Two bans at most within any hour: 40 minutes apart.
            assertThat(jails.offer(failure("192.0.2.10", at))).extracting(Ban::jail).containsExactly("sip-auth");
        }
    }

    @Test
    void carriesIncrementsAndRecidiveAcrossARestart() {
        JailSettings auth = JailSettings.builder("sip-auth").maxretry(1).bantime(Duration.ofMinutes(10))
                .increment(new BanTimeIncrement(true, 1, List.of(), null, Duration.ZERO, false)).build();
        JailSettings recidive = JailSettings.builder("recidive", JailSettings.Source.BANS).maxretry(3).build();
        Jails before = jails(auth, recidive);
        List<Ban> stored = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Instant at = T0.plus(Duration.ofHours(i));
            before.expire(at);
            stored.addAll(before.offer(failure("192.0.2.10", at)));
        }
        assertThat(stored).extracting(Ban::bantimeSeconds).containsExactly(600L, 1200L);

        Jails after = jails(auth, recidive);
        after.seedHistory(stored);
        List<Ban> third = after.offer(failure("192.0.2.10", T0.plus(Duration.ofHours(2))));

        assertThat(third).extracting(b -> b.jail() + " " + b.bantimeSeconds() + " " + b.banCount())
                .containsExactly("sip-auth 2400 3", "recidive 604800 1");
    }

    @Test
    void aRecidiveBanInTheHistoryEmptiesItsWindow() {
        JailSettings auth = JailSettings.builder("sip-auth").maxretry(1).build();
        JailSettings recidive = JailSettings.builder("recidive", JailSettings.Source.BANS).maxretry(2).build();
        Ban first = new Ban("192.0.2.10", "sip-auth", T0, T0.plusSeconds(600), 1, 1);
        Ban second = new Ban("192.0.2.10", "sip-auth", T0.plusSeconds(700), T0.plusSeconds(1300), 1, 2);
        Ban repeat = new Ban("192.0.2.10", "recidive", T0.plusSeconds(700), T0.plus(Duration.ofDays(7)), 2, 1);
        Jails jails = jails(auth, recidive);
        clock.set(T0.plusSeconds(2000));
        jails.seedHistory(List.of(first, second, repeat));

        // The recidive ban was lifted by hand; one more sip-auth ban is one in recidive's fresh window, not three.
        assertThat(jails.offer(failure("192.0.2.10", T0.plusSeconds(2000)))).extracting(Ban::jail)
                .containsExactly("sip-auth");
    }

    @Test
    void oneFailureFeedsEveryFailureJail() {
        Jails jails = jails(
                JailSettings.builder("fast").maxretry(1).build(),
                JailSettings.builder("slow").maxretry(2).build());
        assertThat(jails.offer(failure("192.0.2.10", T0))).extracting(Ban::jail).containsExactly("fast");
        assertThat(jails.offer(failure("192.0.2.10", T0.plusSeconds(1)))).extracting(Ban::jail).containsExactly("slow");
    }

    @Test
    void expiresAcrossJailsInEndOrder() {
        Jails jails = jails(
                JailSettings.builder("long").maxretry(1).bantime(Duration.ofMinutes(30)).build(),
                JailSettings.builder("short").maxretry(1).bantime(Duration.ofMinutes(10)).build());
        jails.offer(failure("192.0.2.1", T0));
        jails.offer(failure("192.0.2.2", T0.plusSeconds(60)));

        assertThat(jails.expire(T0.plus(Duration.ofMinutes(5)))).isEmpty();
        assertThat(jails.expire(T0.plus(Duration.ofHours(1))))
                .extracting(b -> b.jail() + " " + b.ip())
                .containsExactly("short 192.0.2.1", "short 192.0.2.2", "long 192.0.2.1", "long 192.0.2.2");
        assertThat(jails.active()).isEmpty();
    }

    @Test
    void disabledJailsDoNotRun() {
        Jails jails = jails(JailSettings.builder("off").enabled(false).maxretry(1).build());
        assertThat(jails.offer(failure("192.0.2.10", T0))).isEmpty();
        assertThat(jails.settings()).isEmpty();
    }

    @Test
    void ignoreselfUsesTheHostAddresses() {
        Jails jails = jails(JailSettings.builder("sip-auth").maxretry(1).build());
        assertThat(jails.offer(failure("203.0.113.5", T0))).isEmpty();
        assertThat(jails.offer(failure("203.0.113.6", T0))).hasSize(1);
    }

    @Test
    void restoresStoredBansAndReturnsThoseOfJailsGone() {
        Jails jails = jails(JailSettings.builder("sip-auth").maxretry(1).build());
        Ban kept = new Ban("192.0.2.1", "sip-auth", T0, T0.plusSeconds(600), 5, 1);
        Ban orphan = new Ban("192.0.2.2", "removed-jail", T0, T0.plusSeconds(600), 5, 1);

        assertThat(jails.restore(List.of(kept, orphan))).containsExactly(orphan);
        assertThat(jails.active()).containsExactly(kept);
        assertThat(jails.offer(failure("192.0.2.1", T0.plusSeconds(1)))).isEmpty();
        assertThat(jails.expire(T0.plusSeconds(600))).containsExactly(kept);
    }

    @Test
    void unbansByHandInOneOrEveryJail() {
        Jails jails = jails(JailSettings.builder("a").maxretry(1).build(), JailSettings.builder("b").maxretry(1).build());
        jails.offer(failure("192.0.2.1", T0));
        assertThat(jails.unban("192.0.2.1", "a")).isPresent();
        assertThat(jails.unbanEverywhere("192.0.2.1")).extracting(Ban::jail).containsExactly("b");
        assertThat(jails.active()).isEmpty();
        assertThatThrownBy(() -> jails.unban("192.0.2.1", "c"))
                .hasMessage("no running jail is named 'c'; running: a, b");
    }

    @Test
    void refusesTwoJailsOfOneName() {
        assertThatThrownBy(() -> jails(JailSettings.builder("a").build(), JailSettings.builder("a").build()))
                .hasMessage("two jails are named a");
    }

    @Test
    void reportsCountersPerJail() {
        Jails jails = jails(JailSettings.builder("sip-auth").maxretry(2).build());
        jails.offer(failure("192.0.2.1", T0));
        jails.offer(failure("192.0.2.1", T0));
        jails.offer(new Failure(T0, "192.0.2.2", "registration-failed", false, null));
        assertThat(jails.stats()).singleElement().satisfies(s -> {
            assertThat(s.counted()).isEqualTo(2);
            assertThat(s.untrusted()).isEqualTo(1);
            assertThat(s.bans()).isEqualTo(1);
            assertThat(s.active()).isEqualTo(1);
        });
    }

    @Test
    void reconfiguredJailsKeepTheirCountsAndBansAndCountToTheNewMaxretry() {
        Jails jails = jails(JailSettings.builder("sip-auth").maxretry(5).findtime(Duration.ofMinutes(10)).build(),
                JailSettings.builder("ami").maxretry(1).match(List.of("ami-login-failed")).build());
        jails.offer(new Failure(T0, "192.0.2.30", "ami-login-failed", true, null));
        for (int i = 0; i < 3; i++) {
            jails.offer(failure("192.0.2.10", T0.plusSeconds(i)));
        }
        for (int i = 0; i < 5; i++) {
            jails.offer(failure("192.0.2.20", T0.plusSeconds(10 + i)));
        }
        assertThat(jails.active()).extracting(Ban::ip).containsExactlyInAnyOrder("192.0.2.20", "192.0.2.30");

        jails.reconfigure(List.of(JailSettings.builder("sip-auth").maxretry(4).findtime(Duration.ofMinutes(10)).build()));

        assertThat(jails.settings().get("sip-auth").maxretry()).isEqualTo(4);
        assertThat(jails.active()).extracting(Ban::jail).containsExactlyInAnyOrder("sip-auth", "ami");
        // Three kept failures and one more reach the new maxretry: with counts lost, or the old maxretry, no ban.
        assertThat(jails.offer(failure("192.0.2.10", T0.plusSeconds(30)))).extracting(Ban::jail, Ban::failures)
                .contains(org.assertj.core.groups.Tuple.tuple("sip-auth", 4));
        assertThat(jails.stats().get(0).counted()).isEqualTo(10); // the AMI failure too
        assertThat(jails.stats().get(1).counted()).isEqualTo(1);
    }

    @Test
    void reconfigureRefusesAJailThatIsNotRunningAndChangesNothing() {
        Jails jails = jails(JailSettings.builder("sip-auth").maxretry(5).build());
        assertThatThrownBy(() -> jails.reconfigure(List.of(JailSettings.builder("sip-auth").maxretry(2).build(),
                JailSettings.builder("new").build()))).hasMessageContaining("jail new is not running here");
        assertThat(jails.settings().get("sip-auth").maxretry()).isEqualTo(5);
    }
}
