package org.tollgate.banner.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tollgate.banner.jail.Failure;
import org.tollgate.banner.jail.JailSettings;

class ReplayTest {

    private static final String A = "192.0.2.10";
    private static final String B = "198.51.100.7";
    private static final String C = "203.0.113.9";

    private static final List<JailSettings> JAILS = List.of(
            JailSettings.builder("sip-auth").maxretry(3).findtime(Duration.ofMinutes(10)).bantime(Duration.ofHours(1))
                    .build(),
            JailSettings.builder("recidive", JailSettings.Source.BANS).maxretry(2).build());

    /** Failures stamped by a clock the test moves forward, as a log would stamp them. */
    private static final class LogWriter {
        private Instant now = Instant.parse("2026-01-18T17:30:00Z");
        private final List<Failure> lines = new ArrayList<>();

        LogWriter at(String time) {
            now = Instant.parse("2026-01-18T" + time + "Z");
            return this;
        }

        LogWriter after(Duration wait) {
            now = now.plus(wait);
            return this;
        }

        LogWriter fail(String ip) {
            lines.add(new Failure(now, ip, "registration-failed", true, "1001"));
            return this;
        }

        LogWriter failUntrusted(String ip) {
            lines.add(new Failure(now, ip, "registration-failed", false, null));
            return this;
        }
    }

    private static Decision ban(String time, String ip, String jail, int failures, long bantime) {
        return new Decision(Decision.Kind.BAN, Instant.parse(time), ip, jail, failures, bantime);
    }

    private static Decision unban(String time, String ip, String jail, int failures, long bantime) {
        return new Decision(Decision.Kind.UNBAN, Instant.parse(time), ip, jail, failures, bantime);
    }

    @Test
    void decidesInLogTimeAndLiftsWhatWouldHaveEnded() {
        LogWriter log = new LogWriter()
                .fail(A).after(Duration.ofSeconds(20)).fail(A).after(Duration.ofSeconds(30)).fail(A)
                .after(Duration.ofSeconds(10)).fail(A) // already banned
                .at("17:35:00").fail(B)
                .at("18:40:00").fail(B) // A's ban ended at 18:30:50; B's first failure slid out of the window
                .after(Duration.ofMinutes(1)).fail(B).after(Duration.ofMinutes(1)).fail(B)
                .after(Duration.ofMinutes(1)).failUntrusted(C).failUntrusted(C).failUntrusted(C)
                .at("19:00:00").fail(A).after(Duration.ofSeconds(10)).fail(A).after(Duration.ofSeconds(10)).fail(A);

        List<Decision> decisions = new ArrayList<>();
        ReplaySummary summary = new Replay(JAILS).run(log.lines, decisions::add);

        assertThat(decisions).containsExactly(
                ban("2026-01-18T17:30:50Z", A, "sip-auth", 3, 3600),
                unban("2026-01-18T18:30:50Z", A, "sip-auth", 3, 3600),
                ban("2026-01-18T18:42:00Z", B, "sip-auth", 3, 3600),
                ban("2026-01-18T19:00:20Z", A, "sip-auth", 3, 3600),
                ban("2026-01-18T19:00:20Z", A, "recidive", 2, 604800),
                unban("2026-01-18T19:42:00Z", B, "sip-auth", 3, 3600),
                unban("2026-01-18T20:00:20Z", A, "sip-auth", 3, 3600),
                unban("2026-01-25T19:00:20Z", A, "recidive", 2, 604800));
        assertThat(summary.failures()).isEqualTo(14);
        assertThat(summary.distinctIps()).isEqualTo(3);
        assertThat(summary.bansPerJail()).containsExactly(Map.entry("sip-auth", 3L), Map.entry("recidive", 1L));
        assertThat(summary.bans()).isEqualTo(4);
        assertThat(summary.unbans()).isEqualTo(4);
        assertThat(summary.jails()).filteredOn(s -> s.jail().equals("sip-auth")).singleElement()
                .satisfies(s -> {
                    assertThat(s.untrusted()).isEqualTo(3);
                    assertThat(s.whileBanned()).isEqualTo(1);
                });
    }

    @Test
    void neverLiftsAPermanentBan() {
        List<JailSettings> jails = List.of(JailSettings.builder("forever").maxretry(1).bantime(JailSettings.PERMANENT)
                .build());
        List<Decision> decisions = new ArrayList<>();
        new Replay(jails).run(new LogWriter().fail(A).after(Duration.ofDays(400)).fail(B).lines, decisions::add);
        assertThat(decisions).extracting(Decision::kind).containsExactly(Decision.Kind.BAN, Decision.Kind.BAN);
        assertThat(decisions).extracting(Decision::bantimeSeconds).containsOnly(-1L);
    }

    @Test
    void twoReplaysOfOneLogAgreeEvenWithRandomBantimes() {
        List<JailSettings> jails = List.of(JailSettings.builder("sip-auth").maxretry(1)
                .increment(new org.tollgate.banner.jail.BanTimeIncrement(true, 1, List.of(), null,
                        Duration.ofHours(1), false))
                .build());
        LogWriter log = new LogWriter();
        for (int i = 0; i < 20; i++) {
            log.after(Duration.ofHours(3)).fail(A);
        }
        List<Decision> first = new ArrayList<>();
        List<Decision> second = new ArrayList<>();
        new Replay(jails).run(log.lines.stream(), first::add);
        new Replay(jails).run(log.lines.stream(), second::add);
        assertThat(first).isNotEmpty().isEqualTo(second);
        // With rndtime, bantimes are not the plain doublings 600, 1200, 2400, ...
        assertThat(first).extracting(Decision::bantimeSeconds).anyMatch(s -> s % 600 != 0);
    }
}
