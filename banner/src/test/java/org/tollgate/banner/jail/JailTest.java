package org.tollgate.banner.jail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tollgate.testkit.FakeClock;

class JailTest {

    private static final Instant T0 = Instant.parse("2026-01-18T17:30:00Z");
    private static final String ATTACKER = "192.0.2.10";

    private final FakeClock clock = new FakeClock(T0);
    private final InMemoryBanHistory history = new InMemoryBanHistory();

    private Jail jail(JailSettings.Builder settings) {
        return new Jail(settings.build(), AddressMatcher.NONE, history, clock, new SplittableRandom(1));
    }

    /** A trusted registration failure from {@code ip}, {@code seconds} after T0, with the clock moved there. */
    private Optional<Ban> fail(Jail jail, String ip, long seconds) {
        Instant at = clock.set(T0.plusSeconds(seconds));
        return jail.offer(new Failure(at, ip, "registration-failed", true, "1001"));
    }

    @Test
    void fourFailuresInsideFindtimeAndOneOutsideDoNotBan() {
        Jail jail = jail(JailSettings.builder("sip-auth").maxretry(5).findtime(Duration.ofMinutes(10)));

        assertThat(fail(jail, ATTACKER, 0)).isEmpty();
        assertThat(fail(jail, ATTACKER, 60)).isEmpty();
        assertThat(fail(jail, ATTACKER, 120)).isEmpty();
        assertThat(fail(jail, ATTACKER, 180)).isEmpty();
        // 601 s after the first: the first has slid out of the window, four remain.
        assertThat(fail(jail, ATTACKER, 601)).isEmpty();
        assertThat(jail.active()).isEmpty();
        assertThat(jail.stats().counted()).isEqualTo(5);
    }

    @Test
    void fiveFailuresInsideFindtimeBan() {
        Jail jail = jail(JailSettings.builder("sip-auth").maxretry(5).findtime(Duration.ofMinutes(10))
                .bantime(Duration.ofHours(3)));

        for (int i = 0; i < 4; i++) {
            assertThat(fail(jail, ATTACKER, i * 100L)).isEmpty();
        }
        Ban ban = fail(jail, ATTACKER, 599).orElseThrow();

        assertThat(ban).isEqualTo(new Ban(ATTACKER, "sip-auth", T0.plusSeconds(599), T0.plusSeconds(599 + 10800), 5, 1));
        assertThat(ban.bantimeSeconds()).isEqualTo(10800);
        assertThat(jail.active()).containsExactly(ban);
    }

    @Test
    void theWindowSlidesAndStillBansWhenTheFifthFallsInside() {
        Jail jail = jail(JailSettings.builder("sip-auth").maxretry(5).findtime(Duration.ofMinutes(10)));
        for (long s : new long[] {0, 60, 120, 180, 601}) {
            assertThat(fail(jail, ATTACKER, s)).isEmpty();
        }
        assertThat(fail(jail, ATTACKER, 602)).get().extracting(Ban::failures).isEqualTo(5);
    }

    @Test
    void countsAddressesApart() {
        Jail jail = jail(JailSettings.builder("sip-auth").maxretry(2));
        assertThat(fail(jail, "192.0.2.1", 0)).isEmpty();
        assertThat(fail(jail, "192.0.2.2", 1)).isEmpty();
        assertThat(fail(jail, "192.0.2.1", 2)).get().extracting(Ban::ip).isEqualTo("192.0.2.1");
    }

    @Test
    void anAddressAlreadyBannedIsNotBannedAgainUntilItsBanEnds() {
        Jail jail = jail(JailSettings.builder("sip-auth").maxretry(2).bantime(Duration.ofMinutes(5)));
        Ban first = fail(jail, ATTACKER, 0).or(() -> fail(jail, ATTACKER, 1)).orElseThrow();
        assertThat(first.end()).isEqualTo(T0.plusSeconds(301));

        assertThat(fail(jail, ATTACKER, 10)).isEmpty();
        assertThat(fail(jail, ATTACKER, 20)).isEmpty();
        assertThat(jail.stats().whileBanned()).isEqualTo(2);

        assertThat(jail.expire(T0.plusSeconds(300))).isEmpty();
        assertThat(jail.expire(T0.plusSeconds(301))).containsExactly(first);
        assertThat(fail(jail, ATTACKER, 400)).isEmpty();
        Ban second = fail(jail, ATTACKER, 401).orElseThrow();
        assertThat(second.banCount()).isEqualTo(2);
    }

    @Test
    void neverBansIgnoredAddressesV4V6OrCidr() {
        Jail jail = jail(JailSettings.builder("sip-auth").maxretry(1)
                .ignoreip(AddressMatcher.parse(List.of("10.0.0.0/8", "2001:db8::/32", "192.0.2.99"))));

        assertThat(fail(jail, "10.20.30.40", 0)).isEmpty();
        assertThat(fail(jail, "2001:db8:1::7", 1)).isEmpty();
        assertThat(fail(jail, "192.0.2.99", 2)).isEmpty();
        assertThat(fail(jail, "::ffff:10.0.0.1", 3)).isEmpty();
        assertThat(jail.stats().ignored()).isEqualTo(4);
        assertThat(fail(jail, "2001:db9::7", 4)).isPresent();
        assertThat(fail(jail, "192.0.2.98", 5)).isPresent();
    }

    @Test
    void neverBansTheHostItselfWithIgnoreself() {
        AddressMatcher self = AddressMatcher.ofAddresses(HostAddresses.of("203.0.113.5", "2001:db8::5").addresses());
        Jail guarded = new Jail(JailSettings.builder("a").maxretry(1).ignoreself(true).build(), self, history, clock,
                new SplittableRandom(1));
        Jail unguarded = new Jail(JailSettings.builder("b").maxretry(1).ignoreself(false).build(), self, history, clock,
                new SplittableRandom(1));

        assertThat(fail(guarded, "203.0.113.5", 0)).isEmpty();
        assertThat(fail(guarded, "2001:db8::5", 0)).isEmpty();
        assertThat(fail(unguarded, "203.0.113.5", 0)).isPresent();
        assertThatThrownBy(() -> guarded.ban("203.0.113.5", T0)).hasMessageContaining("ignoreip");
    }

    @Test
    void untrustedSourcesAreNotCountedUnlessTheJailTrustsAny() {
        Jail trusted = jail(JailSettings.builder("trusted").maxretry(2));
        Jail any = jail(JailSettings.builder("any").maxretry(2).trust(JailSettings.Trust.ANY));
        Failure spoofable = new Failure(T0, ATTACKER, "registration-failed", false, null);

        for (int i = 0; i < 5; i++) {
            assertThat(trusted.offer(spoofable)).isEmpty();
        }
        assertThat(trusted.stats().untrusted()).isEqualTo(5);
        assertThat(trusted.stats().counted()).isZero();
        assertThat(any.offer(spoofable)).isEmpty();
        assertThat(any.offer(spoofable)).isPresent();
    }

    @Test
    void countsOnlyTheMatchedActions() {
        Jail jail = jail(JailSettings.builder("scan").maxretry(2).match(List.of("no-matching-endpoint")));
        assertThat(jail.offer(new Failure(T0, ATTACKER, "registration-failed", true, null))).isEmpty();
        assertThat(jail.offer(new Failure(T0, ATTACKER, "registration-failed", true, null))).isEmpty();
        assertThat(jail.stats().unmatched()).isEqualTo(2);
        assertThat(jail.offer(new Failure(T0, ATTACKER, "no-matching-endpoint", true, null))).isEmpty();
        assertThat(jail.offer(new Failure(T0, ATTACKER, "no-matching-endpoint", true, null))).isPresent();
    }

    @Test
    void countsEverySpellingOfAnAddressAsOne() {
        Jail jail = jail(JailSettings.builder("sip-auth").maxretry(3));
        assertThat(fail(jail, "2001:DB8::1", 0)).isEmpty();
        assertThat(fail(jail, "2001:db8:0:0::1", 1)).isEmpty();
        assertThat(fail(jail, "2001:db8::1", 2)).get().extracting(Ban::ip).isEqualTo("2001:db8::1");

        assertThat(fail(jail, "::ffff:192.0.2.1", 3)).isEmpty();
        assertThat(fail(jail, "192.0.2.1", 4)).isEmpty();
        assertThat(fail(jail, "::ffff:c000:201", 5)).get().extracting(Ban::ip).isEqualTo("192.0.2.1");
    }

    @Test
    void skipsWhatIsNotAnAddress() {
        Jail jail = jail(JailSettings.builder("sip-auth").maxretry(1));
        assertThat(fail(jail, "192.0.2.1; rm -rf /", 0)).isEmpty();
        assertThat(fail(jail, "evil.example", 0)).isEmpty();
        assertThat(jail.stats().invalid()).isEqualTo(2);
    }

    @Test
    void skipsFailuresOlderThanFindtimeFromNow() {
        Jail jail = jail(JailSettings.builder("sip-auth").maxretry(1).findtime(Duration.ofMinutes(10)));
        clock.set(T0.plus(Duration.ofHours(1)));
        assertThat(jail.offer(new Failure(T0, ATTACKER, "registration-failed", true, null))).isEmpty();
        assertThat(jail.stats().stale()).isEqualTo(1);
    }

    @Test
    void bansAPermanentBanWithoutAnEnd() {
        Jail jail = jail(JailSettings.builder("sip-auth").maxretry(1).bantime(JailSettings.PERMANENT));
        Ban ban = fail(jail, ATTACKER, 0).orElseThrow();
        assertThat(ban.permanent()).isTrue();
        assertThat(ban.bantimeSeconds()).isEqualTo(-1);
        assertThat(jail.expire(T0.plus(Duration.ofDays(3650)))).isEmpty();
        assertThat(jail.active()).containsExactly(ban);
    }

    @Test
    void secondBanDoublesWithFactorOneAndIsCappedByMaxtime() {
        Jail jail = jail(JailSettings.builder("sip-auth").maxretry(1).bantime(Duration.ofMinutes(10))
                .increment(new BanTimeIncrement(true, 1.0, List.of(), Duration.ofMinutes(30), Duration.ZERO, false)));

        long at = 0;
        long[] expected = {600, 1200, 1800, 1800};
        for (int i = 0; i < expected.length; i++) {
            Ban ban = fail(jail, ATTACKER, at).orElseThrow();
            assertThat(ban.bantimeSeconds()).as("ban %d", i + 1).isEqualTo(expected[i]);
            assertThat(ban.banCount()).isEqualTo(i + 1);
            at += ban.bantimeSeconds();
            assertThat(jail.expire(T0.plusSeconds(at))).containsExactly(ban);
        }
    }

    @Test
    void incrementsFollowTheMultipliersAndStayOnTheLast() {
        Jail jail = jail(JailSettings.builder("sip-auth").maxretry(1).bantime(Duration.ofMinutes(1))
                .increment(new BanTimeIncrement(true, 1.0, List.of(1, 5, 30), null, Duration.ZERO, false)));

        long at = 0;
        long[] expected = {60, 300, 1800, 1800};
        for (long seconds : expected) {
            Ban ban = fail(jail, ATTACKER, at).orElseThrow();
            assertThat(ban.bantimeSeconds()).isEqualTo(seconds);
            at += seconds;
            jail.expire(T0.plusSeconds(at));
        }
    }

    @Test
    void overallJailsCountsBansFromEveryJail() {
        BanTimeIncrement overall = new BanTimeIncrement(true, 1.0, List.of(), null, Duration.ZERO, true);
        BanTimeIncrement own = new BanTimeIncrement(true, 1.0, List.of(), null, Duration.ZERO, false);
        Jail first = jail(JailSettings.builder("first").maxretry(1).bantime(Duration.ofMinutes(10)));
        Jail shared = jail(JailSettings.builder("shared").maxretry(1).bantime(Duration.ofMinutes(10)).increment(overall));
        Jail alone = jail(JailSettings.builder("alone").maxretry(1).bantime(Duration.ofMinutes(10)).increment(own));

        fail(first, ATTACKER, 0).orElseThrow();
        assertThat(fail(shared, ATTACKER, 1).orElseThrow().bantimeSeconds()).isEqualTo(1200);
        assertThat(fail(alone, ATTACKER, 2).orElseThrow().bantimeSeconds()).isEqualTo(600);
    }

    @Test
    void forgetsTheLeastRecentlySeenAddressWhenFull() {
        Jail jail = jail(JailSettings.builder("sip-auth").maxretry(3).maxTracked(100));
        assertThat(fail(jail, "198.51.100.1", 0)).isEmpty();
        for (int i = 0; i < 1000; i++) {
            assertThat(fail(jail, "10." + (i / 256) + "." + (i % 256) + ".1", 1)).isEmpty();
        }

        JailStats stats = jail.stats();
        assertThat(stats.tracked()).isEqualTo(100);
        assertThat(stats.evictions()).isEqualTo(901);
        // 198.51.100.1 was forgotten: two more failures make two, not the three that would ban.
        assertThat(fail(jail, "198.51.100.1", 2)).isEmpty();
        assertThat(fail(jail, "198.51.100.1", 3)).isEmpty();
        assertThat(fail(jail, "198.51.100.1", 4)).isPresent();
    }

    @Test
    void evictsByLastSightingNotByFirst() {
        Jail jail = jail(JailSettings.builder("sip-auth").maxretry(3).maxTracked(10));
        String seenAgain = "198.51.100.1";
        String seenOnce = "198.51.100.2";
        assertThat(fail(jail, seenAgain, 0)).isEmpty();
        assertThat(fail(jail, seenOnce, 0)).isEmpty();
        for (int i = 0; i < 8; i++) {
            assertThat(fail(jail, "10.0.0." + i, 1)).isEmpty();
        }
        assertThat(fail(jail, seenAgain, 2)).isEmpty();
        assertThat(fail(jail, "10.0.1.1", 3)).isEmpty(); // the eleventh address: one must go

        assertThat(jail.stats().evictions()).isEqualTo(1);
        assertThat(fail(jail, seenAgain, 4)).isPresent();
        assertThat(fail(jail, seenOnce, 5)).isEmpty();
        assertThat(fail(jail, seenOnce, 6)).isEmpty();
    }

    @Test
    void purgesAddressesWhoseWindowIsEmpty() {
        Jail jail = jail(JailSettings.builder("sip-auth").maxretry(5).findtime(Duration.ofMinutes(10)));
        fail(jail, "192.0.2.1", 0);
        fail(jail, "192.0.2.2", 300);
        jail.expire(T0.plusSeconds(700));
        assertThat(jail.stats().tracked()).isEqualTo(1);
        jail.expire(T0.plusSeconds(901));
        assertThat(jail.stats().tracked()).isZero();
    }

    @Test
    void bansAndUnbansByHand() {
        Jail jail = jail(JailSettings.builder("sip-auth").bantime(Duration.ofHours(1)));
        Ban ban = jail.ban("2001:DB8::7", T0);
        assertThat(ban).isEqualTo(new Ban("2001:db8::7", "sip-auth", T0, T0.plusSeconds(3600), 0, 1));
        assertThat(jail.unban("2001:db8:0::7")).contains(ban);
        assertThat(jail.active()).isEmpty();
        assertThatThrownBy(() -> jail.ban("evil.example", T0)).hasMessage("'evil.example' is not an IP address");
    }

    @Test
    void countsOutOfOrderTimestampsInTheirPlace() {
        Jail jail = jail(JailSettings.builder("sip-auth").maxretry(3).findtime(Duration.ofMinutes(10)));
        clock.set(T0.plusSeconds(700));
        Failure late = new Failure(T0.plusSeconds(650), ATTACKER, "registration-failed", true, null);
        Failure tooOld = new Failure(T0.plusSeconds(50), ATTACKER, "registration-failed", true, null);
        assertThat(jail.offer(new Failure(T0.plusSeconds(700), ATTACKER, "registration-failed", true, null))).isEmpty();
        assertThat(jail.offer(tooOld)).isEmpty(); // 650 s before the newest: outside the window
        assertThat(jail.offer(late)).isEmpty();
        Ban ban = jail.offer(new Failure(T0.plusSeconds(690), ATTACKER, "registration-failed", true, null)).orElseThrow();
        assertThat(ban.failures()).isEqualTo(3);
    }

    @Test
    void aFailureFromAnAddressNoFirewallMayBanIsSkippedAsInvalid() {
        Jail jail = jail(JailSettings.builder("sip-auth").maxretry(1).ignoreself(false));

        for (String ip : new String[] {"0.0.0.0", "::", "127.0.0.1", "::1", "224.0.0.1", "ff02::1", "255.255.255.255"}) {
            assertThat(fail(jail, ip, 1)).as(ip).isEmpty();
        }

        assertThat(jail.stats().invalid()).isEqualTo(7);
        assertThat(jail.stats().counted()).isZero();
        assertThatThrownBy(() -> jail.ban("0.0.0.0", T0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("0.0.0.0 is the unspecified address (0.0.0.0/8); it is never banned");
        assertThatThrownBy(() -> jail.ban("ff02::1", T0)).hasMessageContaining("multicast");
    }

    @Test
    void aJailMatchingOnCountriesAndNetworksCountsOnlyFailuresFromThere() {
        Jail jail = jail(JailSettings.builder("strict").maxretry(2)
                .geoMatch(org.tollgate.normalizer.geo.SourceGeo.COUNTRY_ISO_CODE, List.of("cn", "RU"))
                .geoMatch(org.tollgate.normalizer.geo.SourceGeo.AS_NUMBER, List.of("64500")));
        org.tollgate.normalizer.geo.SourceGeo russiaAs64500 = new org.tollgate.normalizer.geo.SourceGeo("RU", "Russia",
                "EU", null, false, 0, 0, 64500, "Example");
        org.tollgate.normalizer.geo.SourceGeo russiaOtherAs = new org.tollgate.normalizer.geo.SourceGeo("RU", "Russia",
                "EU", null, false, 0, 0, 64999, "Other");
        org.tollgate.normalizer.geo.SourceGeo germany = new org.tollgate.normalizer.geo.SourceGeo("DE", "Germany",
                "EU", null, false, 0, 0, 64500, "Example");

        assertThat(jail.offer(new Failure(T0, ATTACKER, "auth-failed", true, null, germany))).isEmpty();
        assertThat(jail.offer(new Failure(T0, ATTACKER, "auth-failed", true, null, russiaOtherAs))).isEmpty();
        assertThat(jail.offer(new Failure(T0, ATTACKER, "auth-failed", true, null, null))).isEmpty();
        assertThat(jail.stats().unmatched()).isEqualTo(3);
        assertThat(jail.offer(new Failure(T0, ATTACKER, "auth-failed", true, null, russiaAs64500))).isEmpty();
        assertThat(jail.offer(new Failure(T0, ATTACKER, "auth-failed", true, null, russiaAs64500))).isPresent();
        assertThat(jail.stats().counted()).isEqualTo(2);
    }

    /** A failure of attempt {@code attempt}, {@code seconds} after T0. */
    private Optional<Ban> failAttempt(Jail jail, long seconds, String action, String attempt) {
        Instant at = clock.set(T0.plusSeconds(seconds));
        return jail.offer(new Failure(at, ATTACKER, action, true, "1001", null, attempt));
    }

    @Test
    void countingAttemptsTheLinesOfOneFailedLoginCountOnceAndTheFirstCountsAtOnce() {
        Jail jail = jail(JailSettings.builder("sip-auth").maxretry(2));
        // One typo on PJSIP: the NOTICE and the security log's ChallengeResponseFailed, one attempt.
        assertThat(failAttempt(jail, 0, "auth-failed", "a1")).isEmpty();
        assertThat(failAttempt(jail, 0, "security-challenge-response-failed", "a1")).isEmpty();
        assertThat(jail.stats().counted()).isEqualTo(1);
        assertThat(jail.stats().sameAttempt()).isEqualTo(1);
        // The second attempt bans on its first line: correlation never waits for the others.
        assertThat(failAttempt(jail, 30, "auth-failed", "a2")).isPresent();
    }

    @Test
    void countingLinesEveryLineCountsAsFail2banDoes() {
        Jail jail = jail(JailSettings.builder("sip-auth").maxretry(2).count(JailSettings.Count.LINES));
        assertThat(failAttempt(jail, 0, "auth-failed", "a1")).isEmpty();
        assertThat(failAttempt(jail, 0, "security-challenge-response-failed", "a1")).isPresent();
    }

    @Test
    void aFailureWithoutAnAttemptIsAnAttemptOfItsOwn() {
        Jail jail = jail(JailSettings.builder("sip-auth").maxretry(2));
        assertThat(failAttempt(jail, 0, "iax-auth-failed", null)).isEmpty();
        assertThat(failAttempt(jail, 1, "iax-auth-failed", null)).isPresent();
    }

    @Test
    void anAttemptIdIsTheAddresssOwnAnotherAddressWithTheSameIdCountsOnItsOwn() {
        Jail jail = jail(JailSettings.builder("sip-auth").maxretry(1));
        Instant at = clock.set(T0);
        assertThat(jail.offer(new Failure(at, "192.0.2.11", "auth-failed", true, null, null, "x"))).isPresent();
        assertThat(jail.offer(new Failure(at, "192.0.2.12", "auth-failed", true, null, null, "x"))).isPresent();
    }

    @Test
    void aScannerSignalCountsOnlyInAJailThatNamesIt() {
        Jail everyFailure = jail(JailSettings.builder("all").maxretry(1));
        Jail scanners = jail(JailSettings.builder("scanners").maxretry(1).match(List.of("scan-challenge-flood")));
        Instant at = clock.set(T0);
        Failure flood = new Failure(at, ATTACKER, "scan-challenge-flood", true, null);
        assertThat(everyFailure.offer(flood)).isEmpty();
        assertThat(everyFailure.stats().unmatched()).isEqualTo(1);
        assertThat(scanners.offer(flood)).isPresent();
    }

    /** What a user's fail2ban filter found: counted by the jails that name the filter, as their trust says. */
    @Test
    void aCustomFilterFailureCountsOnlyInAJailOfThatFilterThatTrustsIt() {
        Failure custom = new Failure(T0, ATTACKER, "custom:asterisk-custom", false, null);
        Jail trusting = jail(JailSettings.builder("pbx").maxretry(1).trust(JailSettings.Trust.CUSTOM), "asterisk-custom");
        Jail wary = jail(JailSettings.builder("wary").maxretry(1), "asterisk-custom");
        Jail other = jail(JailSettings.builder("other").maxretry(1).trust(JailSettings.Trust.ANY), "another");
        Jail plain = jail(JailSettings.builder("plain").maxretry(1).trust(JailSettings.Trust.ANY)
                .match(List.of("registration-failed")));

        assertThat(trusting.offer(custom)).isPresent();
        assertThat(wary.offer(custom)).isEmpty();
        assertThat(wary.stats().untrusted()).isEqualTo(1);
        assertThat(other.offer(custom)).isEmpty();
        assertThat(other.stats().unmatched()).isEqualTo(1);
        assertThat(plain.offer(custom)).isEmpty();
        assertThat(plain.stats().unmatched()).isEqualTo(1);
    }

    @Test
    void trustCustomStillSkipsTheCatalogsUntrustedAddresses() {
        Jail jail = jail(JailSettings.builder("pbx").maxretry(1).trust(JailSettings.Trust.CUSTOM), "f");
        assertThat(jail.offer(new Failure(T0, ATTACKER, "auth-failed", false, null))).isEmpty();
        assertThat(jail.offer(new Failure(T0, ATTACKER, "auth-failed", true, null))).isPresent();
    }

    private Jail jail(JailSettings.Builder settings, String filter) {
        return new Jail(settings.build().withFilters(java.util.Set.of(filter)), AddressMatcher.NONE, history, clock,
                new SplittableRandom(1));
    }
}
