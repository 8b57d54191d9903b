package org.tollgate.banner.enforce;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.banner.action.FirewallMonitor;
import org.tollgate.banner.BanPathEvent;
import org.tollgate.banner.LogFields;
import org.tollgate.banner.jail.Ban;
import org.tollgate.banner.jail.Failure;
import org.tollgate.banner.jail.JailSettings;
import org.tollgate.banner.jail.Jails;
import org.tollgate.banner.store.BanStore;

/**
 * Enforces the jails' decisions: every ban and lift goes through here, so that the jails, the store and the
 * firewall agree. A short façade over the parts that do the work:
 * <ul>
 *   <li>{@link ActionRouting}: which actions enforce which jail, built once;</li>
 *   <li>{@link BanLedger}: the state (bans in force, lifts to finish, retry schedules, counters), pure, publishing
 *       an immutable {@link EnforcerStatus} after each change;</li>
 *   <li>{@link ActionRound}: one call per action for a batch of bans or lifts, the only firewall I/O;</li>
 *   <li>{@link Restore} at start, {@link Reconcile} when a firewall lost bans, {@link Lifts} and
 *       {@link BanWrites} (the store; new bans written beside their firewall calls).</li>
 * </ul>
 *
 * <p>A firewall failure never escapes: it is recorded on the ban, counted, logged, and retried with exponential
 * backoff by {@link #retryDue}. A failed store write is counted and the firewall side goes on.
 *
 * <p>Threads: one owner calls the changing methods, one at a time (in the service, the banner's ordered worker
 * queue); each may block up to the command runner's timeout per firewall call. They take no lock: a second thread
 * calling in while one is inside gets an {@link IllegalStateException} ({@link OneCaller}). {@link #status()}
 * and {@link #counters()} take no lock: they read the last published snapshot and never wait, whatever call is
 * running.
 */
@SuppressWarnings("try") // each changing method holds a OneCaller turn for its whole body without using it
public final class Enforcer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Enforcer.class);

    private final Jails jails;
    private final InstantSource clock;
    private final Duration historyWindow;
    private final ActionRouting routing;
    private final BanLedger ledger;
    private final ActionRound round;
    private final BanWrites writes;
    private final Lifts lifts;
    private final Reconcile reconcile;
    private final Restore restore;

    private final OneCaller caller = new OneCaller("the enforcer");
    /** A throwaway enforcer of the {@link WarmUp}: its bans are logged at debug, and not recorded as ban path steps. */
    private final boolean dry;
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
        this(jails, store, clock, factory, options, false);
    }

    /**
     * A throwaway enforcer for the {@link WarmUp}, started without a restore (its actions are not set up): its bans
     * go through the same code as real ones, logged at debug.
     */
    static Enforcer dryRun(Jails jails, BanStore store, InstantSource clock, ActionFactory factory) {
        Enforcer dry = new Enforcer(jails, store, clock, factory, EnforcerOptions.DEFAULTS, true);
        dry.started = true;
        return dry;
    }

    private Enforcer(Jails jails, BanStore store, InstantSource clock, ActionFactory factory, EnforcerOptions options,
                     boolean dry) {
        this.dry = dry;
        this.jails = Objects.requireNonNull(jails, "jails");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(options, "options");
        this.routing = new ActionRouting(jails.settings(), Objects.requireNonNull(factory, "factory"));
        this.ledger = new BanLedger(routing, options);
        this.round = new ActionRound(routing, ledger);
        this.writes = new BanWrites(store, ledger);
        this.lifts = new Lifts(routing, ledger, round, writes);
        this.reconcile = new Reconcile(routing, ledger, round, writes);
        this.restore = new Restore(jails, store, routing, ledger, writes, lifts, reconcile);
        this.historyWindow = options.historyWindow().compareTo(routing.longestFindtime()) >= 0
                ? options.historyWindow() : routing.longestFindtime();
    }

    /**
     * Sets up every action and puts the stored bans back in force ({@link Restore}). Call once, before anything else.
     *
     * @throws org.tollgate.banner.store.StoreException when the store cannot be read
     */
    public RestoreReport start() {
        try (OneCaller.Turn turn = caller.enter()) {
            requireOpen();
            if (started) {
                throw new IllegalStateException("enforcer already started");
            }
            started = true;
            try {
                return restore.run(clock.instant(), historyWindow);
            } finally {
                ledger.publish();
            }
        }
    }

    /**
     * Runs the ban path dry ({@link WarmUp}: a throwaway enforcer banning documentation addresses through throwaway
     * jails, store and actions, the real store's writes rehearsed and rolled back, each usable action asked whether
     * two documentation addresses are banned), so that the first ban after start is not a cold one. Changes nothing:
     * no jail, ban, store row or firewall entry. The service calls it once after {@link #start()}.
     *
     * @return how many bans the throwaway enforcer made
     */
    public int warmUp() {
        try (OneCaller.Turn turn = caller.enter()) {
            requireStarted();
            return WarmUp.run(List.copyOf(jails.settings().values()), routing, writes, clock);
        }
    }

    /** Counts {@code failure} in the jails and enforces the bans it triggers; returns them. */
    public List<Ban> onFailure(Failure failure) {
        try (OneCaller.Turn turn = caller.enter()) {
            return onFailures(List.of(failure));
        }
    }

    /**
     * Counts {@code failures} in order, then enforces every ban they trigger together: one call per action however
     * many, so a burst of attackers costs a burst of bans in one firewall transaction, not one each.
     */
    public List<Ban> onFailures(List<Failure> failures) {
        return onFailures(failures, Jails.ALL_SCOPES);
    }

    /** As {@link #onFailures(List)}, counted only by the failure jails of {@code scopes}. */
    public List<Ban> onFailures(List<Failure> failures, Set<JailSettings.Scope> scopes) {
        try (OneCaller.Turn turn = caller.enter()) {
            requireStarted();
            List<Ban> bans = new ArrayList<>();
            for (Failure failure : failures) {
                bans.addAll(jails.offer(failure, scopes));
            }
            if (!bans.isEmpty()) {
                enforce(bans);
            }
            return bans;
        }
    }

    /**
     * Bans {@code ip} by hand in {@code jail} (the API's ban), with the jail's bantime and increments.
     *
     * @throws IllegalArgumentException for an unknown jail, a non-IP, or an address the jail never bans
     */
    public Ban ban(String ip, String jail) {
        try (OneCaller.Turn turn = caller.enter()) {
            requireStarted();
            Ban ban = jails.ban(ip, jail, clock.instant());
            enforce(List.of(ban));
            return ban;
        }
    }

    /**
     * Enforces bans made elsewhere: puts those the jails do not hold yet in force there, saves and applies them all.
     *
     * @throws IllegalArgumentException when a ban names a jail that is not running; nothing is applied then
     */
    public void applyBans(List<Ban> bans) {
        try (OneCaller.Turn turn = caller.enter()) {
            requireStarted();
            for (Ban ban : bans) {
                if (!routing.runs(ban.jail())) {
                    throw new IllegalArgumentException("ban of " + ban.ip() + " names jail '" + ban.jail()
                            + "', which is not running; running: " + String.join(", ", routing.jails()));
                }
            }
            if (bans.isEmpty()) {
                return;
            }
            Set<Ban> held = new HashSet<>(jails.active());
            jails.restore(bans.stream().filter(ban -> !held.contains(ban)).toList());
            enforce(bans);
        }
    }

    /**
     * Enforces bans another cluster node decided: each goes in force in its jail here, is saved and applied, unless
     * its jail does not run here or already holds a ban of the address (the first ban in force stands, so two nodes
     * that decide at once never ban an address twice, and a ban is never replaced back and forth).
     *
     * @return the bans put in force, in the order given
     */
    public List<Ban> applyShared(List<Ban> bans) {
        try (OneCaller.Turn turn = caller.enter()) {
            requireStarted();
            Instant now = clock.instant();
            List<Ban> fresh = new ArrayList<>();
            for (Ban ban : bans) {
                if (ban.endsBy(now) || !routing.runs(ban.jail()) || jails.held(ban.ip(), ban.jail()).isPresent()) {
                    continue;
                }
                jails.adopt(ban);
                fresh.add(ban);
            }
            if (!fresh.isEmpty()) {
                enforce(fresh);
            }
            return fresh;
        }
    }

    /**
     * Lifts the ban of {@code ip} in {@code jail} that another cluster node lifted by hand at {@code at}: the ban held
     * here if it started at or before then (a ban that started later is a new offence and stands).
     */
    public Optional<Ban> liftShared(String ip, String jail, Instant at) {
        try (OneCaller.Turn turn = caller.enter()) {
            requireStarted();
            Optional<Ban> held = jails.held(ip, jail);
            if (held.isEmpty() || held.get().start().isAfter(at)) {
                return Optional.empty();
            }
            Optional<Ban> lifted = jails.unban(ip, jail);
            lifted.ifPresent(ban -> liftByHand(List.of(ban)));
            return lifted;
        }
    }

    /** The ban of {@code ip} in {@code jail} in force here, if any. */
    public Optional<Ban> held(String ip, String jail) {
        try (OneCaller.Turn turn = caller.enter()) {
            return jails.held(ip, jail);
        }
    }

    /**
     * Runs running jails under new settings, keeping their bans and counts ({@link Jails#reconfigure}); their
     * firewall actions stay those built at start (a change of actions needs a restart).
     *
     * @throws IllegalArgumentException for a jail that does not run here; nothing is changed then
     */
    public void reconfigure(Collection<JailSettings> next) {
        try (OneCaller.Turn turn = caller.enter()) {
            requireStarted();
            Map<String, JailSettings> running = jails.settings();
            for (JailSettings settings : next) {
                JailSettings now = running.get(settings.name());
                if (now == null || !ActionRouting.entries(now.actions()).equals(ActionRouting.entries(settings.actions()))) {
                    throw new IllegalArgumentException("jail " + settings.name() + ": its actions cannot change while"
                            + " it runs");
                }
            }
            jails.reconfigure(next);
        }
    }

    /** The bans in force, in every jail. */
    public List<Ban> active() {
        try (OneCaller.Turn turn = caller.enter()) {
            return jails.active();
        }
    }

    /** Lifts every ban of {@code ip}, in every jail; returns them. */
    public List<Ban> unban(String ip) {
        try (OneCaller.Turn turn = caller.enter()) {
            requireStarted();
            List<Ban> lifted = jails.unbanEverywhere(ip);
            liftByHand(lifted);
            return lifted;
        }
    }

    /**
     * Lifts the ban of {@code ip} in {@code jail}, if there is one.
     *
     * @throws IllegalArgumentException for an unknown jail
     */
    public Optional<Ban> unban(String ip, String jail) {
        try (OneCaller.Turn turn = caller.enter()) {
            requireStarted();
            Optional<Ban> lifted = jails.unban(ip, jail);
            lifted.ifPresent(ban -> liftByHand(List.of(ban)));
            return lifted;
        }
    }

    /** Lifts the bans over at {@code now}: from the jails, the firewall (in bulk) and the store; returns them. */
    public List<Ban> expireDue(Instant now) {
        try (OneCaller.Turn turn = caller.enter()) {
            requireStarted();
            List<Ban> over = jails.expire(now);
            if (over.isEmpty()) {
                return over;
            }
            over.forEach(ban -> ledger.untrack(BanKey.of(ban)));
            ledger.publish();
            lifts.lift(over, true, now);
            ledger.publish();
            LOG.atInfo().addKeyValue(LogFields.COUNT, over.size()).log("bans expired");
            return over;
        }
    }

    /**
     * Retries the bans and lifts whose retry is due at {@code now}, only in the actions that failed them, one call
     * per action, and writes what the store could not take before; returns how many addresses were retried, per
     * action.
     */
    public int retryDue(Instant now) {
        try (OneCaller.Turn turn = caller.enter()) {
            requireStarted();
            writes.retryUnsaved();
            List<ConfiguredAction> back = routing.probe();
            if (!back.isEmpty()) {
                ledger.retryNow(back, now);
            }
            int attempts = 0;
            Map<ConfiguredAction, List<TrackedBan>> work = new HashMap<>();
            List<TrackedBan> due = ledger.takeDueBans(now);
            for (TrackedBan ban : due) {
                for (ConfiguredAction action : ban.failedActions()) {
                    work.computeIfAbsent(action, a -> new ArrayList<>()).add(ban);
                    attempts++;
                }
            }
            if (!work.isEmpty()) {
                round.ban(work);
                writes.settle(due, new HashSet<>(due), now);
            }
            attempts += lifts.retryDue(now);
            ledger.countRetried(attempts);
            ledger.publish();
            return attempts;
        }
    }

    /** When the next retry is due, if one is scheduled: for a timer, instead of polling {@link #retryDue}. */
    public Optional<Instant> nextRetry() {
        try (OneCaller.Turn turn = caller.enter()) {
            return ledger.nextRetry();
        }
    }

    /**
     * Asks every action which of its jails' bans it no longer has, and puts back only those, one call per action:
     * what brings bans back after {@code firewall-cmd --reload} or {@code nft flush ruleset}. An action that cannot
     * say what it holds is left alone until the next call.
     */
    public ReconcileReport reconcile() {
        try (OneCaller.Turn turn = caller.enter()) {
            return reconcile(null);
        }
    }

    /**
     * As {@link #reconcile()}, after a firewall monitor reported that bans were dropped: what was put back is logged
     * at info with {@code reason}, where a periodic reconcile that finds bans missing warns.
     *
     * @param reason what the monitors reported, or null for a periodic reconcile
     */
    public ReconcileReport reconcile(String reason) {
        try (OneCaller.Turn turn = caller.enter()) {
            requireStarted();
            try {
                return reconcile.run(clock.instant(), reason);
            } finally {
                ledger.publish();
            }
        }
    }

    /**
     * What reports the firewalls' losses at once, one per action that has one: run them with a {@link FirewallWatch}
     * and reconcile on what they report.
     */
    public List<FirewallMonitor> monitors() {
        return routing.monitors();
    }

    /** How far back the ban history matters (increments, recidive windows); older history can be purged. */
    public Duration historyWindow() {
        return historyWindow;
    }

    /** The bans in force with their per-action state, and the counters, as last published: never waits. */
    public EnforcerStatus status() {
        return ledger.snapshot();
    }

    /** The counters as last published: never waits. */
    public EnforcerCounters counters() {
        return ledger.snapshot().counters();
    }

    /**
     * Writes what the store could not take before, if it can now, and closes the actions. Bans stay in force in the
     * firewall (with their kernel timeouts) and in the store, for the next {@link #start()}; this is not a tear-down.
     */
    @Override
    public void close() {
        try (OneCaller.Turn turn = caller.enter()) {
            if (closed) {
                return;
            }
            closed = true;
            // Ban changes a failing store kept in memory are written now if it works again, or lost with the process
            // (the periodic retry may not have come since the disk got room).
            writes.retryUnsaved();
            writes.close();
            routing.close();
        }
    }

    /** Tracks, saves (beside the firewall calls) and applies new bans. */
    private void enforce(List<Ban> bans) {
        mark(BanPathEvent.JAILED, bans);
        Instant now = clock.instant();
        Map<ConfiguredAction, List<TrackedBan>> work = new HashMap<>();
        List<TrackedBan> fresh = new ArrayList<>(bans.size());
        for (Ban ban : bans) {
            TrackedBan entry = ledger.track(ban);
            fresh.add(entry);
            for (ConfiguredAction action : routing.of(ban.jail())) {
                work.computeIfAbsent(action, a -> new ArrayList<>()).add(entry);
            }
        }
        // Written beside the firewall calls, not ahead of them: the entry is in the set a store write sooner. The row
        // is written once the calls return, or by the store's thread if they take longer than BanWrites.BESIDE_AFTER,
        // so it is written whatever the firewall does. A crash in between leaves the ban in force either way: in the
        // store (put back at start) or in the kernel with its own timeout.
        BanWrites.SaveInFlight saving = writes.saveBeside(bans);
        ledger.publish();
        round.ban(work);
        mark(BanPathEvent.APPLIED, bans);
        saving.await();
        mark(BanPathEvent.STORED, bans);
        Set<TrackedBan> sent = new HashSet<>();
        work.values().forEach(sent::addAll);
        writes.settle(fresh, sent, now);
        ledger.publish();
        mark(BanPathEvent.SETTLED, bans);
        boolean detailed = fresh.size() <= 100;
        for (TrackedBan entry : fresh) {
            Ban ban = entry.ban();
            if (detailed || !entry.complete()) {
                (dry ? LOG.atDebug() : LOG.atInfo())
                        .addKeyValue(LogFields.SOURCE_IP, ban.ip())
                        .addKeyValue(LogFields.JAIL, ban.jail())
                        .addKeyValue(LogFields.BAN_END, ban.permanent() ? "permanent" : ban.end().toString())
                        .log(entry.complete() ? "ban enforced" : "ban not yet enforced everywhere; retrying");
            }
        }
        if (!detailed) {
            (dry ? LOG.atDebug() : LOG.atInfo()).addKeyValue(LogFields.COUNT, fresh.size()).log("bans enforced");
        }
    }

    /** A step of the ban path, for each of {@code bans}, when a flight recording asks for it. */
    private void mark(String step, List<Ban> bans) {
        if (!dry && BanPathEvent.recording()) {
            // A loop, not a lambda: a lambda's class would be spun on the first traced ban's way.
            for (Ban ban : bans) {
                BanPathEvent.mark(step, ban.ip());
            }
        }
    }

    private void liftByHand(List<Ban> lifted) {
        if (lifted.isEmpty()) {
            return;
        }
        lifted.forEach(ban -> ledger.untrack(BanKey.of(ban)));
        // Out of the store first: a restart must not bring back a ban lifted by hand.
        writes.remove(lifted);
        ledger.publish();
        lifts.lift(lifted, false, clock.instant());
        ledger.publish();
        for (Ban ban : lifted) {
            LOG.atInfo().addKeyValue(LogFields.SOURCE_IP, ban.ip()).addKeyValue(LogFields.JAIL, ban.jail())
                    .log("ban lifted by hand");
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
}
