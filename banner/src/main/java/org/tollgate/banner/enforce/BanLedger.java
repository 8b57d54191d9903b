package org.tollgate.banner.enforce;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.banner.LogFields;
import org.tollgate.banner.jail.Ban;

/**
 * The enforcer's state, and nothing else: the bans in force with where each stands in each action, the lifts still
 * to finish, when each failed ban or lift is tried again, and the counters. No I/O and no clock of its own: every
 * method that looks at time is given {@code now}, so it is tested with a hand-moved clock.
 *
 * <p>One thread changes it (the enforcer's caller). After each change the enforcer calls {@link #publish()}, which
 * swaps in an immutable {@link EnforcerStatus}; readers ({@link #snapshot()}: the API, the metrics) only read that
 * volatile reference, so they never wait, least of all for a firewall call.
 */
final class BanLedger {

    private static final Logger LOG = LoggerFactory.getLogger(BanLedger.class);
    private static final Comparator<TrackedBan> BY_START = Comparator.comparing((TrackedBan t) -> t.ban().start())
            .thenComparing(t -> t.ban().ip()).thenComparing(t -> t.ban().jail());
    private static final EnforcerCounters ZERO = new EnforcerCounters(0, 0, 0, 0, 0, 0, 0);

    private final ActionRouting routing;
    private final EnforcerOptions options;
    private final Map<BanKey, TrackedBan> tracked = new HashMap<>();
    private final Map<BanKey, PendingUnban> pendingUnbans = new HashMap<>();
    private final RetrySchedule<BanKey> banRetries = new RetrySchedule<>();
    private final RetrySchedule<BanKey> unbanRetries = new RetrySchedule<>();
    /** The stored bans put back at start that are not in force in every action yet; empty once they all were. */
    private final Set<BanKey> restoring = new HashSet<>();

    private long applied;
    private long failed;
    private long retried;
    private long reconciled;
    private long unbans;
    private long unbanFailures;
    private long storeFailures;

    private volatile EnforcerStatus snapshot = new EnforcerStatus(List.of(), 0, ZERO);

    BanLedger(ActionRouting routing, EnforcerOptions options) {
        this.routing = Objects.requireNonNull(routing, "routing");
        this.options = Objects.requireNonNull(options, "options");
    }

    // ---- bans in force ------------------------------------------------------------------------------------------

    /** Tracks {@code ban}, pending in every action of its jail, replacing an earlier state of the same address and jail. */
    TrackedBan track(Ban ban) {
        BanKey key = BanKey.of(ban);
        TrackedBan entry = new TrackedBan(ban, routing.of(ban.jail()));
        tracked.put(key, entry);
        banRetries.cancel(key);
        // Banned again before an earlier lift went through: the new ban puts the address back anyway.
        if (pendingUnbans.remove(key) != null) {
            unbanRetries.cancel(key);
        }
        return entry;
    }

    /** Marks {@code key}, a stored ban put back at start, as restoring until it is in force in every action. */
    void restoring(BanKey key) {
        restoring.add(key);
    }

    void untrack(BanKey key) {
        tracked.remove(key);
        banRetries.cancel(key);
    }

    boolean tracks(BanKey key) {
        return tracked.containsKey(key);
    }

    /** The tracked bans that have not ended by {@code now}. */
    List<TrackedBan> inForce(Instant now) {
        List<TrackedBan> inForce = new ArrayList<>();
        for (TrackedBan entry : tracked.values()) {
            if (!entry.ban().endsBy(now)) {
                inForce.add(entry);
            }
        }
        return inForce;
    }

    /** The longest ban of {@code ban}'s address held by a jail of {@code action}'s target, {@code ban} included. */
    Ban longestHeld(ConfiguredAction action, Ban ban) {
        Ban other = longestHeldBy(action, ban.ip());
        return other != null && outlasts(other, ban) ? other : ban;
    }

    /** The longest ban of {@code ip} any jail of {@code action}'s target holds, or null when none does. */
    Ban longestHeldBy(ConfiguredAction action, String ip) {
        Ban longest = null;
        for (String jail : routing.jailsSharing(action)) {
            TrackedBan held = tracked.get(new BanKey(ip, jail));
            if (held != null && (longest == null || outlasts(held.ban(), longest))) {
                longest = held.ban();
            }
        }
        return longest;
    }

    /** True when {@code a} ends after {@code b}. */
    static boolean outlasts(Ban a, Ban b) {
        if (a.permanent()) {
            return !b.permanent();
        }
        return !b.permanent() && a.end().isAfter(b.end());
    }

    // ---- retries ------------------------------------------------------------------------------------------------

    /** The bans whose retry is due at {@code now}, still in force and failing somewhere; each counted as retried. */
    List<TrackedBan> takeDueBans(Instant now) {
        List<TrackedBan> due = new ArrayList<>();
        for (BanKey key : banRetries.takeDue(now)) {
            TrackedBan ban = tracked.get(key);
            // A ban over by now is lifted by expireDue, not applied again.
            if (ban == null || ban.ban().endsBy(now) || ban.failedActions().isEmpty()) {
                continue;
            }
            ban.retried();
            due.add(ban);
        }
        return due;
    }

    /** The lifts whose retry is due at {@code now}. */
    List<PendingUnban> takeDueUnbans(Instant now) {
        List<PendingUnban> due = new ArrayList<>();
        for (BanKey key : unbanRetries.takeDue(now)) {
            PendingUnban unban = pendingUnbans.get(key);
            if (unban != null) {
                due.add(unban);
            }
        }
        return due;
    }

    /**
     * After a round: cancels the retries of bans now complete everywhere and returns those not yet marked applied
     * in the store; for a ban still failing somewhere that was {@code sent} in this round (or has no retry yet),
     * schedules the next retry one step further along the backoff.
     */
    List<TrackedBan> settle(Collection<TrackedBan> entries, Set<TrackedBan> sent, Instant now) {
        List<TrackedBan> newlyComplete = new ArrayList<>();
        for (TrackedBan entry : entries) {
            if (tracked.get(entry.key()) != entry) {
                continue;
            }
            if (entry.complete()) {
                entry.succeeded();
                banRetries.cancel(entry.key());
                if (!entry.markedApplied()) {
                    newlyComplete.add(entry);
                }
            } else if (!entry.failedActions().isEmpty()
                    && (sent.contains(entry) || banRetries.due(entry.key()).isEmpty())) {
                int failures = entry.failedAgain();
                // Failing only where the tool is missing: the long delay; the tool's arrival brings it forward.
                boolean waiting = entry.failedActions().stream().noneMatch(ConfiguredAction::usable);
                Instant due = now.plus(waiting ? options.longestRetry() : options.retryDelay(failures));
                banRetries.schedule(entry.key(), due);
                LOG.atDebug().addKeyValue(LogFields.SOURCE_IP, entry.ban().ip())
                        .addKeyValue(LogFields.JAIL, entry.ban().jail()).addKeyValue(LogFields.ATTEMPT, failures)
                        .addKeyValue(LogFields.RETRY_AT, due.toString()).log("ban retry scheduled");
            }
        }
        return newlyComplete;
    }

    /** Records a lift that {@code failing} actions did not make; retried from {@code now} on. */
    void liftFailed(Ban ban, Set<ConfiguredAction> failing, boolean stored, Instant now) {
        BanKey key = BanKey.of(ban);
        pendingUnbans.put(key, new PendingUnban(ban, failing, stored));
        unbanRetries.schedule(key, now.plus(options.retryDelay(1)));
    }

    /**
     * Records the outcome of a retried lift: done when no action failed it again (then true), else scheduled again.
     */
    boolean liftRetried(PendingUnban unban, Set<ConfiguredAction> stillFailing, Instant now) {
        BanKey key = BanKey.of(unban.ban());
        if (stillFailing.isEmpty()) {
            pendingUnbans.remove(key);
            return true;
        }
        unbanRetries.schedule(key, now.plus(options.retryDelay(unban.failedAgain(stillFailing))));
        return false;
    }

    /** Makes every ban and lift failing in one of {@code actions} due at {@code now}: their tool is back. */
    void retryNow(List<ConfiguredAction> actions, Instant now) {
        for (TrackedBan entry : tracked.values()) {
            if (entry.failedActions().stream().anyMatch(actions::contains)) {
                banRetries.schedule(entry.key(), now);
            }
        }
        for (PendingUnban unban : pendingUnbans.values()) {
            if (unban.failed().stream().anyMatch(actions::contains)) {
                unbanRetries.schedule(BanKey.of(unban.ban()), now);
            }
        }
    }

    /** When the next retry is due, if one is scheduled. */
    Optional<Instant> nextRetry() {
        Optional<Instant> ban = banRetries.next();
        Optional<Instant> unban = unbanRetries.next();
        if (ban.isEmpty()) {
            return unban;
        }
        if (unban.isEmpty()) {
            return ban;
        }
        return Optional.of(ban.get().isBefore(unban.get()) ? ban.get() : unban.get());
    }

    // ---- counters -----------------------------------------------------------------------------------------------

    void countBans(int appliedNow, int failedNow) {
        applied += appliedNow;
        failed += failedNow;
    }

    void countLifts(int liftedNow, int failedNow) {
        unbans += liftedNow;
        unbanFailures += failedNow;
    }

    void countRetried(int attempts) {
        retried += attempts;
    }

    void countReconciled(int reappliedNow) {
        reconciled += reappliedNow;
    }

    void countStoreFailure() {
        storeFailures++;
    }

    // ---- the snapshot -------------------------------------------------------------------------------------------

    /** Swaps in an immutable status of the state now; call after every change. */
    void publish() {
        List<TrackedBan> bans = new ArrayList<>(tracked.values());
        bans.sort(BY_START);
        List<BanStatus> statuses = new ArrayList<>(bans.size());
        for (TrackedBan ban : bans) {
            statuses.add(ban.status(banRetries.due(ban.key()).orElse(null)));
        }
        restoring.removeIf(key -> {
            TrackedBan ban = tracked.get(key);
            return ban == null || ban.complete();
        });
        List<ActionHealth> actions = new ArrayList<>();
        for (ConfiguredAction action : routing.actions()) {
            actions.add(new ActionHealth(action.label(), action.usable(), action.unusableReason(),
                    action.failing()));
        }
        snapshot = new EnforcerStatus(statuses, pendingUnbans.size(),
                new EnforcerCounters(applied, failed, retried, reconciled, unbans, unbanFailures, storeFailures),
                actions, restoring.size());
    }

    /** The status as last published: never waits. */
    EnforcerStatus snapshot() {
        return snapshot;
    }
}
