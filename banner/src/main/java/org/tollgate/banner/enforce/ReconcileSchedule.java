package org.tollgate.banner.enforce;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Decides when to reconcile: on the periodic timer, and soon after a monitor reports that a firewall dropped bans.
 * The reports of one burst ({@code nft flush ruleset} deletes sets, the chain and the table; two actions share one
 * firewalld) wait out one quiet period together and make one reconcile. Only one reconcile runs at a time: a report
 * that comes in meanwhile makes one more after it, since the running one may have looked before the loss; a periodic
 * turn that comes in meanwhile, or while reports are waiting, is skipped, as one is under way.
 *
 * <p>Not thread-safe: one thread (the banner's event loop) calls every method, and the timer runs its tasks there.
 */
public final class ReconcileSchedule {

    /** How long the reports of one burst are gathered before their reconcile starts. */
    public static final Duration DEFAULT_QUIET = Duration.ofMillis(200);

    private final Duration quiet;
    private final BiConsumer<Duration, Runnable> timer;
    private final Consumer<Set<String>> reconcile;
    private final Set<String> reasons = new LinkedHashSet<>();
    private boolean waiting;
    private boolean running;

    /**
     * @param quiet     how long reports are gathered before their reconcile
     * @param timer     runs a task once after a delay, on the calling thread
     * @param reconcile starts a reconcile, with the reasons reported (empty for a periodic one); the caller calls
     *                  {@link #finished()} when it is over, whatever its outcome
     */
    public ReconcileSchedule(Duration quiet, BiConsumer<Duration, Runnable> timer, Consumer<Set<String>> reconcile) {
        this.quiet = Objects.requireNonNull(quiet, "quiet");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.reconcile = Objects.requireNonNull(reconcile, "reconcile");
        if (quiet.isNegative() || quiet.isZero()) {
            throw new IllegalArgumentException("quiet period must be positive, was " + quiet);
        }
    }

    /** A monitor saw bans dropped for {@code reason}. */
    public void lost(String reason) {
        reasons.add(Objects.requireNonNull(reason, "reason"));
        if (!running) {
            gather();
        }
    }

    /** The periodic timer fired. */
    public void periodic() {
        if (!running && !waiting) {
            start(Set.of());
        }
    }

    /** The reconcile last started is over. */
    public void finished() {
        if (!running) {
            throw new IllegalStateException("no reconcile is running");
        }
        running = false;
        if (!reasons.isEmpty()) {
            gather();
        }
    }

    /** True while a reconcile runs. */
    public boolean running() {
        return running;
    }

    private void gather() {
        if (!waiting) {
            waiting = true;
            timer.accept(quiet, this::quietOver);
        }
    }

    private void quietOver() {
        waiting = false;
        // Running only when it was started meanwhile; finished() then gathers the reasons again.
        if (!running && !reasons.isEmpty()) {
            start(Collections.unmodifiableSet(new LinkedHashSet<>(reasons)));
        }
    }

    private void start(Set<String> why) {
        reasons.clear();
        running = true;
        reconcile.accept(why);
    }
}
