package org.tollgate.server.alert;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.tollgate.banner.fraud.FraudAlert;
import org.tollgate.banner.fraud.FraudAlertJson;
import org.tollgate.banner.fraud.FraudSettings;
import org.tollgate.banner.jail.Ban;
import org.tollgate.banner.jail.Evidence;
import org.tollgate.banner.jail.Failure;
import org.tollgate.server.ban.BanJson;
import org.tollgate.server.bus.Addresses;
import org.tollgate.server.config.AlertSettings;
import org.tollgate.server.config.TollgateConfig;
import org.tollgate.server.output.Backoff;
import org.tollgate.testkit.Waits;

/** Bans as the banner publishes them, and the alerts verticle deployed from a jail's actions in YAML. */
final class AlertFixtures {

    static final Instant START = Instant.parse("2026-01-18T17:39:50Z");

    private AlertFixtures() {
    }

    /** The alert actions of jail {@code sip-auth} whose {@code actions:} entries are {@code entries} (YAML, indented). */
    static Map<String, List<AlertSettings>> alerts(String entries) {
        TollgateConfig config = TollgateConfig.parse("sources: [{type: stdin}]\njails:\n  sip-auth:\n    actions:\n"
                + entries, "tollgate.yaml");
        return config.alerts();
    }

    /**
     * The alert actions of fraud jail {@code office} (and of nothing else) whose {@code actions:} entries are
     * {@code entries} (YAML, indented as under a jail's actions).
     */
    static Map<String, List<AlertSettings>> fraudAlerts(String entries) {
        TollgateConfig config = TollgateConfig.parse("sources: [{type: stdin}]\nfraud:\n  office:\n"
                + "    calls: {max: 5, window: 10m}\n    actions:\n" + entries, "tollgate.yaml");
        return config.alerts();
    }

    /** Publishes the alert of fraud jail {@code office} as the banner does: PJSIP/1007 made a 6th call in 10 min. */
    static void publishFraud(Vertx vertx) {
        FraudAlert alert = new FraudAlert(START, "office", FraudSettings.Per.ENDPOINT, "PJSIP/1007", "PJSIP/1007",
                "203.0.113.66", true, "calls", "6 calls to international, premium, satellite in 10m; max 5", 6, 5,
                "+88216123456", "satellite", List.of("PJSIP/1007-00000012"), START.plus(Duration.ofHours(1)), null,
                false);
        vertx.eventBus().publish(Addresses.BANS, Buffer.buffer(FraudAlertJson.of(alert)));
    }

    /** Deploys the alerts with retries 50 ms doubling to 200 ms apart. */
    static AlertsVerticle deploy(Vertx vertx, Map<String, List<AlertSettings>> alerts) throws Exception {
        AlertsVerticle verticle = new AlertsVerticle(alerts, Clock.systemUTC(),
                () -> new Backoff(Duration.ofMillis(50), Duration.ofMillis(200), new SplittableRandom(1)));
        Waits.result(vertx.deployVerticle(verticle).toCompletionStage());
        return verticle;
    }

    /** A ban of {@code ip} in sip-auth after three failed registrations of users 1001 and admin. */
    static Ban ban(String ip) {
        return new Ban(ip, "sip-auth", START, START.plus(Duration.ofHours(3)), 3, 1);
    }

    static Evidence evidence(String ip) {
        return new Evidence(List.of(
                failure(ip, 0, "1001"), failure(ip, 1, "admin"), failure(ip, 2, "1001")));
    }

    private static Failure failure(String ip, int second, String user) {
        Instant at = START.minusSeconds(10 - second);
        return new Failure(at, ip, "registration-failed", true, user, null, null, "[2026-01-18 17:39:4" + second
                + "] NOTICE[2290] chan_sip.c: Registration from '<sip:" + user + "@203.0.113.5>' failed for '" + ip
                + ":5060' - Wrong password");
    }

    /** Publishes the ban of {@code ip} as the banner does. */
    static void publish(Vertx vertx, String ip) {
        vertx.eventBus().publish(Addresses.BANS, Buffer.buffer(BanJson.ban(ban(ip), evidence(ip))));
    }
}
