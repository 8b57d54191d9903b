package org.tollgate.server.alert;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.tollgate.server.LogFields;
import org.tollgate.server.output.Backoff;

/**
 * What every alert action does with the bans it is told, in one place: a bounded queue, one delivery out at a time,
 * the next one when the action allows ({@link #delayMillis()}), a failed one tried again after the backoff's delay with
 * what came meanwhile queued behind it, and the counters. An action says only what one delivery takes from the queue
 * ({@link #take}), how it goes out ({@link #deliver}), and whether a failure is worth another try ({@link #retry}).
 * Runs on its verticle's event loop only; nothing here blocks.
 */
abstract class QueuedAlert implements AlertAction {

    /** What one delivery carries: the bans listed, and those only counted (they came past the queue). */
    record Batch(List<BanNotice> bans, long notListed) {
        long size() {
            return bans.size() + notListed;
        }
    }

    /** Past the queue: a new ban is counted and said in the next delivery, or dropped. */
    enum Overflow {
        COUNT, DROP
    }

    protected final Vertx vertx;
    private final Object label;
    private final Logger log;
    private final Backoff backoff;
    private final int queue;
    private final Overflow overflowPolicy;
    /** Waiting bans, oldest first. */
    protected final ArrayDeque<BanNotice> waiting = new ArrayDeque<>();
    /** Bans past the queue, counted only ({@link Overflow#COUNT}). */
    protected long overflow;
    private Batch inFlight;
    private long timer = -1;
    private boolean closed;
    // Written on the event loop only, read by anyone (the status, tests).
    private volatile long told;
    private volatile long sent;
    private volatile long failed;
    private volatile long dropped;
    private volatile int waitingNow;

    /**
     * @param label    the action as logged (its settings' text: never a secret)
     * @param queue    bans waiting at most
     * @param overflow what happens to a ban past the queue
     */
    QueuedAlert(Vertx vertx, Object label, Logger log, Backoff backoff, int queue, Overflow overflow) {
        this.vertx = vertx;
        this.label = label;
        this.log = log;
        this.backoff = backoff;
        this.queue = queue;
        this.overflowPolicy = overflow;
    }

    /** Takes from {@link #waiting} (and {@link #overflow}) what the next delivery carries; called with some waiting. */
    protected abstract Batch take();

    /** Sends {@code batch}; the future fails with the reason it did not go through. */
    protected abstract Future<Void> deliver(Batch batch);

    /** Whether a delivery that failed with {@code cause} is tried again, after {@code attempts} failed tries. */
    protected abstract boolean retry(Throwable cause, int attempts);

    /** Millis to wait before the next delivery may leave; 0 for at once. */
    protected long delayMillis() {
        return 0;
    }

    /** Called after a delivery went through (an interval starts, a retry is logged as over). */
    protected void delivered(Batch batch, int failedBefore) {
    }

    /** Called after a delivery failed; {@code retryMillis} is -1 when it is not tried again. */
    protected abstract void failed(Batch batch, Throwable cause, long retryMillis, int attempts);

    @Override
    public final void offer(BanNotice ban) {
        if (closed) {
            return;
        }
        park(ban);
        pump();
        counted();
    }

    /** Delivers now when allowed, or sets one timer for when it will be; nothing while a delivery is out. */
    private void pump() {
        if (closed || inFlight != null || timer != -1 || waiting.isEmpty() && overflow == 0) {
            return;
        }
        long delay = delayMillis();
        if (delay > 0) {
            timer = vertx.setTimer(delay, id -> {
                timer = -1;
                pump();
            });
            return;
        }
        Batch batch = take();
        inFlight = batch;
        counted();
        deliver(batch).onComplete(result -> {
            inFlight = null;
            if (result.succeeded()) {
                sent++;
                told += batch.size();
                int attempts = backoff.attempts();
                backoff.reset();
                delivered(batch, attempts);
            } else {
                failed++;
                if (!closed && retry(result.cause(), backoff.attempts())) {
                    requeue(batch);
                    long retryMillis = backoff.nextDelayMillis();
                    failed(batch, result.cause(), retryMillis, backoff.attempts());
                    timer = vertx.setTimer(retryMillis, id -> {
                        timer = -1;
                        pump();
                    });
                } else {
                    dropped += batch.size();
                    int attempts = backoff.attempts() + 1;
                    backoff.reset();
                    failed(batch, result.cause(), -1, attempts);
                }
            }
            pump();
            counted();
        });
    }

    /** The bans of a failed delivery go back ahead of those that came meanwhile; past the queue, as {@link #offer}. */
    private void requeue(Batch batch) {
        List<BanNotice> later = new ArrayList<>(waiting);
        waiting.clear();
        overflow += batch.notListed();
        waiting.addAll(batch.bans());
        later.forEach(this::park);
    }

    /** Queues {@code ban}, or past the queue counts it or drops it. */
    private void park(BanNotice ban) {
        if (waiting.size() < queue) {
            waiting.addLast(ban);
        } else if (overflowPolicy == Overflow.COUNT) {
            overflow++;
        } else {
            dropped++;
            log.atDebug().addKeyValue(LogFields.ALERT_ACTION, label).addKeyValue(LogFields.SOURCE_IP, ban.ip())
                    .log("alert queue full; ban dropped");
        }
    }

    /** Bans not told yet: waiting, past the queue, and in the delivery out. */
    private void counted() {
        waitingNow = (int) Math.min(Integer.MAX_VALUE, waiting.size() + overflow
                + (inFlight == null ? 0 : inFlight.size()));
    }

    @Override
    public final AlertCounters counters() {
        return new AlertCounters(label.toString(), told, sent, failed, dropped, waitingNow);
    }

    /** Stops: the timer cancelled; bans still waiting are counted as dropped and logged. */
    @Override
    public Future<Void> close() {
        closed = true;
        if (timer != -1) {
            vertx.cancelTimer(timer);
        }
        long left = waiting.size() + overflow;
        if (left > 0) {
            dropped += left;
            waitingNow = 0;
            log.atWarn().addKeyValue(LogFields.ALERT_ACTION, label).addKeyValue(LogFields.BANS, left)
                    .log("stopping with bans not told");
        }
        return Future.succeededFuture();
    }
}
