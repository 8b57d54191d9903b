package org.tollgate.server.alert;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.server.LogFields;
import org.tollgate.server.bus.Addresses;
import org.tollgate.server.config.AlertSettings;
import org.tollgate.server.config.MailSettings;
import org.tollgate.server.config.WebhookSettings;
import org.tollgate.server.output.Backoff;

/**
 * Tells people of bans and fraud alerts: reads each ban the banner publishes on {@link Addresses#BANS} and hands it
 * to the alert actions its jail lists ({@code mail}, {@code webhook}), and each fraud jail's alert to those the fraud
 * jail lists ({@link AlertSettings#FRAUD_PREFIX}). Alert actions are not firewall actions: nothing is verified
 * or reconciled, and a slow or failing one never holds up a ban (the banner publishes and goes on). Unbans are not
 * told. One instance of each distinct action, shared by the jails that list it.
 */
public final class AlertsVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(AlertsVerticle.class);

    private final Map<String, List<AlertSettings>> byJail;
    private final Clock clock;
    private final Supplier<Backoff> retries;
    private final Map<AlertSettings, AlertAction> actions = new LinkedHashMap<>();
    private final Map<String, List<AlertAction>> routes = new LinkedHashMap<>();
    private MessageConsumer<Buffer> consumer;

    /** @param byJail each jail's alert actions, as {@link org.tollgate.server.config.TollgateConfig#alerts()} */
    public AlertsVerticle(Map<String, List<AlertSettings>> byJail, Clock clock) {
        this(byJail, clock, null);
    }

    /** @param retries the delays between tries of each action (tests: short ones); null for the standard ones */
    AlertsVerticle(Map<String, List<AlertSettings>> byJail, Clock clock, Supplier<Backoff> retries) {
        this.byJail = byJail;
        this.clock = clock;
        this.retries = retries;
    }

    /** True when some jail lists an alert action: otherwise there is nothing to deploy. */
    public static boolean needed(Map<String, List<AlertSettings>> byJail) {
        return byJail.values().stream().anyMatch(list -> !list.isEmpty());
    }

    @Override
    public Future<?> start() {
        // Reading the host's name and the secrets' files is local file I/O: off the event loop.
        return vertx.executeBlocking(ThisHost::name).map(host -> {
            byJail.forEach((jail, settings) -> {
                List<AlertAction> route = new ArrayList<>();
                for (AlertSettings alert : settings) {
                    route.add(actions.computeIfAbsent(alert, a -> create(a, host)));
                }
                routes.put(jail, route);
            });
            return null;
        }).compose(done -> {
            consumer = vertx.eventBus().localConsumer(Addresses.BANS, message -> tell(message.body()));
            LOG.atInfo().addKeyValue(LogFields.ALERT_ACTIONS, actions.keySet()).log("alerts ready");
            return consumer.completion();
        });
    }

    private AlertAction create(AlertSettings settings, String host) {
        if (settings instanceof MailSettings mail) {
            return retries == null ? MailAlert.create(vertx, mail, clock, host)
                    : new MailAlert(vertx, mail, clock, host, retries.get());
        }
        WebhookSettings webhook = (WebhookSettings) settings;
        return retries == null ? WebhookAlert.create(vertx, webhook) : new WebhookAlert(vertx, webhook, retries.get());
    }

    private void tell(Buffer json) {
        BanNotice ban;
        try {
            ban = BanNotice.parse(json.toString());
        } catch (RuntimeException e) {
            LOG.atError().addKeyValue(LogFields.ERROR, e.getMessage()).log("a ban that cannot be read; not told");
            return;
        }
        if (ban == null) {
            return; // an unban
        }
        for (AlertAction action : routes.getOrDefault(ban.jail(), List.of())) {
            action.offer(ban);
        }
    }

    /** What each action did so far, in configuration order. */
    public List<AlertCounters> counters() {
        List<AlertCounters> counters = new ArrayList<>();
        actions.values().forEach(action -> counters.add(action.counters()));
        return counters;
    }

    @Override
    public Future<?> stop() {
        Future<Void> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
        return unregistered.compose(done -> {
            List<Future<Void>> closing = new ArrayList<>();
            actions.values().forEach(action -> closing.add(action.close()));
            return Future.join(closing);
        });
    }
}
