package org.tollgate.banner.enforce;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.banner.action.ActionException;
import org.tollgate.banner.action.BanOutcome;
import org.tollgate.banner.action.FirewallAction;
import org.tollgate.banner.action.FirewallMonitor;
import org.tollgate.banner.action.LogFields;
import org.tollgate.banner.jail.ActionSettings;
import org.tollgate.banner.jail.Ban;
import org.tollgate.banner.jail.Failure;
import org.tollgate.banner.jail.JailSettings;
import org.tollgate.banner.jail.Jails;
import org.tollgate.banner.store.BanStore;
import org.tollgate.banner.store.StoreException;

/**
 * Enforces the jails' decisions: saves each ban, applies it through the firewall actions of its jail, retries what
 * failed, puts back what a firewall lost, lifts bans when they end, and carries them across a restart without
 * lifting one that is still in force.
 *
 * <p>Every ban and lift goes through here, so that the jails, the store and the firewall agree. Firewall calls are
 * made in bulk, one call per action for any number of bans, in configuration order (a conntrack action listed after
 * a blocking one runs after it). Jails naming the same action share it; an address banned by two jails into the same
 * set stays there until neither bans it, with the longer of the two bans' timeouts.
 *
 * <p>A firewall failure never escapes: it is recorded on the ban, counted, logged, and retried with exponential
 * backoff by {@link #retryDue}. A failed store write is counted and logged and the firewall side goes on. Every
 * method runs firewall tools and may block up to the runner's timeout per call: call them from a worker thread.
 * Methods are serialised.
 */
public final class Enforcer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Enforcer.class);
    private static final Comparator<TrackedBan> BY_START = Comparator.comparing((TrackedBan t) -> t.ban().start())
            .thenComparing(t -> t.ban().ip()).thenComparing(t -> t.ban().jail());

    private final Jails jails;
    private final BanStore store;
    private final InstantSource clock;
    private final EnforcerOptions options;
    private final Duration historyWindow;

    /** Every configured action once, in order of first appearance in the jails' lists. */
    private final List<ConfiguredAction> actions;
    private final Map<String, List<ConfiguredAction>> actionsByJail;
    /** Action target to every jail whose bans go into it. */
    private final Map<String, Set<String>> jailsByTarget;

    private final Map<BanKey, TrackedBan> tracked = new HashMap<>();
    private final Map<BanKey, PendingUnban> pendingUnbans = new HashMap<>();
    private final RetrySchedule<BanKey> banRetries = new RetrySchedule<>();
    private final RetrySchedule<BanKey> unbanRetries = new RetrySchedule<>();

    private long applied;
    private long failed;
    private long retried;
    private long reconciled;
    private long unbans;
    private long unbanFailures;
    private long storeFailures;

    private boolean started;
    private boolean closed;

    /** With {@link EnforcerOptions#DEFAULTS}. */
    public Enforcer(Jails jails, BanStore store, InstantSource clock, ActionFactory factory) {
        this(jails, store, clock, factory, EnforcerOptions.DEFAULTS);
    }

    /**
     * Builds the actions of every running jail; nothing runs until {@link #start()}.
     *
     * @param jails   the running jails; the enforcer becomes the only way their bans change
     * @param store   where bans are kept across restarts; the caller closes it
     * @param clock   the present: when bans end, when retries are due
     * @param factory builds each distinct action entry of the jails once
     * @throws org.tollgate.banner.config.ConfigException when an action entry is not valid
     */
    public Enforcer(Jails jails, BanStore store, InstantSource clock, ActionFactory factory, EnforcerOptions options) {
        this.jails = Objects.requireNonNull(jails, "jails");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.options = Objects.requireNonNull(options, "options");
        Objects.requireNonNull(factory, "factory");

        Map<String, JailSettings> settings = jails.settings();
        Map<List<Object>, ConfiguredAction> byEntry = new LinkedHashMap<>();
        Map<String, List<ConfiguredAction>> byJail = new LinkedHashMap<>();
        Map<String, Set<String>> byTarget = new HashMap<>();
        Set<String> labels = new HashSet<>();
        Duration longestFindtime = Duration.ZERO;
        try {
            for (JailSettings jail : settings.values()) {
                if (jail.findtime().compareTo(longestFindtime) > 0) {
                    longestFindtime = jail.findtime();
                }
                List<ConfiguredAction> own = new ArrayList<>();
                for (ActionSettings entry : jail.actions()) {
                    ConfiguredAction action = byEntry.get(List.of(entry.type(), entry.params()));
                    if (action == null) {
                        FirewallAction firewall = Objects.requireNonNull(factory.create(entry),
                                () -> "action factory returned null for " + entry.type() + " in jail " + jail.name());
                        action = new ConfiguredAction(firewall, uniqueLabel(firewall.name(), labels));
                        byEntry.put(List.of(entry.type(), entry.params()), action);
                    }
                    if (!own.contains(action)) {
                        own.add(action);
                        action.serve(jail.name());
                        byTarget.computeIfAbsent(action.target(), t -> new LinkedHashSet<>()).add(jail.name());
                    }
                }
                byJail.put(jail.name(), List.copyOf(own));
            }
        } catch (RuntimeException e) {
            byEntry.values().forEach(action -> closeQuietly(action.firewall()));
            throw e;
        }
        this.actions = List.copyOf(byEntry.values());
        this.actionsByJail = byJail;
        this.jailsByTarget = byTarget;
        this.historyWindow = options.historyWindow().compareTo(longestFindtime) >= 0
                ? options.historyWindow() : longestFindtime;
    }

    private static String uniqueLabel(String name, Set<String> taken) {
        String label = name;
        for (int n = 2; !taken.add(label); n++) {
            label = name + "#" + n;
        }
        return label;
    }

    /**
     * Sets up every action and puts the stored bans back in force: bans still running are restored into the jails
     * and re-applied only where a firewall lost them (a ban still in the firewall is not touched, so a restart opens
     * no window), bans that ended meanwhile are lifted, and the ban history is read back for increments and
     * recidive. Call once, before anything else.
     *
     * @throws StoreException when the store cannot be read
     */
    public synchronized RestoreReport start() {
        requireOpen();
        if (started) {
            throw new IllegalStateException("enforcer already started");
        }
        started = true;
        long began = System.nanoTime();
        int setUpFailures = 0;
        for (ConfiguredAction action : actions) {
            try {
                action.firewall().setUp();
            } catch (ActionException | RuntimeException e) {
                setUpFailures++;
                LOG.atError()
                        .addKeyValue(LogFields.ACTION, action.label())
                        .addKeyValue(LogFields.REASON, message(e))
                        .log("firewall action set-up failed; each ban call tries again");
            }
        }

        Instant now = clock.instant();
        List<Ban> stored = store.active(now);
        List<Ban> orphans = jails.restore(stored);
        Set<BanKey> orphaned = new HashSet<>();
        orphans.forEach(ban -> orphaned.add(BanKey.of(ban)));
        for (Ban ban : stored) {
            if (!orphaned.contains(BanKey.of(ban))) {
                track(ban);
            }
        }
        jails.seedHistory(store.history(now.minus(historyWindow)));
        if (!orphans.isEmpty()) {
            removeFromStore(orphans);
            LOG.atWarn()
                    .addKeyValue(LogFields.COUNT, orphans.size())
                    .log("stored bans of jails no longer running dropped; their firewall entries expire on their own");
        }

        List<Ban> expired = store.expiredBefore(now);
        int liftFailures = lift(expired, true, now);
        Reapplied reapplied = reapplyMissing(now, true);

        RestoreReport report = new RestoreReport(stored.size() - orphans.size(), expired.size(), orphans.size(),
                reapplied.applied, reapplied.failed + liftFailures, setUpFailures);
        LOG.atInfo()
                .addKeyValue(LogFields.RESTORED, report.restored())
                .addKeyValue(LogFields.EXPIRED, report.expired())
                .addKeyValue(LogFields.ORPHANED, report.orphaned())
                .addKeyValue(LogFields.REAPPLIED, report.reapplied())
                .addKeyValue(LogFields.FAILED, report.failed())
                .addKeyValue(LogFields.DURATION_MS, (System.nanoTime() - began) / 1_000_000)
                .log("stored bans restored");
        return report;
    }

    /** Counts {@code failure} in the jails and enforces the bans it triggers; returns them. */
    public synchronized List<Ban> onFailure(Failure failure) {
        return onFailures(List.of(failure));
    }

    /**
     * Counts {@code failures} in order, then enforces every ban they trigger together: one call per action however
     * many, so a burst of attackers costs a burst of bans in one firewall transaction, not one each.
     */
    public synchronized List<Ban> onFailures(List<Failure> failures) {
        requireStarted();
        List<Ban> bans = new ArrayList<>();
        for (Failure failure : failures) {
            bans.addAll(jails.offer(failure));
        }
        if (!bans.isEmpty()) {
            enforce(bans);
        }
        return bans;
    }

    /**
     * Bans {@code ip} by hand in {@code jail} (the API's ban), with the jail's bantime and increments.
     *
     * @throws IllegalArgumentException for an unknown jail, a non-IP, or an address the jail never bans
     */
    public synchronized Ban ban(String ip, String jail) {
        requireStarted();
        Ban ban = jails.ban(ip, jail, clock.instant());
        enforce(List.of(ban));
        return ban;
    }

    /**
     * Enforces bans made elsewhere (by the API): puts those the jails do not hold yet in force there, saves and
     * applies them all.
     *
     * @throws IllegalArgumentException when a ban names a jail that is not running; nothing is applied then
     */
    public synchronized void applyBans(List<Ban> bans) {
        requireStarted();
        for (Ban ban : bans) {
            if (!actionsByJail.containsKey(ban.jail())) {
                throw new IllegalArgumentException("ban of " + ban.ip() + " names jail '" + ban.jail()
                        + "', which is not running; running: " + String.join(", ", actionsByJail.keySet()));
            }
        }
        if (bans.isEmpty()) {
            return;
        }
        Set<Ban> held = new HashSet<>(jails.active());
        List<Ban> fresh = bans.stream().filter(ban -> !held.contains(ban)).toList();
        jails.restore(fresh);
        enforce(bans);
    }

    /** Lifts every ban of {@code ip}, in every jail; returns them. */
    public synchronized List<Ban> unban(String ip) {
        requireStarted();
        List<Ban> lifted = jails.unbanEverywhere(ip);
        liftByHand(lifted);
        return lifted;
    }

    /**
     * Lifts the ban of {@code ip} in {@code jail}, if there is one.
     *
     * @throws IllegalArgumentException for an unknown jail
     */
    public synchronized Optional<Ban> unban(String ip, String jail) {
        requireStarted();
        Optional<Ban> lifted = jails.unban(ip, jail);
        lifted.ifPresent(ban -> liftByHand(List.of(ban)));
        return lifted;
    }

    /** Lifts the bans over at {@code now}: from the jails, the firewall (in bulk) and the store; returns them. */
    public synchronized List<Ban> expireDue(Instant now) {
        requireStarted();
        List<Ban> over = jails.expire(now);
        if (over.isEmpty()) {
            return over;
        }
        for (Ban ban : over) {
            untrack(BanKey.of(ban));
        }
        lift(over, true, now);
        LOG.atInfo().addKeyValue(LogFields.COUNT, over.size()).log("bans expired");
        return over;
    }

    /**
     * Retries the bans and unbans whose retry is due at {@code now}, only in the actions that failed them, one call
     * per action; returns how many addresses were retried, per action.
     */
    public synchronized int retryDue(Instant now) {
        requireStarted();
        store.retryUnsaved();
        int attempts = 0;
        Map<ConfiguredAction, List<TrackedBan>> banWork = new HashMap<>();
        List<TrackedBan> touched = new ArrayList<>();
        for (BanKey key : banRetries.takeDue(now)) {
            TrackedBan ban = tracked.get(key);
            // A ban over by now is lifted by expireDue, not applied again.
            if (ban == null || ban.ban().endsBy(now)) {
                continue;
            }
            List<ConfiguredAction> failing = ban.failedActions();
            if (failing.isEmpty()) {
                continue;
            }
            ban.retried();
            touched.add(ban);
            for (ConfiguredAction action : failing) {
                banWork.computeIfAbsent(action, a -> new ArrayList<>()).add(ban);
                attempts++;
            }
        }
        if (!banWork.isEmpty()) {
            settle(touched, runBans(banWork).sent, now);
        }

        Map<ConfiguredAction, List<Ban>> unbanWork = new HashMap<>();
        List<PendingUnban> pending = new ArrayList<>();
        for (BanKey key : unbanRetries.takeDue(now)) {
            PendingUnban unban = pendingUnbans.get(key);
            if (unban == null) {
                continue;
            }
            pending.add(unban);
            for (ConfiguredAction action : unban.failed()) {
                unbanWork.computeIfAbsent(action, a -> new ArrayList<>()).add(unban.ban());
                attempts++;
            }
        }
        if (!pending.isEmpty()) {
            Map<Ban, Set<ConfiguredAction>> stillFailing = runUnbans(unbanWork);
            List<Ban> liftedFromStore = new ArrayList<>();
            for (PendingUnban unban : pending) {
                BanKey key = BanKey.of(unban.ban());
                Set<ConfiguredAction> failing = stillFailing.getOrDefault(unban.ban(), Set.of());
                if (failing.isEmpty()) {
                    pendingUnbans.remove(key);
                    if (unban.stored() && !tracked.containsKey(key)) {
                        liftedFromStore.add(unban.ban());
                    }
                } else {
                    unbanRetries.schedule(key, now.plus(options.retryDelay(unban.failedAgain(failing))));
                }
            }
            removeFromStore(liftedFromStore);
        }
        retried += attempts;
        return attempts;
    }

    /** How far back the ban history matters: increments and recidive windows; older history can be purged. */
    public Duration historyWindow() {
        return historyWindow;
    }

    /** When the next retry is due, if one is scheduled: for a timer, instead of polling {@link #retryDue}. */
    public synchronized Optional<Instant> nextRetry() {
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

    /**
     * Asks every action which of its jails' bans it no longer has, and puts back only those, one call per action:
     * what brings bans back after {@code firewall-cmd --reload} or {@code nft flush ruleset}. An action that cannot
     * say what it holds is left alone until the next call.
     */
    public synchronized ReconcileReport reconcile() {
        return reconcile(null);
    }

    /**
     * As {@link #reconcile()}, after a firewall monitor reported that bans were dropped: what was put back is logged
     * at info with {@code reason} ("firewalld reloaded: 3 bans re-applied"), as expected, where a periodic reconcile
     * that finds bans missing warns, since nothing said they went.
     *
     * @param reason what the monitors reported, or null for a periodic reconcile
     */
    public synchronized ReconcileReport reconcile(String reason) {
        requireStarted();
        Reapplied reapplied = reapplyMissing(clock.instant(), false);
        if (reason != null) {
            int applied = reapplied.applied;
            LOG.atInfo()
                    .addKeyValue(LogFields.REASON, reason)
                    .addKeyValue(LogFields.REAPPLIED, applied)
                    .addKeyValue(LogFields.FAILED, reapplied.failed)
                    .addKeyValue(LogFields.ACTION, reapplied.byAction)
                    .log(reason + ": " + applied + (applied == 1 ? " ban" : " bans") + " re-applied"
                            + (reapplied.failed > 0 ? ", " + reapplied.failed + " failed (retrying)" : ""));
        } else if (reapplied.applied > 0 || reapplied.failed > 0) {
            LOG.atWarn()
                    .addKeyValue(LogFields.REAPPLIED, reapplied.applied)
                    .addKeyValue(LogFields.FAILED, reapplied.failed)
                    .addKeyValue(LogFields.ACTION, reapplied.byAction)
                    .log("bans missing from the firewall put back");
        }
        return new ReconcileReport(reapplied.checked, reapplied.applied, reapplied.failed, reapplied.unchecked);
    }

    /**
     * What reports the firewalls' losses at once, one per action that has one: run them with a {@link FirewallWatch}
     * and reconcile on what they report.
     */
    public List<FirewallMonitor> monitors() {
        List<FirewallMonitor> monitors = new ArrayList<>();
        for (ConfiguredAction action : actions) {
            action.firewall().monitor().ifPresent(monitors::add);
        }
        return monitors;
    }

    /** The bans in force with their per-action state, and the counters. */
    public synchronized EnforcerStatus status() {
        List<TrackedBan> bans = new ArrayList<>(tracked.values());
        bans.sort(BY_START);
        List<BanStatus> statuses = new ArrayList<>(bans.size());
        for (TrackedBan ban : bans) {
            statuses.add(ban.status(banRetries.due(ban.key()).orElse(null)));
        }
        return new EnforcerStatus(statuses, pendingUnbans.size(), counters());
    }

    public synchronized EnforcerCounters counters() {
        return new EnforcerCounters(applied, failed, retried, reconciled, unbans, unbanFailures, storeFailures);
    }

    /**
     * Closes the actions. Bans stay in force in the firewall (with their kernel timeouts) and in the store, for the
     * next {@link #start()}; this is not a tear-down.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (ConfiguredAction action : actions) {
            closeQuietly(action.firewall());
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** Tracks, saves and applies new bans, replacing any earlier state of the same address and jail. */
    private void enforce(List<Ban> bans) {
        Instant now = clock.instant();
        Map<ConfiguredAction, List<TrackedBan>> work = new HashMap<>();
        List<TrackedBan> fresh = new ArrayList<>(bans.size());
        for (Ban ban : bans) {
            TrackedBan entry = track(ban);
            fresh.add(entry);
            for (ConfiguredAction action : actionsByJail.getOrDefault(ban.jail(), List.of())) {
                work.computeIfAbsent(action, a -> new ArrayList<>()).add(entry);
            }
        }
        try {
            store.saveAll(bans);
        } catch (StoreException e) {
            storeFailures++;
            LOG.atDebug().addKeyValue(LogFields.COUNT, bans.size()).addKeyValue(LogFields.REASON, e.getMessage())
                    .log("bans not saved; they are enforced but will not survive a restart");
        }
        settle(fresh, runBans(work).sent, now);
        boolean detailed = fresh.size() <= 100;
        for (TrackedBan entry : fresh) {
            Ban ban = entry.ban();
            if (detailed || !entry.complete()) {
                LOG.atInfo()
                        .addKeyValue(LogFields.SOURCE_IP, ban.ip())
                        .addKeyValue(LogFields.JAIL, ban.jail())
                        .addKeyValue(LogFields.BAN_END, ban.permanent() ? "permanent" : ban.end().toString())
                        .log(entry.complete() ? "ban enforced" : "ban not yet enforced everywhere; retrying");
            }
        }
        if (!detailed) {
            LOG.atInfo().addKeyValue(LogFields.COUNT, fresh.size()).log("bans enforced");
        }
    }

    private TrackedBan track(Ban ban) {
        BanKey key = BanKey.of(ban);
        TrackedBan entry = new TrackedBan(ban, actionsByJail.getOrDefault(ban.jail(), List.of()));
        tracked.put(key, entry);
        banRetries.cancel(key);
        // Banned again before an earlier lift went through: the new ban puts the address back anyway.
        if (pendingUnbans.remove(key) != null) {
            unbanRetries.cancel(key);
        }
        return entry;
    }

    private void untrack(BanKey key) {
        tracked.remove(key);
        banRetries.cancel(key);
    }

    private void liftByHand(List<Ban> lifted) {
        if (lifted.isEmpty()) {
            return;
        }
        for (Ban ban : lifted) {
            untrack(BanKey.of(ban));
        }
        // Out of the store first: a restart must not bring back a ban lifted by hand.
        removeFromStore(lifted);
        lift(lifted, false, clock.instant());
        for (Ban ban : lifted) {
            LOG.atInfo().addKeyValue(LogFields.SOURCE_IP, ban.ip()).addKeyValue(LogFields.JAIL, ban.jail())
                    .log("ban lifted by hand");
        }
    }

    /**
     * Applies each action's share of {@code work}, one call per action in configuration order, and records the
     * outcome on every ban. Each address is sent with the longest ban any jail holds for it in that action's target,
     * so a short ban never shortens a long one's kernel timeout.
     */
    private Tally runBans(Map<ConfiguredAction, List<TrackedBan>> work) {
        Tally tally = new Tally();
        for (ConfiguredAction action : actions) {
            List<TrackedBan> share = work.get(action);
            if (share == null || share.isEmpty()) {
                continue;
            }
            Map<String, Ban> byIp = new LinkedHashMap<>();
            for (TrackedBan entry : share) {
                byIp.computeIfAbsent(entry.ban().ip(), ip -> longestHeld(action, entry.ban()));
            }
            BanOutcome outcome = call(action, true, byIp);
            Set<String> done = new HashSet<>(outcome.applied());
            int failures = 0;
            String firstReason = null;
            for (String ip : byIp.keySet()) {
                if (done.contains(ip)) {
                    tally.applied++;
                } else {
                    failures++;
                    firstReason = firstReason == null ? reason(outcome, ip) : firstReason;
                }
            }
            tally.failed += failures;
            for (TrackedBan entry : share) {
                tally.sent.add(entry);
                String ip = entry.ban().ip();
                if (done.contains(ip)) {
                    entry.applied(action);
                } else {
                    entry.failed(action, reason(outcome, ip));
                    LOG.atDebug().addKeyValue(LogFields.ACTION, action.label())
                            .addKeyValue(LogFields.SOURCE_IP, ip).addKeyValue(LogFields.JAIL, entry.ban().jail())
                            .addKeyValue(LogFields.REASON, reason(outcome, ip)).log("ban not applied");
                }
            }
            if (failures > 0) {
                LOG.atWarn()
                        .addKeyValue(LogFields.ACTION, action.label())
                        .addKeyValue(LogFields.FAILED, failures)
                        .addKeyValue(LogFields.COUNT, byIp.size())
                        .addKeyValue(LogFields.REASON, firstReason)
                        .log("firewall action failed to apply bans; retrying");
            }
        }
        applied += tally.applied;
        failed += tally.failed;
        return tally;
    }

    /**
     * After a round: marks complete bans applied in the store and cancels their retries; for a ban still failing
     * somewhere that was {@code sent} in this round (or has no retry yet), schedules the next retry one step further
     * along the backoff.
     */
    private void settle(Collection<TrackedBan> entries, Set<TrackedBan> sent, Instant now) {
        List<Ban> complete = new ArrayList<>();
        List<TrackedBan> newlyComplete = new ArrayList<>();
        for (TrackedBan entry : entries) {
            if (tracked.get(entry.key()) != entry) {
                continue;
            }
            if (entry.complete()) {
                entry.succeeded();
                banRetries.cancel(entry.key());
                if (!entry.markedApplied()) {
                    complete.add(entry.ban());
                    newlyComplete.add(entry);
                }
            } else if (!entry.failedActions().isEmpty()
                    && (sent.contains(entry) || banRetries.due(entry.key()).isEmpty())) {
                int failures = entry.failedAgain();
                Instant due = now.plus(options.retryDelay(failures));
                banRetries.schedule(entry.key(), due);
                LOG.atDebug().addKeyValue(LogFields.SOURCE_IP, entry.ban().ip())
                        .addKeyValue(LogFields.JAIL, entry.ban().jail()).addKeyValue(LogFields.ATTEMPT, failures)
                        .addKeyValue(LogFields.RETRY_AT, due.toString()).log("ban retry scheduled");
            }
        }
        if (complete.isEmpty()) {
            return;
        }
        try {
            store.markApplied(complete);
            newlyComplete.forEach(TrackedBan::markApplied);
        } catch (StoreException e) {
            storeFailures++;
            LOG.atDebug().addKeyValue(LogFields.COUNT, complete.size()).addKeyValue(LogFields.REASON, e.getMessage())
                    .log("bans not marked applied in the store");
        }
    }

    /**
     * Lifts {@code bans}, already out of the jails and untracked, from their jails' actions, one call per action.
     * An address another jail still bans into the same target stays there. What fails is retried; with
     * {@code stored}, the ban stays in the store until lifted everywhere, so a restart lifts it again.
     *
     * @return addresses that failed to lift, per action
     */
    private int lift(List<Ban> bans, boolean stored, Instant now) {
        if (bans.isEmpty()) {
            return 0;
        }
        Map<ConfiguredAction, List<Ban>> work = new HashMap<>();
        for (Ban ban : bans) {
            for (ConfiguredAction action : actionsByJail.getOrDefault(ban.jail(), List.of())) {
                work.computeIfAbsent(action, a -> new ArrayList<>()).add(ban);
            }
        }
        Map<Ban, Set<ConfiguredAction>> failures = runUnbans(work);
        List<Ban> lifted = new ArrayList<>();
        int failedAddresses = 0;
        for (Ban ban : bans) {
            BanKey key = BanKey.of(ban);
            Set<ConfiguredAction> failing = failures.get(ban);
            if (failing == null) {
                if (stored && !tracked.containsKey(key)) {
                    lifted.add(ban);
                }
                continue;
            }
            failedAddresses += failing.size();
            pendingUnbans.put(key, new PendingUnban(ban, failing, stored));
            unbanRetries.schedule(key, now.plus(options.retryDelay(1)));
        }
        if (stored) {
            removeFromStore(lifted);
        }
        return failedAddresses;
    }

    /**
     * Unbans each action's share of {@code work}, one call per action, skipping addresses another jail still bans
     * into that action's target (their timeout is brought down to that ban's when the lifted one outlasted it).
     *
     * @return the bans that failed to lift, with the actions that failed them
     */
    private Map<Ban, Set<ConfiguredAction>> runUnbans(Map<ConfiguredAction, List<Ban>> work) {
        Map<Ban, Set<ConfiguredAction>> failures = new HashMap<>();
        for (ConfiguredAction action : actions) {
            List<Ban> share = work.get(action);
            if (share == null || share.isEmpty()) {
                continue;
            }
            Map<String, Ban> toLift = new LinkedHashMap<>();
            Map<String, Ban> toShorten = new LinkedHashMap<>();
            List<Ban> lifting = new ArrayList<>();
            for (Ban ban : share) {
                Ban holder = longestHeld(action, null, ban.ip());
                if (holder == null) {
                    toLift.putIfAbsent(ban.ip(), ban);
                    lifting.add(ban);
                } else if (outlasts(ban, holder)) {
                    toShorten.put(ban.ip(), holder);
                }
            }
            if (!toLift.isEmpty()) {
                BanOutcome outcome = call(action, false, toLift);
                Set<String> done = new HashSet<>(outcome.applied());
                int failuresHere = 0;
                String firstReason = null;
                for (String ip : toLift.keySet()) {
                    if (done.contains(ip)) {
                        unbans++;
                    } else {
                        unbanFailures++;
                        failuresHere++;
                        firstReason = firstReason == null ? reason(outcome, ip) : firstReason;
                    }
                }
                for (Ban ban : lifting) {
                    if (!done.contains(ban.ip())) {
                        failures.computeIfAbsent(ban, b -> new LinkedHashSet<>()).add(action);
                    }
                }
                if (failuresHere > 0) {
                    LOG.atWarn()
                            .addKeyValue(LogFields.ACTION, action.label())
                            .addKeyValue(LogFields.FAILED, failuresHere)
                            .addKeyValue(LogFields.COUNT, toLift.size())
                            .addKeyValue(LogFields.REASON, firstReason)
                            .log("firewall action failed to lift bans; retrying");
                }
            }
            if (!toShorten.isEmpty()) {
                BanOutcome outcome = call(action, true, toShorten);
                if (!outcome.complete()) {
                    LOG.atWarn().addKeyValue(LogFields.ACTION, action.label())
                            .addKeyValue(LogFields.FAILED, outcome.failed().size())
                            .log("timeouts of bans still held by another jail not shortened; they last longer");
                }
            }
        }
        return failures;
    }

    /**
     * Asks each action which of its jails' bans it lacks and applies those, one call per action. Bans it has are
     * recorded as applied.
     *
     * @param reapplyUnchecked whether an action that cannot answer gets every ban again: at start, where nothing is
     *                         known yet (banning is idempotent and opens no window); not when reconciling
     */
    private Reapplied reapplyMissing(Instant now, boolean reapplyUnchecked) {
        Reapplied result = new Reapplied();
        Map<String, List<TrackedBan>> byJail = new HashMap<>();
        List<TrackedBan> inForce = new ArrayList<>();
        for (TrackedBan entry : tracked.values()) {
            if (!entry.ban().endsBy(now)) {
                byJail.computeIfAbsent(entry.ban().jail(), j -> new ArrayList<>()).add(entry);
                inForce.add(entry);
            }
        }
        Map<ConfiguredAction, List<TrackedBan>> work = new HashMap<>();
        for (ConfiguredAction action : actions) {
            List<TrackedBan> share = new ArrayList<>();
            for (String jail : action.jails()) {
                share.addAll(byJail.getOrDefault(jail, List.of()));
            }
            if (share.isEmpty()) {
                continue;
            }
            Map<String, Ban> byIp = new LinkedHashMap<>();
            for (TrackedBan entry : share) {
                byIp.computeIfAbsent(entry.ban().ip(), ip -> longestHeld(action, entry.ban()));
            }
            Set<String> missing;
            try {
                missing = action.firewall().missing(List.copyOf(byIp.values()));
            } catch (ActionException | RuntimeException e) {
                result.unchecked++;
                LOG.atWarn()
                        .addKeyValue(LogFields.ACTION, action.label())
                        .addKeyValue(LogFields.REASON, message(e))
                        .log(reapplyUnchecked ? "cannot list the firewall's bans; applying them all again"
                                : "cannot list the firewall's bans; checking again next time");
                if (!reapplyUnchecked) {
                    continue;
                }
                missing = byIp.keySet();
            }
            result.checked += byIp.size();
            List<TrackedBan> lost = new ArrayList<>();
            for (TrackedBan entry : share) {
                if (missing.contains(entry.ban().ip())) {
                    lost.add(entry);
                } else {
                    entry.applied(action);
                }
            }
            if (!lost.isEmpty()) {
                work.put(action, lost);
                result.byAction.put(action.label(), lost.size());
            }
        }
        Tally tally = runBans(work);
        result.applied = tally.applied;
        result.failed = tally.failed;
        reconciled += tally.applied;
        settle(inForce, tally.sent, now);
        return result;
    }

    /** The longest ban of {@code ban}'s address held by a jail of {@code action}'s target, {@code ban} included. */
    private Ban longestHeld(ConfiguredAction action, Ban ban) {
        Ban longest = longestHeld(action, ban, ban.ip());
        return longest == null ? ban : longest;
    }

    private Ban longestHeld(ConfiguredAction action, Ban start, String ip) {
        Ban longest = start;
        for (String jail : jailsByTarget.getOrDefault(action.target(), Set.of())) {
            TrackedBan held = tracked.get(new BanKey(ip, jail));
            if (held != null && (longest == null || outlasts(held.ban(), longest))) {
                longest = held.ban();
            }
        }
        return longest;
    }

    /** True when {@code a} ends after {@code b}. */
    private static boolean outlasts(Ban a, Ban b) {
        if (a.permanent()) {
            return !b.permanent();
        }
        return !b.permanent() && a.end().isAfter(b.end());
    }

    /** One ban or unban call; an exception becomes a failure of every address in it. */
    private static BanOutcome call(ConfiguredAction action, boolean ban, Map<String, Ban> byIp) {
        List<Ban> bans = List.copyOf(byIp.values());
        try {
            BanOutcome outcome = ban ? action.firewall().ban(bans) : action.firewall().unban(bans);
            return Objects.requireNonNull(outcome, "outcome");
        } catch (ActionException | RuntimeException e) {
            Map<String, String> failures = new LinkedHashMap<>();
            String reason = message(e);
            byIp.keySet().forEach(ip -> failures.put(ip, reason));
            return new BanOutcome(List.of(), failures);
        }
    }

    private static String reason(BanOutcome outcome, String ip) {
        String reason = outcome.failed().get(ip);
        return reason != null ? reason : "the action reported no outcome for " + ip;
    }

    private static String message(Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getName();
    }

    private void removeFromStore(List<Ban> bans) {
        if (bans.isEmpty()) {
            return;
        }
        try {
            store.removeAll(bans);
        } catch (StoreException e) {
            storeFailures++;
            LOG.atDebug().addKeyValue(LogFields.COUNT, bans.size()).addKeyValue(LogFields.REASON, e.getMessage())
                    .log("lifted bans not removed from the store; a restart may bring them back until they end");
        }
    }

    private static void closeQuietly(FirewallAction action) {
        try {
            action.close();
        } catch (ActionException | RuntimeException e) {
            LOG.atWarn().addKeyValue(LogFields.ACTION, action.name()).addKeyValue(LogFields.REASON, message(e))
                    .log("firewall action did not close cleanly");
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("enforcer is closed");
        }
    }

    private void requireStarted() {
        requireOpen();
        if (!started) {
            throw new IllegalStateException("enforcer not started: call start() first");
        }
    }

    /** Addresses applied and failed in one round, per action. */
    private static final class Tally {
        int applied;
        int failed;
        /** The bans sent to some action (identity: each is tracked once). */
        final Set<TrackedBan> sent = new HashSet<>();
    }

    /** One round of {@link #reapplyMissing}. */
    private static final class Reapplied {
        /** Bans each action had lost, by label. */
        final Map<String, Integer> byAction = new LinkedHashMap<>();
        int checked;
        int applied;
        int failed;
        int unchecked;
    }
}
