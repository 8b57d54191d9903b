package org.tollgate.banner.jail;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.tollgate.normalizer.address.IpLiteral;
import org.tollgate.normalizer.message.EventAction;

/**
 * Counts failures per source address in a sliding findtime window and bans an address at maxretry, the way
 * fail2ban does. Time is log time: the window is measured on the failures' own timestamps, so a replay of an old log
 * bans exactly as the live run would have. The clock only says how old is too old: a failure older than findtime,
 * or one whose ban would already be over, is counted as stale and skipped, so reading a backlog at start does not
 * ban for last week.
 *
 * <p>Never banned: addresses in ignoreip, the host's own addresses (ignoreself), and sources an attacker could
 * have written, unless the jail says {@code trust: any}.
 *
 * <p>Memory is bounded by maxtracked addresses, each holding at most maxretry timestamps and a few attempt ids
 * ({@link TrackedAddresses}); a ban forgets both. Not thread-safe:
 * {@link Jails} serialises calls.
 */
public sealed class Jail permits RecidiveJail {

    private final JailSettings settings;
    private final BanHistory history;
    private final InstantSource clock;
    private final RandomGenerator random;
    private final TrackedAddresses tracked;
    private final boolean countAttempts;
    private final ActiveBans active = new ActiveBans();
    private final RecentFailures recent;
    private final BanEvidence evidence;
    private AddressMatcher ignored;
    private AddressMatcher host = AddressMatcher.NONE;
    private AddressMatcher allowList = AddressMatcher.NONE;

    private long counted;
    private long ignoredCount;
    private long untrusted;
    private long unmatched;
    private long invalid;
    private long stale;
    private long whileBanned;
    private long sameAttempt;
    private long bans;

    /**
     * @param settings      a failure jail's settings ({@code source: failures}); see {@link #create}
     * @param hostAddresses the host's own addresses, ignored when the jail has ignoreself
     * @param history       earlier bans, for increments; the jail records its own bans there
     * @param clock         the present, to tell stale failures from current ones
     * @param random        for bantime.rndtime
     */
    public Jail(JailSettings settings, AddressMatcher hostAddresses, BanHistory history, InstantSource clock,
                RandomGenerator random) {
        this(settings, hostAddresses, history, clock, random, null);
    }

    /**
     * As above; with {@code evidence}, a jail with alert actions keeps the failures it counts and records, for each
     * ban it makes, those that led to it there.
     */
    public Jail(JailSettings settings, AddressMatcher hostAddresses, BanHistory history, InstantSource clock,
                RandomGenerator random, BanEvidence evidence) {
        this.settings = Objects.requireNonNull(settings, "settings");
        if (settings.source() == JailSettings.Source.BANS && !(this instanceof RecidiveJail)) {
            throw new IllegalArgumentException("jail " + settings.name() + " counts bans; build it as a RecidiveJail");
        }
        this.history = Objects.requireNonNull(history, "history");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.tracked = new TrackedAddresses(settings.maxretry(), settings.findtime().toMillis(), settings.maxTracked());
        this.countAttempts = settings.count() == JailSettings.Count.ATTEMPTS;
        boolean keep = evidence != null && !settings.alerts().isEmpty() && settings.source() == JailSettings.Source.FAILURES;
        this.evidence = keep ? evidence : null;
        this.recent = keep ? new RecentFailures(settings.maxretry()) : null;
        useHostAddresses(hostAddresses);
    }

    /** A {@link Jail} or a {@link RecidiveJail}, as the settings' source says. */
    public static Jail create(JailSettings settings, AddressMatcher hostAddresses, BanHistory history,
                              InstantSource clock, RandomGenerator random) {
        return create(settings, hostAddresses, history, clock, random, null);
    }

    /** As above, recording the evidence of its bans in {@code evidence} (null: none). */
    public static Jail create(JailSettings settings, AddressMatcher hostAddresses, BanHistory history,
                              InstantSource clock, RandomGenerator random, BanEvidence evidence) {
        return settings.source() == JailSettings.Source.BANS
                ? new RecidiveJail(settings, hostAddresses, history, clock, random)
                : new Jail(settings, hostAddresses, history, clock, random, evidence);
    }

    public String name() {
        return settings.name();
    }

    public JailSettings settings() {
        return settings;
    }

    /**
     * Counts {@code failure}; returns the ban it triggers, if any. What a user's fail2ban filter found
     * ({@code custom:<filter>}) counts only in the jails that name that filter, whatever {@code match} says, and only
     * with {@code trust: custom} or {@code any}: the filter's author, not Tollgate, knows whether its address is the
     * peer's.
     */
    public Optional<Ban> offer(Failure failure) {
        if (failure.action().startsWith(JailSettings.CUSTOM_PREFIX)) {
            if (settings.filters().isEmpty()
                    || !settings.filters().contains(failure.action().substring(JailSettings.CUSTOM_PREFIX.length()))) {
                unmatched++;
                return Optional.empty();
            }
            if (settings.trust() == JailSettings.Trust.TRUSTED) {
                untrusted++;
                return Optional.empty();
            }
            return count(failure.sourceIp(), failure.timestamp(), failure.attemptId(), failure);
        }
        if (!failure.sourceTrusted() && settings.trust() != JailSettings.Trust.ANY) {
            untrusted++;
            return Optional.empty();
        }
        // Without match every failure line counts; a scanner signal (an event made from lines) only when named.
        if ((settings.match().isEmpty() ? failure.action().startsWith(EventAction.SCAN_PREFIX)
                : !settings.match().contains(failure.action())) || !placeMatches(failure)) {
            unmatched++;
            return Optional.empty();
        }
        return count(failure.sourceIp(), failure.timestamp(), failure.attemptId(), failure);
    }

    /** True when the failure's place has, for each geo or AS field the jail matches on, one of its values. */
    private boolean placeMatches(Failure failure) {
        for (Map.Entry<String, Set<String>> field : settings.geoMatch().entrySet()) {
            String value = failure.geoField(field.getKey());
            if (value == null || !field.getValue().contains(JailSettings.geoValue(field.getKey(), value))) {
                return false;
            }
        }
        return true;
    }

    /** Counts one event of {@code rawIp} at {@code at} into its window; bans at maxretry. */
    final Optional<Ban> count(String rawIp, Instant at) {
        return count(rawIp, at, null, null);
    }

    /**
     * {@link #count(String, Instant)} for a line of attempt {@code attemptId} (null: a line of its own): with
     * {@code count: attempts} only an attempt's first line counts, at once. {@code failure} is what is counted, kept
     * for the ban's evidence (null: a ban counted by a recidive jail).
     */
    private Optional<Ban> count(String rawIp, Instant at, String attemptId, Failure failure) {
        byte[] address = IpLiteral.toBytes(rawIp);
        if (address == null || !IpLiteral.isBannable(address)) {
            invalid++;
            return Optional.empty();
        }
        if (ignored.matches(address)) {
            ignoredCount++;
            return Optional.empty();
        }
        String ip = canonical(rawIp, address);
        Instant now = clock.instant();
        if (at.isBefore(now.minus(settings.findtime()))) {
            stale++;
            return Optional.empty();
        }
        Ban current = active.get(ip);
        if (current != null && !current.endsBy(at)) {
            whileBanned++;
            return Optional.empty();
        }
        int inWindow = tracked.add(ip, at.toEpochMilli(), countAttempts ? attemptId : null);
        if (inWindow == TrackedAddresses.SAME_ATTEMPT) {
            sameAttempt++;
            return Optional.empty();
        }
        counted++;
        if (recent != null && failure != null) {
            recent.add(ip, failure);
        }
        if (inWindow < settings.maxretry()) {
            return Optional.empty();
        }
        tracked.forget(ip);
        Ban ban = sentence(ip, at, inWindow);
        if (ban.endsBy(now)) {
            stale++;
            forgetRecent(ip);
            return Optional.empty();
        }
        put(ban);
        if (recent != null) {
            evidence.record(ban, new Evidence(recent.take(ip, at.minus(settings.findtime()))));
        }
        return Optional.of(ban);
    }

    /**
     * Bans {@code ip} by hand (from the API), with this jail's bantime and increments.
     *
     * @throws IllegalArgumentException when {@code ip} is not an IP literal or is never to be banned here
     */
    public Ban ban(String ip, Instant at) {
        byte[] address = IpLiteral.toBytes(ip);
        if (address == null) {
            throw new IllegalArgumentException("'" + ip + "' is not an IP address");
        }
        String unbannable = IpLiteral.unbannable(address);
        if (unbannable != null) {
            throw new IllegalArgumentException(ip + " is " + unbannable + "; it is never banned");
        }
        if (ignored.matches(address)) {
            throw new IllegalArgumentException(ip + " is in jail " + name() + "'s ignoreip or is this host's own address");
        }
        String canonical = canonical(ip, address);
        tracked.forget(canonical);
        forgetRecent(canonical);
        Ban ban = sentence(canonical, at, 0);
        put(ban);
        return ban;
    }

    /** Lifts this jail's ban of {@code ip} early, forgetting its failures too. */
    public Optional<Ban> unban(String ip) {
        byte[] address = IpLiteral.toBytes(ip);
        if (address == null) {
            return Optional.empty();
        }
        String canonical = canonical(ip, address);
        tracked.forget(canonical);
        forgetRecent(canonical);
        return Optional.ofNullable(active.remove(canonical));
    }

    /** This jail's ban of {@code ip} (canonical), if it holds one. */
    public Optional<Ban> held(String ip) {
        return Optional.ofNullable(active.get(ip));
    }

    /**
     * This jail under new settings (same name and source; {@code tollgate reload}): a new jail that holds this one's
     * bans in force, failure windows (cut to the new maxretry and findtime; an address already at the new maxretry is
     * banned at its next failure), attempts, recent lines and counters.
     *
     * @param evidence where the new jail records its bans' evidence, as {@link #create}
     */
    public Jail reconfigured(JailSettings next, BanEvidence evidence) {
        if (!next.name().equals(name()) || next.source() != settings.source()) {
            throw new IllegalArgumentException("jail " + name() + " cannot become " + next.name() + " counting "
                    + next.source() + " in place");
        }
        Jail jail = create(next, host, history, clock, random, evidence);
        jail.useAllowList(allowList);
        tracked.copyInto(jail.tracked, countAttempts && jail.countAttempts);
        if (recent != null && jail.recent != null) {
            recent.copyInto(jail.recent);
        }
        active.all().forEach(jail.active::add);
        jail.counted = counted;
        jail.ignoredCount = ignoredCount;
        jail.untrusted = untrusted;
        jail.unmatched = unmatched;
        jail.invalid = invalid;
        jail.stale = stale;
        jail.whileBanned = whileBanned;
        jail.sameAttempt = sameAttempt;
        jail.bans = bans;
        return jail;
    }

    /** Puts a ban read back from the store in force again, without recording it as a new one. */
    public void restore(Ban ban) {
        if (!ban.jail().equals(name())) {
            throw new IllegalArgumentException("ban of " + ban.ip() + " belongs to jail " + ban.jail() + ", not " + name());
        }
        active.add(ban);
    }

    /**
     * Counts a past event of {@code ip} into its window without banning: rebuilds a window from stored history
     * after a restart. Ignored addresses and events older than findtime are skipped as in {@link #count}.
     */
    void remember(String ip, Instant at) {
        byte[] address = IpLiteral.toBytes(ip);
        if (address == null || ignored.matches(address) || at.isBefore(clock.instant().minus(settings.findtime()))) {
            return;
        }
        tracked.add(canonical(ip, address), at.toEpochMilli(), null);
    }

    /** Empties the window of {@code ip}, as a ban does. */
    void forgetWindow(String ip) {
        tracked.forget(ip);
        forgetRecent(ip);
    }

    private void forgetRecent(String ip) {
        if (recent != null) {
            recent.forget(ip);
        }
    }

    /** Removes and returns the bans over at {@code now}; forgets addresses with nothing left in their window. */
    public List<Ban> expire(Instant now) {
        tracked.purge(now.minus(settings.findtime()).toEpochMilli());
        return active.expire(now);
    }

    /** The bans in force. */
    public Collection<Ban> active() {
        return new ArrayList<>(active.all());
    }

    /** Updates the addresses ignoreself protects (they can change with DHCP or a new interface). */
    public final void useHostAddresses(AddressMatcher hostAddresses) {
        this.host = Objects.requireNonNull(hostAddresses, "hostAddresses");
        ignore();
    }

    /** Never bans the shield's allow list either (read again whenever its file changes). */
    public final void useAllowList(AddressMatcher allowed) {
        this.allowList = Objects.requireNonNull(allowed, "allowed");
        ignore();
    }

    private void ignore() {
        AddressMatcher base = allowList.isEmpty() ? settings.ignoreip() : settings.ignoreip().union(allowList);
        this.ignored = settings.ignoreself() ? base.union(host) : base;
    }

    public JailStats stats() {
        return new JailStats(name(), counted, ignoredCount, untrusted, unmatched, invalid, stale, whileBanned, bans,
                tracked.evictions(), tracked.size(), active.size(), sameAttempt);
    }

    /** The ban of {@code ip} starting at {@code at}, its length grown by the address's earlier bans. */
    private Ban sentence(String ip, Instant at, int events) {
        BanTimeIncrement increment = settings.increment();
        int previous = increment.overallJails() ? history.banCount(ip) : history.banCount(ip, name());
        Duration bantime = settings.permanent()
                ? JailSettings.PERMANENT
                : increment.apply(settings.bantime(), previous, random);
        return Ban.lasting(ip, name(), at, bantime, events, previous + 1);
    }

    private void put(Ban ban) {
        history.record(ban);
        active.add(ban);
        bans++;
    }

    /** Canonical text: IPv4 parsed strictly is already canonical; IPv6 and mapped forms are rewritten. */
    private static String canonical(String text, byte[] address) {
        if (address.length == 4 && text.indexOf(':') < 0) {
            return text;
        }
        return IpLiteral.format(address);
    }
}
