package org.tollgate.server.ban;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.banner.ami.AmiClient;
import org.tollgate.banner.fraud.FraudAlert;
import org.tollgate.server.LogFields;

/**
 * The endpoint stops of the fraud jails with {@code stop_calls}: each alert's channels hung up and its endpoint's new
 * calls blocked through the manager, on a worker apart from the enforcer's queue (a slow manager never delays a ban).
 * A stop the manager refused to log in for waits, one per endpoint, and is sent again once the manager may be tried
 * ({@link AmiClient#retryAt()}). The one owner of the waiting stops; used on the banner's event loop only.
 */
final class EndpointStops {

    private static final Logger LOG = LoggerFactory.getLogger(EndpointStops.class);
    /** Stops kept waiting at most: one per endpoint, so this many endpoints tripped while the manager refused. */
    private static final int MAX_WAITING = 1_000;

    private final Vertx vertx;
    private final AmiClient ami;
    private final Clock clock;
    /** Stops the manager refused to log in for, by endpoint, sent again when it may be tried. */
    private final Map<String, FraudAlert> waiting = new LinkedHashMap<>();

    /** @param ami the manager, or null: no stops (alerts are published and banned as the jails say) */
    EndpointStops(Vertx vertx, AmiClient ami, Clock clock) {
        this.vertx = vertx;
        this.ami = ami;
        this.clock = clock;
    }

    /** Stops the endpoint of {@code alert} when its jail asks and a manager is configured. */
    void offer(FraudAlert alert) {
        if (alert.stopCalls() && ami != null) {
            stop(alert);
        }
    }

    /**
     * Hangs up the alert's channels and blocks its endpoint's new calls; a refused login is reported once per alert and
     * the stop waits for the next try ({@link AmiClient}).
     */
    private void stop(FraudAlert alert) {
        vertx.executeBlocking(() -> ami.stop(alert.endpoint(), alert.jail() + " " + alert.limit() + " " + alert.at(),
                alert.channels()), false).onSuccess(outcome -> {
                    if (outcome.refused()) {
                        if (waiting.size() < MAX_WAITING) {
                            waiting.put(alert.endpoint(), alert);
                        }
                        LOG.atError().addKeyValue(LogFields.JAIL, alert.jail()).addKeyValue(LogFields.REASON,
                                outcome.error()).log("endpoint " + alert.endpoint() + " not stopped: the manager"
                                + " refused the login; the stop waits for the next try");
                    } else if (outcome.ok()) {
                        LOG.atWarn().addKeyValue(LogFields.JAIL, alert.jail()).addKeyValue(LogFields.CHANNELS,
                                outcome.hungUp()).log("endpoint " + alert.endpoint() + " stopped through the manager");
                    } else {
                        LOG.atError().addKeyValue(LogFields.JAIL, alert.jail()).addKeyValue(LogFields.REASON,
                                outcome.error() != null ? outcome.error() : outcome.failed().toString())
                                .log("endpoint " + alert.endpoint() + " not fully stopped through the manager");
                    }
                });
    }

    /**
     * Once the manager may be tried again after a refused login (its backoff is over), sends the stops that waited
     * for it: the first logs in, and when the manager refuses again the others wait for the next try at once.
     */
    void retryWaiting() {
        if (ami == null || waiting.isEmpty() || ami.retryAt() != null && clock.instant().isBefore(ami.retryAt())) {
            return;
        }
        List<FraudAlert> again = List.copyOf(waiting.values());
        waiting.clear();
        LOG.atInfo().addKeyValue(LogFields.QUEUED, again.size()).log("trying the manager again for the endpoint"
                + " stops that waited for it");
        again.forEach(this::stop);
    }
}
