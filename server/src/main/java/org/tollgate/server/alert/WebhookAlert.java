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
import java.util.List;
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
 * {@link WebhookSettings#queue()} waiting bans, new ones are dropped and counted ({@link QueuedAlert}). Runs on its
 * verticle's event loop.
 */
final class WebhookAlert extends QueuedAlert {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookAlert.class);
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration LONGEST_RETRY = Duration.ofMinutes(5);

    private final WebhookSettings settings;
    private final HttpClientAgent client;
    private final String token;

    /** A request that did not go through: {@code status} 0 when there was no answer. */
    private static final class NotTaken extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        NotTaken(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        /** No answer, a 5xx, 408 or 429 may go through later; any other answer would be the same again. */
        boolean again() {
            return status == 0 || status >= 500 || status == 408 || status == 429;
        }
    }

    WebhookAlert(Vertx vertx, WebhookSettings settings, Backoff backoff) {
        super(vertx, settings, LOG, backoff, settings.queue(), Overflow.DROP);
        this.settings = settings;
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

    /** One ban per request, in order. */
    @Override
    protected Batch take() {
        return new Batch(List.of(waiting.removeFirst()), 0);
    }

    @Override
    protected Future<Void> deliver(Batch batch) {
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST)
                .setAbsoluteURI(settings.url().toString())
                .setTimeout(settings.timeout().toMillis())
                .putHeader("Content-Type", "application/json")
                .putHeader("User-Agent", "tollgate");
        if (token != null) {
            request.putHeader("Authorization", "Bearer " + token);
        }
        return client.request(request)
                .compose(req -> req.send(Buffer.buffer(batch.bans().get(0).json())))
                .compose(response -> response.body().map(body -> response.statusCode()))
                .transform(result -> {
                    int status = result.succeeded() ? result.result() : 0;
                    if (status >= 200 && status < 300) {
                        return Future.<Void>succeededFuture();
                    }
                    return Future.failedFuture(new NotTaken(status, result.succeeded() ? "HTTP " + status
                            : String.valueOf(result.cause().getMessage())));
                });
    }

    @Override
    protected boolean retry(Throwable cause, int attempts) {
        return cause instanceof NotTaken notTaken && notTaken.again() && attempts < settings.retries();
    }

    @Override
    protected void failed(Batch batch, Throwable cause, long retryMillis, int attempts) {
        String ip = batch.bans().get(0).ip();
        if (retryMillis >= 0) {
            (attempts == 1 ? LOG.atWarn() : LOG.atDebug())
                    .addKeyValue(LogFields.ALERT_ACTION, settings).addKeyValue(LogFields.SOURCE_IP, ip)
                    .addKeyValue(LogFields.ERROR, cause.getMessage()).addKeyValue(LogFields.RETRY_MS, retryMillis)
                    .log("webhook failed; trying again");
            return;
        }
        boolean again = cause instanceof NotTaken notTaken && notTaken.again();
        LOG.atError().addKeyValue(LogFields.ALERT_ACTION, settings).addKeyValue(LogFields.SOURCE_IP, ip)
                .addKeyValue(LogFields.ERROR, cause.getMessage())
                .log(again ? "webhook failed; retries used up, ban not told" : "webhook refused; ban not told");
    }

    @Override
    public Future<Void> close() {
        return super.close().compose(done -> client.close());
    }
}
