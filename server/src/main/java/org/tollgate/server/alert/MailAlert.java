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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
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
final class MailAlert implements AlertAction {

    private static final Logger LOG = LoggerFactory.getLogger(MailAlert.class);
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    static final Duration LONGEST_RETRY = Duration.ofMinutes(5);

    private final Vertx vertx;
    private final MailSettings settings;
    private final MailConfig config;
    private final Clock clock;
    private final String host;
    private final Backoff backoff;
    private final ArrayDeque<BanNotice> waiting = new ArrayDeque<>();
    private long overflow;
    private Instant nextAllowed = Instant.EPOCH; // not MIN: the delay to it in millis must fit a long
    private boolean sending;
    private long inFlight;
    private long timer = -1;
    private boolean closed;
    // Written on the event loop only, read by anyone (the status, tests).
    private volatile long told;
    private volatile long sent;
    private volatile long failed;
    private volatile long dropped;
    private volatile int waitingNow;

    MailAlert(Vertx vertx, MailSettings settings, Clock clock, String host, Backoff backoff) {
        this.vertx = vertx;
        this.settings = settings;
        this.clock = clock;
        this.host = host;
        this.backoff = backoff;
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

    @Override
    public void offer(BanNotice ban) {
        if (closed) {
            return;
        }
        if (waiting.size() >= settings.queue()) {
            overflow++;
        } else {
            waiting.addLast(ban);
        }
        schedule();
        counted();
    }

    /**
     * {@code address} as the SMTP server takes it: a local part alone ({@code root}, as fail2ban's {@code dest} often
     * is) gets this host's name, as the local sendmail would have given it.
     */
    static String qualified(String address, String host) {
        return address.indexOf('@') >= 0 ? address : address + "@" + host;
    }

    /** Bans not told yet: waiting, past the queue, and in the mail being sent. */
    private void counted() {
        waitingNow = (int) Math.min(Integer.MAX_VALUE, waiting.size() + overflow + inFlight);
    }

    /** Sends now when the interval allows, or sets one timer for when it will; nothing while a mail is out. */
    private void schedule() {
        if (closed || sending || timer != -1 || waiting.isEmpty() && overflow == 0) {
            return;
        }
        long delay = Duration.between(clock.instant(), nextAllowed).toMillis();
        if (delay <= 0) {
            send();
        } else {
            timer = vertx.setTimer(delay, id -> {
                timer = -1;
                send();
            });
        }
    }

    private void send() {
        if (closed || waiting.isEmpty() && overflow == 0) {
            return;
        }
        List<BanNotice> bans = new ArrayList<>(waiting);
        long notListed = overflow;
        waiting.clear();
        overflow = 0;
        MailMessage message = new MailMessage()
                .setFrom(qualified(settings.from(), host))
                .setTo(settings.to().stream().map(address -> qualified(address, host)).toList())
                .setSubject(MailText.subject(host, bans, notListed))
                .setText(MailText.body(host, bans, notListed, settings.context()));
        sending = true;
        inFlight = bans.size() + notListed;
        // A client per mail (mails leave at most once per interval): a failed connection leaves nothing behind in a
        // pool for the next try to wait on.
        MailClient client = MailClient.create(vertx, config);
        client.sendMail(message).onComplete(result -> {
            client.close();
            sending = false;
            inFlight = 0;
            if (result.succeeded()) {
                sent++;
                told += bans.size() + notListed;
                nextAllowed = clock.instant().plus(settings.interval());
                if (backoff.attempts() > 0) {
                    LOG.atInfo().addKeyValue(LogFields.ALERT_ACTION, settings).addKeyValue(LogFields.ATTEMPTS, backoff.attempts() + 1)
                            .log("mail sent again");
                }
                backoff.reset();
                LOG.atDebug().addKeyValue(LogFields.ALERT_ACTION, settings).addKeyValue(LogFields.BANS, bans.size() + notListed)
                        .log("ban mail sent");
            } else {
                failed++;
                requeue(bans, notListed);
                long delay = backoff.nextDelayMillis();
                nextAllowed = clock.instant().plusMillis(delay);
                (backoff.attempts() == 1 ? LOG.atWarn() : LOG.atDebug()).addKeyValue(LogFields.ALERT_ACTION, settings)
                        .addKeyValue(LogFields.ERROR, result.cause().getMessage())
                        .addKeyValue(LogFields.RETRY_MS, delay).addKeyValue(LogFields.QUEUED, waiting.size())
                        .log("ban mail not sent; trying again");
            }
            schedule();
            counted();
        });
    }

    /** The bans of a failed mail go back ahead of those that came meanwhile; past the queue the newest are counted. */
    private void requeue(List<BanNotice> bans, long notListed) {
        List<BanNotice> later = new ArrayList<>(waiting);
        waiting.clear();
        overflow += notListed;
        for (BanNotice ban : bans) {
            waiting.addLast(ban);
        }
        for (BanNotice ban : later) {
            if (waiting.size() < settings.queue()) {
                waiting.addLast(ban);
            } else {
                overflow++;
            }
        }
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
        if (!waiting.isEmpty() || overflow > 0) {
            dropped += waiting.size() + overflow;
            waitingNow = 0;
            LOG.atWarn().addKeyValue(LogFields.ALERT_ACTION, settings).addKeyValue(LogFields.BANS, waiting.size() + overflow)
                    .log("stopping with bans not mailed");
        }
        return Future.succeededFuture();
    }
}
