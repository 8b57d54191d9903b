package org.tollgate.banner.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tollgate.banner.config.TollgateConfigFile;
import org.tollgate.normalizer.AsteriskEvent;
import org.tollgate.normalizer.Normalizer;
import org.tollgate.normalizer.NormalizerOptions;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.normalizer.call.CallEvent;

/**
 * Fraud jails over logs and a CDR file written for the project (src/test/resources/fraud): a compromised extension's
 * night-time burst of international, satellite and premium calls, and a busy legitimate office's working day.
 */
class FraudJailTest {

    private static final Instant REFERENCE = Instant.parse("2026-01-20T12:00:00Z");

    /** What a PBX admin would start with: the limits README.md describes. */
    private static final String OFFICE = resource("office.yaml");

    private record Call(CallEvent call, Instant at) {
    }

    private static String resource(String name) {
        try (InputStream in = FraudJailTest.class.getResourceAsStream("/fraud/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<Call> calls(String resource) throws IOException {
        List<Call> calls = new ArrayList<>();
        Normalizer normalizer = new Normalizer(new NormalizerOptions(ZoneOffset.UTC, REFERENCE, false, resource,
                java.time.Clock.fixed(REFERENCE, ZoneOffset.UTC)));
        for (String line : resource(resource).split("\n")) {
            normalizer.normalize(line, false, result -> {
                if (result instanceof ParseResult.Parsed parsed && parsed.event().isCall()) {
                    AsteriskEvent event = parsed.event();
                    calls.add(new Call(event.call(), event.timestamp()));
                }
            });
        }
        return calls;
    }

    private static FraudSettings jail(String yaml, String name) {
        Map<String, FraudSettings> fraud = TollgateConfigFile.parse(yaml, "tollgate.yaml").fraud();
        return fraud.get(name);
    }

    private static List<FraudAlert> replay(FraudSettings settings, List<Call> calls) {
        FraudJails jails = new FraudJails(List.of(settings));
        List<FraudAlert> alerts = new ArrayList<>();
        for (Call call : calls) {
            alerts.addAll(jails.offer(call.call(), call.at()));
        }
        return alerts;
    }

    private static long started(List<Call> calls) {
        return calls.stream().filter(c -> c.call().kind() == CallEvent.Kind.STARTED).count();
    }

    @Test
    void aCompromisedExtensionsBurstTripsTheCallLimitAtTheCallPastIt() throws IOException {
        FraudSettings calls = jail("""
                fraud:
                  burst:
                    calls: {classes: [international, premium, satellite], max: 5, window: 10m}
                """, "burst");
        List<Call> burst = calls("compromised-extension.log");
        assertThat(started(burst)).isEqualTo(20);

        List<FraudAlert> alerts = replay(calls, burst);

        assertThat(alerts).hasSize(1);
        FraudAlert alert = alerts.get(0);
        assertThat(alert.limit()).isEqualTo("calls");
        assertThat(alert.count()).isEqualTo(6);
        assertThat(alert.key()).isEqualTo("PJSIP/1007");
        // The sixth call's start: 3 s apart from 02:13:00.
        assertThat(alert.at()).isEqualTo(Instant.parse("2026-01-20T02:13:15Z"));
        assertThat(alert.sourceIp()).isEqualTo("203.0.113.66");
        assertThat(alert.trusted()).isTrue();
        // Every call it had up then, the one that tripped it included: what a hangup ends.
        assertThat(alert.channels()).hasSize(6).allMatch(channel -> channel.startsWith("PJSIP/1007-"));
        assertThat(alert.reason()).isEqualTo("6 calls to international, premium, satellite in 10m; max 5");
    }

    @Test
    void theOfficeJailStopsTheBurstAtItsFirstCallAtNight() throws IOException {
        List<FraudAlert> alerts = replay(jail(OFFICE, "office"), calls("compromised-extension.log"));

        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).limit()).isEqualTo("outside-hours");
        assertThat(alerts.get(0).at()).isEqualTo(Instant.parse("2026-01-20T02:13:00Z"));
    }

    @Test
    void aBusyLegitimateOfficeTripsNothing() throws IOException {
        List<Call> day = calls("busy-office.log");
        assertThat(started(day)).as("a working day of 12 phones").isGreaterThan(250);
        assertThat(day).anyMatch(c -> c.call().destination().type().id().equals("international"));

        assertThat(replay(jail(OFFICE, "office"), day)).isEmpty();
        assertThat(replay(jail(OFFICE.replace("  office:\n", "  by-address:\n    per: source\n"), "by-address"), day))
                .isEmpty();
    }

    @Test
    void eachLimitCatchesTheBurstOnItsOwn() throws IOException {
        List<Call> burst = calls("compromised-extension.log");
        String[][] cases = {
            {"concurrent: 3", "concurrent", "4"},
            {"new_destinations: {max: 8, window: 1h}", "new-destinations", "9"},
            {"blocked: [satellite]", "blocked-class", "1"},
            {"minutes: {max: 120, window: 1h}", "minutes", "124"},
        };
        for (String[] limit : cases) {
            List<FraudAlert> alerts = replay(jail("fraud:\n  one:\n    " + limit[0] + "\n", "one"), burst);
            assertThat(alerts).as(limit[0]).hasSize(1);
            assertThat(alerts.get(0).limit()).as(limit[0]).isEqualTo(limit[1]);
            assertThat(alerts.get(0).count()).as(limit[0]).isEqualTo(Long.parseLong(limit[2]));
        }
    }

    @Test
    void aCdrFileAloneTripsTheJailAndALogWithItsCdrsCountsEachCallOnce() throws IOException {
        FraudSettings calls = jail("""
                fraud:
                  burst:
                    calls: {max: 5, window: 10m}
                """, "burst");
        List<Call> cdrs = calls("compromised-extension.Master.csv");
        assertThat(cdrs).hasSize(20);
        List<FraudAlert> alerts = replay(calls, cdrs);
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).count()).isEqualTo(6);

        // The log and the CDRs of the same calls (one channel name each): every call counted once, one alert.
        FraudJail jail = new FraudJail(calls);
        List<Call> both = new ArrayList<>(calls("compromised-extension.log"));
        both.addAll(cdrs);
        both.sort(java.util.Comparator.comparing(Call::at));
        long alertsFromBoth = both.stream().filter(call -> jail.offer(call.call(), call.at()).isPresent()).count();
        assertThat(jail.counted()).isEqualTo(20);
        assertThat(alertsFromBoth).isEqualTo(1);
    }

    @Test
    void anEmergencyCallIsNeverCounted() throws IOException {
        FraudJail jail = new FraudJail(jail("""
                fraud:
                  strict:
                    hours: {from: "09:00", to: "10:00", zone: UTC, classes: [internal, local, national, international]}
                """, "strict"));
        List<Call> night = calls("busy-office.log").stream()
                .filter(c -> c.call().destination().number().equals("112")).toList();
        assertThat(night).isNotEmpty();
        for (Call call : night) {
            assertThat(jail.offer(call.call(), call.at())).isEmpty();
        }
        assertThat(jail.counted()).isZero();
    }

    @Test
    void aLiftedKeyTripsAgain() throws IOException {
        FraudJail jail = new FraudJail(jail("fraud:\n  one:\n    concurrent: 3\n", "one"));
        int alerts = 0;
        for (Call call : calls("compromised-extension.log")) {
            if (jail.offer(call.call(), call.at()).isPresent()) {
                alerts++;
                assertThat(jail.lift("PJSIP/1007")).isTrue();
            }
        }
        // Calls 4 to 20 each pass the limit; lifted after each alert, each trips it again.
        assertThat(alerts).isEqualTo(17);
    }

    /** A call to the UK dialled and answered at 10:00 (app_dial's lines at verbose 3). */
    private static final String DIAL_AT_TEN = "[2026-01-20 10:00:00] VERBOSE[3020][C-00000334] pbx.c: Executing"
            + " [0044207946012@from-internal:1] Dial(\"PJSIP/1007-00000368\", \"PJSIP/0044207946012@trunk,60,T\")"
            + " in new stack";
    private static final String ANSWER_AT_TEN = "[2026-01-20 10:00:00] VERBOSE[3020][C-00000334] app_dial.c:"
            + " PJSIP/trunk-00000369 answered PJSIP/1007-00000368";

    private static List<Call> lines(String... lines) {
        List<Call> calls = new ArrayList<>();
        Normalizer normalizer = new Normalizer(new NormalizerOptions(ZoneOffset.UTC, REFERENCE, false, null,
                Clock.fixed(REFERENCE, ZoneOffset.UTC)));
        for (String line : lines) {
            normalizer.normalize(line, false, result -> {
                if (result instanceof ParseResult.Parsed parsed && parsed.event().isCall()) {
                    calls.add(new Call(parsed.event().call(), parsed.event().timestamp()));
                }
            });
        }
        return calls;
    }

    @Test
    void anAnsweredCallStillUpCountsItsMinutesAtEachCheckAndTripsOnceBeforeItEnds() {
        FraudJail jail = new FraudJail(jail("fraud:\n  long:\n    minutes: {max: 60, window: 2h}\n", "long"));
        List<Call> call = lines(
                DIAL_AT_TEN, ANSWER_AT_TEN,
                "[2026-01-20 11:40:00] VERBOSE[3020][C-00000334] pbx.c: Spawn extension (from-internal,"
                        + " 0044207946012, 1) exited non-zero on 'PJSIP/1007-00000368'");
        assertThat(call).extracting(c -> c.call().kind()).containsExactly(CallEvent.Kind.STARTED,
                CallEvent.Kind.ANSWERED, CallEvent.Kind.ENDED);
        Instant ten = Instant.parse("2026-01-20T10:00:00Z");
        assertThat(jail.offer(call.get(0).call(), call.get(0).at())).isEmpty();
        assertThat(jail.offer(call.get(1).call(), call.get(1).at())).isEmpty();

        assertThat(jail.check(ten.plusSeconds(60 * 60))).as("60 minutes: at the limit").isEmpty();
        List<FraudAlert> alerts = jail.check(ten.plusSeconds(61 * 60));
        assertThat(alerts).singleElement().satisfies(alert -> {
            assertThat(alert.limit()).isEqualTo("minutes");
            assertThat(alert.count()).isEqualTo(61);
            assertThat(alert.key()).isEqualTo("PJSIP/1007");
            assertThat(alert.number()).isEqualTo("+44207946012");
            assertThat(alert.channels()).containsExactly("PJSIP/1007-00000368");
            assertThat(alert.reason()).isEqualTo("61 minutes talked to international, premium, satellite in 2h,"
                    + " 61 of them on calls still up; max 60");
        });
        assertThat(jail.check(ten.plusSeconds(90 * 60))).as("stopped for its bantime").isEmpty();
        assertThat(jail.offer(call.get(2).call(), call.get(2).at())).as("its end: counted, still stopped").isEmpty();
        assertThat(jail.check(ten.plusSeconds(5 * 3600))).as("ended: no longer up").isEmpty();
        assertThat(jail.alerts()).isEqualTo(1);
    }

    @Test
    void minutesOfEndedCallsAndOfACallStillUpAddUp() {
        FraudJail jail = new FraudJail(jail("fraud:\n  long:\n    minutes: {max: 60, window: 2h}\n", "long"));
        List<Call> calls = lines(
                DIAL_AT_TEN, ANSWER_AT_TEN,
                "[2026-01-20 10:40:00] VERBOSE[3020][C-00000334] pbx.c: Spawn extension (from-internal,"
                        + " 0044207946012, 1) exited non-zero on 'PJSIP/1007-00000368'",
                "[2026-01-20 10:41:00] VERBOSE[3021][C-00000335] pbx.c: Executing [0044207946013@from-internal:1]"
                        + " Dial(\"PJSIP/1007-0000036a\", \"PJSIP/0044207946013@trunk,60,T\") in new stack",
                "[2026-01-20 10:41:00] VERBOSE[3021][C-00000335] app_dial.c: PJSIP/trunk-0000036b answered"
                        + " PJSIP/1007-0000036a");
        for (Call call : calls) {
            assertThat(jail.offer(call.call(), call.at())).isEmpty();
        }
        Instant start = Instant.parse("2026-01-20T10:41:00Z");
        assertThat(jail.check(start.plusSeconds(20 * 60))).as("40 ended + 20 up").isEmpty();
        assertThat(jail.check(start.plusSeconds(21 * 60))).singleElement()
                .satisfies(alert -> assertThat(alert.reason()).startsWith("61 minutes talked"));
    }
}
