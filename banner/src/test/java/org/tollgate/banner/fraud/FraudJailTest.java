package org.tollgate.banner.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
}
