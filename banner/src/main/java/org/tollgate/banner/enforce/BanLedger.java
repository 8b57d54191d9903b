package org.tollgate.banner.enforce;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
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
 * publishes what changed since the last call: the status of each ban that changed (kept in start order as it is
 * published, so nothing is sorted again), and the counters. Readers ({@link #snapshot()}: the API, the metrics) build
 * an immutable {@link EnforcerStatus} from that when they ask, and never wait, least of all for a firewall call: the
 * cost of thousands of bans in force is the reader's when it asks, not every ban's.
 */
final class BanLedger {

    private static final Logger LOG = LoggerFactory.getLogger(BanLedger.class);
    private static final EnforcerCounters ZERO = new EnforcerCounters(0, 0, 0, 0, 0, 0, 0);
    /** How often a reader builds the status again when a publish ran meanwhile, before it takes the one it built. */
    private static final int CONSISTENT_TRIES = 8;

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

    /** The bans that changed since the last publish (by identity: an entry replaced by a later ban is one too). */
    private final Set<TrackedBan> changed = new HashSet<>();

    /** Where a ban stands in the status: earliest start first, then address, then jail (one ban per both). */
    private record StatusOrder(Instant start, String ip, String jail) implements Comparable<StatusOrder> {

        static StatusOrder of(TrackedBan entry) {
            return new StatusOrder(entry.ban().start(), entry.ban().ip(), entry.ban().jail());
        }

        @Override
        public int compareTo(StatusOrder other) {
            int byStart = start.compareTo(other.start);
            if (byStart != 0) {
                return byStart;
            }
            int byIp = ip.compareTo(other.ip);
            return byIp != 0 ? byIp : jail.compareTo(other.jail);
        }
    }

    /** The published status of each ban in force, in status order; changed by the owner alone, read by anyone. */
    private final ConcurrentSkipListMap<StatusOrder, BanStatus> published = new ConcurrentSkipListMap<>();

    /** The published rest of the status: everything but the bans. */
    private record Totals(int pendingUnbans, EnforcerCounters counters, List<ActionHealth> actions, int restoring) {
    }

    /** A status a reader built, and the publish it was built from. */
    private record Built(long version, EnforcerStatus status) {
    }

    private volatile Totals totals = new Totals(0, ZERO, List.of(), 0);
    /** Odd while a publish runs, even between: a reader that saw it change builds the status again. */
    private volatile long version;
    private volatile Built built;

    BanLedger(ActionRouting routing, EnforcerOptions options) {
        this.routing = Objects.requireNonNull(routing, "routing");
        this.options = Objects.requireNonNull(options, "options");
    }

    // ---- bans in force ------------------------------------------------------------------------------------------

    /** Tracks {@code ban}, pending in every action of its jail, replacing an earlier state of the same address and jail. */
    TrackedBan track(Ban ban) {
        BanKey key = BanKey.of(ban);
        TrackedBan entry = new TrackedBan(ban, routing.of(ban.jail()), changed::add);
        TrackedBan before = tracked.put(key, entry);
        if (before != null) {
            changed.add(before);
        }
        changed.add(entry);
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
        TrackedBan removed = tracked.remove(key);
        if (removed != null) {
            changed.add(removed);
        }
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
            if (ban != null) {
                changed.add(ban); // no retry scheduled any more
            }
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
            changed.add(entry); // its next retry, in the status
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
                changed.add(entry);
            }
        }
        for (PendingUnban unban : pendingUnbans.values()) {
            if (unban.failed().stream().anyMatch(actions::contains)) {
                unbanRetries.schedule(BanKey.of(unban.ban()), now);
            }
        }
    }

    /** When the next retry of {@code key}'s ban is due, or null when none is scheduled. */
    Instant retryDue(BanKey key) {
        return banRetries.due(key).orElse(null);
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

    /**
     * Publishes what changed since the last call: the status of each ban that changed, in place, and the totals; call
     * after every change. Costs the bans that changed, not the bans in force.
     */
    void publish() {
        version++; // odd: a reader building meanwhile builds again
        for (TrackedBan entry : changed) {
            TrackedBan now = tracked.get(entry.key());
            StatusOrder order = StatusOrder.of(entry);
            if (now == entry) {
                published.put(order, entry.status(retryDue(entry.key())));
            } else if (now == null || !StatusOrder.of(now).equals(order)) {
                // Lifted, or replaced by a ban that stands elsewhere in the order (one in the same place replaces it).
                published.remove(order);
            }
        }
        changed.clear();
        restoring.removeIf(key -> {
            TrackedBan ban = tracked.get(key);
            return ban == null || ban.complete();
        });
        List<ActionHealth> actions = new ArrayList<>();
        for (ConfiguredAction action : routing.actions()) {
            actions.add(new ActionHealth(action.label(), action.usable(), action.unusableReason(),
                    action.failing()));
        }
        totals = new Totals(pendingUnbans.size(),
                new EnforcerCounters(applied, failed, retried, reconciled, unbans, unbanFailures, storeFailures),
                List.copyOf(actions), restoring.size());
        version++;
    }

    /**
     * The status as last published, built now if it changed since a reader last built it: never waits. A reader that
     * sees a publish run meanwhile builds it again, up to {@link #CONSISTENT_TRIES} times; a reader that keeps
     * meeting publishes takes the last one it built (each ban's status whole, the bans and the totals at most a
     * publish apart).
     */
    EnforcerStatus snapshot() {
        EnforcerStatus status = null;
        for (int attempt = 0; attempt < CONSISTENT_TRIES; attempt++) {
            long seen = version;
            Built last = built;
            if (last != null && last.version() == seen) {
                return last.status();
            }
            Totals now = totals;
            status = new EnforcerStatus(List.copyOf(published.values()), now.pendingUnbans(), now.counters(),
                    now.actions(), now.restoring());
            if ((seen & 1) == 0 && version == seen) {
                built = new Built(seen, status);
                return status;
            }
            Thread.onSpinWait();
        }
        return status;
    }
}
