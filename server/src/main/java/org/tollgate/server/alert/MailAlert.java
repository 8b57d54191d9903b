package org.tollgate.server.alert;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.server.LogFields;
import org.tollgate.server.config.MailSettings;
import org.tollgate.server.output.Backoff;

/**
 * The {@code mail} alert action: bans go into a bounded queue, and a mail leaves at most once per
 * {@link MailSettings#interval()}: a ban that finds the last mail long enough ago is mailed at once, alone; the bans
 * that come within the interval wait and leave together as one digest when it is over, so a scan of a /24 sends a
 * few mails, not 256. A mail that fails (the server is down, refuses, or drops the connection) is tried again after
 * 5 s doubling to 5 min, with the bans that came meanwhile joining it; it is never dropped. Past
 * {@link MailSettings#queue()} waiting bans, new ones are counted and said in the next mail, not listed.
 *
 * <p>Through Vert.x's SMTP client (STARTTLS required, or TLS from the first byte; AUTH with the password read from
 * its file when the action starts; the server's certificate checked against the JVM's CAs or {@code tls_ca}, and
 * its name against the host). Runs on its verticle's event loop; nothing here blocks.
 */
final class MailAlert extends QueuedAlert {

    private static final Logger LOG = LoggerFactory.getLogger(MailAlert.class);
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    static final Duration LONGEST_RETRY = Duration.ofMinutes(5);

    private final MailSettings settings;
    private final MailConfig config;
    private final Clock clock;
    private final String host;
    private Instant nextAllowed = Instant.EPOCH; // not MIN: the delay to it in millis must fit a long

    MailAlert(Vertx vertx, MailSettings settings, Clock clock, String host, Backoff backoff) {
        super(vertx, settings, LOG, backoff, settings.queue(), Overflow.COUNT);
        this.settings = settings;
        this.clock = clock;
        this.host = host;
        this.config = config(settings);
    }

    /** With the standard retry delays (5 s doubling to 5 min). */
    static MailAlert create(Vertx vertx, MailSettings settings, Clock clock, String host) {
        return new MailAlert(vertx, settings, clock, host,
                new Backoff(FIRST_RETRY, LONGEST_RETRY, RandomGenerator.getDefault()));
    }

    /** The SMTP client's settings; the password is read from its file here, and only handed to the client. */
    static MailConfig config(MailSettings settings) {
        MailConfig config = new MailConfig()
                .setHostname(settings.host())
                .setPort(settings.port())
                .setKeepAlive(false)
                .setConnectTimeout(30_000)
                .setIdleTimeout(120)
                .setOwnHostname(ThisHost.name());
        switch (settings.tls()) {
            case NONE -> config.setStarttls(StartTLSOptions.DISABLED);
            case STARTTLS -> config.setStarttls(StartTLSOptions.REQUIRED);
            case TLS -> config.setSsl(true).setStarttls(StartTLSOptions.DISABLED);
        }
        if (settings.tls() != MailSettings.Tls.NONE) {
            config.setHostnameVerificationAlgorithm("HTTPS");
            if (settings.tlsCa() != null) {
                config.setTrustOptions(new PemTrustOptions().addCertPath(settings.tlsCa().toString()));
            }
        }
        if (settings.user() == null) {
            config.setLogin(LoginOption.DISABLED);
        } else {
            config.setLogin(LoginOption.REQUIRED).setUsername(settings.user()).setPassword(settings.password());
        }
        return config;
    }

    /**
     * {@code address} as the SMTP server takes it: a local part alone ({@code root}, as fail2ban's {@code dest} often
     * is) gets this host's name, as the local sendmail would have given it.
     */
    static String qualified(String address, String host) {
        return address.indexOf('@') >= 0 ? address : address + "@" + host;
    }

    /** Mails leave at most once per interval. */
    @Override
    protected long delayMillis() {
        return Math.max(0, Duration.between(clock.instant(), nextAllowed).toMillis());
    }

    /** Everything waiting: one ban alone, or a digest. */
    @Override
    protected Batch take() {
        Batch batch = new Batch(new ArrayList<>(waiting), overflow);
        waiting.clear();
        overflow = 0;
        return batch;
    }

    @Override
    protected Future<Void> deliver(Batch batch) {
        MailMessage message = new MailMessage()
                .setFrom(qualified(settings.from(), host))
                .setTo(settings.to().stream().map(address -> qualified(address, host)).toList())
                .setSubject(MailText.subject(host, batch.bans(), batch.notListed()))
                .setText(MailText.body(host, batch.bans(), batch.notListed(), settings.context()));
        // A client per mail (mails leave at most once per interval): a failed connection leaves nothing behind in a
        // pool for the next try to wait on.
        MailClient client = MailClient.create(vertx, config);
        return client.sendMail(message).<Void>mapEmpty().onComplete(done -> client.close());
    }

    /** A mail is never given up: the server down, refusing, or dropping the connection is tried again. */
    @Override
    protected boolean retry(Throwable cause, int attempts) {
        return true;
    }

    @Override
    protected void delivered(Batch batch, int failedBefore) {
        nextAllowed = clock.instant().plus(settings.interval());
        if (failedBefore > 0) {
            LOG.atInfo().addKeyValue(LogFields.ALERT_ACTION, settings).addKeyValue(LogFields.ATTEMPTS, failedBefore + 1)
                    .log("mail sent again");
        }
        LOG.atDebug().addKeyValue(LogFields.ALERT_ACTION, settings).addKeyValue(LogFields.BANS, batch.size())
                .log("ban mail sent");
    }

    @Override
    protected void failed(Batch batch, Throwable cause, long retryMillis, int attempts) {
        (attempts == 1 ? LOG.atWarn() : LOG.atDebug()).addKeyValue(LogFields.ALERT_ACTION, settings)
                .addKeyValue(LogFields.ERROR, cause.getMessage())
                .addKeyValue(LogFields.RETRY_MS, retryMillis).addKeyValue(LogFields.QUEUED, waiting.size())
                .log("ban mail not sent; trying again");
    }
}
