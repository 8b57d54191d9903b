package org.tollgate.server.alert;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.server.LogFields;
import org.tollgate.server.config.WebhookSettings;
import org.tollgate.server.output.Backoff;

/**
 * The {@code webhook} alert action: each ban POSTed as the JSON published on {@code tollgate.bans}
 * ({@code Content-Type: application/json}), one request at a time, in order. A 2xx answer is success; no answer, a
 * 5xx, 408 or 429 is tried again after 1 s doubling to 5 min, up to {@link WebhookSettings#retries()} times, then the
 * ban is dropped, counted and logged; any other answer is final (the request would be refused again) and logged. Past
 * {@link WebhookSettings#queue()} waiting bans, new ones are dropped and counted. Runs on its verticle's event loop.
 */
final class WebhookAlert implements AlertAction {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookAlert.class);
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration LONGEST_RETRY = Duration.ofMinutes(5);

    private final Vertx vertx;
    private final WebhookSettings settings;
    private final HttpClientAgent client;
    private final String token;
    private final Backoff backoff;
    private final ArrayDeque<BanNotice> waiting = new ArrayDeque<>();
    private boolean posting;
    private long timer = -1;
    private boolean closed;
    // Written on the event loop only, read by anyone (the status, tests).
    private volatile long told;
    private volatile long sent;
    private volatile long failed;
    private volatile long dropped;
    private volatile int waitingNow;

    WebhookAlert(Vertx vertx, WebhookSettings settings, Backoff backoff) {
        this.vertx = vertx;
        this.settings = settings;
        this.backoff = backoff;
        this.token = settings.token();
        HttpClientOptions options = new HttpClientOptions().setConnectTimeout((int) settings.timeout().toMillis());
        if (settings.url().getScheme().equals("https")) {
            options.setSsl(true).setVerifyHost(true).setForceSni(true);
            if (settings.tlsCa() != null) {
                options.setTrustOptions(new PemTrustOptions().addCertPath(settings.tlsCa().toString()));
            }
        }
        this.client = vertx.createHttpClient(options);
    }

    /** With the standard retry delays (1 s doubling to 5 min). */
    static WebhookAlert create(Vertx vertx, WebhookSettings settings) {
        return new WebhookAlert(vertx, settings, new Backoff(FIRST_RETRY, LONGEST_RETRY, RandomGenerator.getDefault()));
    }

    @Override
    public void offer(BanNotice ban) {
        if (closed) {
            return;
        }
        if (waiting.size() >= settings.queue()) {
            dropped++;
            LOG.atDebug().addKeyValue(LogFields.ALERT_ACTION, settings).addKeyValue(LogFields.SOURCE_IP, ban.ip())
                    .log("webhook queue full; ban dropped");
            return;
        }
        waiting.addLast(ban);
        waitingNow = waiting.size();
        postNext();
    }

    private void postNext() {
        if (closed || posting || timer != -1 || waiting.isEmpty()) {
            return;
        }
        BanNotice ban = waiting.peekFirst();
        posting = true;
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST)
                .setAbsoluteURI(settings.url().toString())
                .setTimeout(settings.timeout().toMillis())
                .putHeader("Content-Type", "application/json")
                .putHeader("User-Agent", "tollgate");
        if (token != null) {
            request.putHeader("Authorization", "Bearer " + token);
        }
        client.request(request)
                .compose(req -> req.send(Buffer.buffer(ban.json())))
                .compose(response -> response.body().map(body -> response.statusCode()))
                .onComplete(result -> {
                    posting = false;
                    int status = result.succeeded() ? result.result() : 0;
                    if (status >= 200 && status < 300) {
                        sent++;
                        told++;
                        backoff.reset();
                        waiting.removeFirst();
                    } else {
                        failed++;
                        String why = result.succeeded() ? "HTTP " + status : String.valueOf(result.cause().getMessage());
                        boolean again = status == 0 || status >= 500 || status == 408 || status == 429;
                        if (again && backoff.attempts() < settings.retries()) {
                            long delay = backoff.nextDelayMillis();
                            (backoff.attempts() == 1 ? LOG.atWarn() : LOG.atDebug())
                                    .addKeyValue(LogFields.ALERT_ACTION, settings).addKeyValue(LogFields.SOURCE_IP, ban.ip())
                                    .addKeyValue(LogFields.ERROR, why).addKeyValue(LogFields.RETRY_MS, delay)
                                    .log("webhook failed; trying again");
                            timer = vertx.setTimer(delay, id -> {
                                timer = -1;
                                postNext();
                            });
                            return;
                        }
                        dropped++;
                        backoff.reset();
                        waiting.removeFirst();
                        LOG.atError().addKeyValue(LogFields.ALERT_ACTION, settings).addKeyValue(LogFields.SOURCE_IP, ban.ip())
                                .addKeyValue(LogFields.ERROR, why)
                                .log(again ? "webhook failed; retries used up, ban not told" : "webhook refused; ban not told");
                    }
                    waitingNow = waiting.size();
                    postNext();
                });
    }

    @Override
    public AlertCounters counters() {
        return new AlertCounters(settings.toString(), told, sent, failed, dropped, waitingNow);
    }

    @Override
    public Future<Void> close() {
        closed = true;
        if (timer != -1) {
            vertx.cancelTimer(timer);
        }
        if (!waiting.isEmpty()) {
            dropped += waiting.size();
            waitingNow = 0;
            LOG.atWarn().addKeyValue(LogFields.ALERT_ACTION, settings).addKeyValue(LogFields.BANS, waiting.size())
                    .log("stopping with bans not posted");
        }
        return client.close();
    }
}
