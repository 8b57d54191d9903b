package org.tollgate.banner.jail;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The configured jails, run together: every failure goes to each failure jail, and every ban they make goes to each
 * recidive jail. Disabled jails are not run. Calls are serialised, so one instance can be shared by the event loop
 * and the API.
 */
public final class Jails {

    private static final Comparator<Ban> BY_END = Comparator.comparing(Ban::end).thenComparing(Ban::jail)
            .thenComparing(Ban::ip);

    private final Map<String, Jail> byName = new LinkedHashMap<>();
    private final List<Jail> failureJails = new ArrayList<>();
    private final List<RecidiveJail> recidiveJails = new ArrayList<>();
    private final HostAddresses hostAddresses;
    private final BanHistory history;
    private final BanEvidence evidence = new BanEvidence();

    /**
     * @param settings      every jail, enabled or not; names must be distinct
     * @param clock         the present (log time in a replay)
     * @param random        for bantime.rndtime
     * @param history       earlier bans, for increments; the jails record their bans there
     * @param hostAddresses the host's own addresses, for ignoreself; read now and at {@link #refreshHostAddresses}
     */
    public Jails(Collection<JailSettings> settings, InstantSource clock, RandomGenerator random, BanHistory history,
                 HostAddresses hostAddresses) {
        this.hostAddresses = Objects.requireNonNull(hostAddresses, "hostAddresses");
        this.history = Objects.requireNonNull(history, "history");
        boolean anyIgnoreSelf = settings.stream().anyMatch(s -> s.enabled() && s.ignoreself());
        AddressMatcher self = anyIgnoreSelf ? AddressMatcher.ofAddresses(hostAddresses.addresses()) : AddressMatcher.NONE;
        Map<String, JailSettings> seen = new LinkedHashMap<>();
        for (JailSettings jailSettings : settings) {
            if (seen.putIfAbsent(jailSettings.name(), jailSettings) != null) {
                throw new IllegalArgumentException("two jails are named " + jailSettings.name());
            }
            if (!jailSettings.enabled()) {
                continue;
            }
            Jail jail = Jail.create(jailSettings, self, history, clock, random, evidence);
            byName.put(jail.name(), jail);
            if (jail instanceof RecidiveJail recidive) {
                recidiveJails.add(recidive);
            } else {
                failureJails.add(jail);
            }
        }
    }

    /**
     * The jails with fail2ban-like defaults for what is not given: a fresh in-memory history, a non-reproducible
     * random source and the host's interface addresses.
     */
    public static Jails of(Collection<JailSettings> settings, InstantSource clock) {
        return new Jails(settings, clock, new SplittableRandom(), new InMemoryBanHistory(),
                HostAddresses.fromNetworkInterfaces());
    }

    /**
     * What led to each new ban of a jail with alert actions, for whoever publishes the bans to take
     * ({@link BanEvidence#take}).
     */
    public BanEvidence evidence() {
        return evidence;
    }

    /** Counts {@code failure} in every failure jail; returns the new bans, recidive bans they trigger included. */
    public synchronized List<Ban> offer(Failure failure) {
        return offer(failure, ALL_SCOPES);
    }

    /** Every scope: a failure counted by every failure jail. */
    public static final Set<JailSettings.Scope> ALL_SCOPES = Collections.unmodifiableSet(
            EnumSet.allOf(JailSettings.Scope.class));

    /**
     * Counts {@code failure} in the failure jails of {@code scopes} (a cluster node counts the cluster-scope jails of
     * the addresses it owns, the local ones of every failure it sees); returns the new bans, recidive bans they
     * trigger included.
     */
    public synchronized List<Ban> offer(Failure failure, Set<JailSettings.Scope> scopes) {
        List<Ban> bans = null;
        for (Jail jail : failureJails) {
            if (!scopes.contains(jail.settings().scope())) {
                continue;
            }
            Optional<Ban> ban = jail.offer(failure);
            if (ban.isPresent()) {
                if (bans == null) {
                    bans = new ArrayList<>(2);
                }
                bans.add(ban.get());
            }
        }
        if (bans == null) {
            return List.of();
        }
        int made = bans.size();
        for (int i = 0; i < made; i++) {
            for (RecidiveJail recidive : recidiveJails) {
                recidive.offer(bans.get(i)).ifPresent(bans::add);
            }
        }
        return bans;
    }

    /** Removes and returns the bans over at {@code now} in every jail, earliest end first. */
    public synchronized List<Ban> expire(Instant now) {
        List<Ban> lifted = null;
        for (Jail jail : byName.values()) {
            List<Ban> over = jail.expire(now);
            if (!over.isEmpty()) {
                if (lifted == null) {
                    lifted = new ArrayList<>();
                }
                lifted.addAll(over);
            }
        }
        if (lifted == null) {
            return List.of();
        }
        lifted.sort(BY_END);
        return lifted;
    }

    /**
     * Bans {@code ip} by hand in {@code jail}.
     *
     * @throws IllegalArgumentException for an unknown jail, a non-IP, or an address the jail never bans
     */
    public synchronized Ban ban(String ip, String jail, Instant at) {
        return require(jail).ban(ip, at);
    }

    /** Lifts the ban of {@code ip} in {@code jail} early. */
    public synchronized Optional<Ban> unban(String ip, String jail) {
        return require(jail).unban(ip);
    }

    /** Lifts every ban of {@code ip}, in every jail. */
    public synchronized List<Ban> unbanEverywhere(String ip) {
        List<Ban> lifted = new ArrayList<>();
        for (Jail jail : byName.values()) {
            jail.unban(ip).ifPresent(lifted::add);
        }
        return lifted;
    }

    /** The ban of {@code ip} (canonical) that {@code jail} holds, if it runs and holds one. */
    public synchronized Optional<Ban> held(String ip, String jail) {
        Jail running = byName.get(jail);
        return running == null ? Optional.empty() : running.held(ip);
    }

    /**
     * Puts a ban another cluster node decided in force in its jail, recorded in the history as this host's own
     * would be (so increments count it).
     *
     * @return false when the jail does not run here
     */
    public synchronized boolean adopt(Ban ban) {
        Jail jail = byName.get(ban.jail());
        if (jail == null) {
            return false;
        }
        history.record(ban);
        jail.restore(ban);
        return true;
    }

    /**
     * Puts bans read back from the store in force again after a restart.
     *
     * @return the bans whose jail is no longer configured or enabled: the caller should lift them
     */
    public synchronized List<Ban> restore(Collection<Ban> bans) {
        List<Ban> orphans = new ArrayList<>();
        for (Ban ban : bans) {
            Jail jail = byName.get(ban.jail());
            if (jail == null) {
                orphans.add(ban);
            } else {
                jail.restore(ban);
            }
        }
        return orphans;
    }

    /**
     * Replays stored ban history after a restart, so that bantime increments and recidive windows continue where
     * they stopped: each ban is recorded in the history, a failure jail's ban is counted by the recidive jails (no
     * new ban is made from history), and a recidive jail's ban empties its window for that address, as it did then.
     * Give it the history since at least the longest recidive findtime ({@code store.history(since)}), oldest first.
     */
    public synchronized void seedHistory(List<Ban> pastBans) {
        for (Ban ban : pastBans) {
            history.record(ban);
            Jail jail = byName.get(ban.jail());
            if (jail instanceof RecidiveJail recidive) {
                recidive.forgetWindow(ban.ip());
                continue;
            }
            for (RecidiveJail recidive : recidiveJails) {
                recidive.remember(ban.ip(), ban.start());
            }
        }
    }

    /** Every ban in force. */
    public synchronized List<Ban> active() {
        List<Ban> all = new ArrayList<>();
        for (Jail jail : byName.values()) {
            all.addAll(jail.active());
        }
        return all;
    }

    public synchronized List<JailStats> stats() {
        List<JailStats> stats = new ArrayList<>(byName.size());
        for (Jail jail : byName.values()) {
            stats.add(jail.stats());
        }
        return stats;
    }

    /** Re-reads the host's addresses for ignoreself. */
    /** Forgets the ban history older than {@code cutoff} (what increments and recidive no longer look at). */
    public synchronized void forgetHistoryBefore(java.time.Instant cutoff) {
        history.forgetBefore(cutoff);
    }

    public synchronized void refreshHostAddresses() {
        AddressMatcher self = AddressMatcher.ofAddresses(hostAddresses.addresses());
        for (Jail jail : byName.values()) {
            jail.useHostAddresses(self);
        }
    }

    /** Adds the shield's allow list to every jail's ignoreip (replacing the list given before). */
    public synchronized void useAllowList(AddressMatcher allowed) {
        for (Jail jail : byName.values()) {
            jail.useAllowList(allowed);
        }
    }

    /**
     * Runs the jails of {@code next} in place of those of the same name ({@code tollgate reload}): each keeps its
     * bans, windows and counters ({@link Jail#reconfigured}); a jail whose settings are unchanged is left alone.
     *
     * @param next new settings of running jails, each with the running jail's name and source
     * @throws IllegalArgumentException naming a jail that does not run here, or one that would change its source;
     *                                  nothing is changed then
     */
    public synchronized void reconfigure(Collection<JailSettings> next) {
        for (JailSettings settings : next) {
            Jail running = byName.get(settings.name());
            if (running == null || running.settings().source() != settings.source()) {
                throw new IllegalArgumentException("jail " + settings.name() + " is not running here as a jail counting "
                        + settings.source());
            }
        }
        for (JailSettings settings : next) {
            Jail running = byName.get(settings.name());
            if (!running.settings().equals(settings)) {
                byName.put(settings.name(), running.reconfigured(settings, evidence));
            }
        }
        failureJails.clear();
        recidiveJails.clear();
        for (Jail jail : byName.values()) {
            if (jail instanceof RecidiveJail recidive) {
                recidiveJails.add(recidive);
            } else {
                failureJails.add(jail);
            }
        }
        if (next.stream().anyMatch(JailSettings::ignoreself)) {
            refreshHostAddresses();
        }
    }

    /** The running (enabled) jails' settings, by name, in configuration order. */
    public synchronized Map<String, JailSettings> settings() {
        Map<String, JailSettings> settings = new LinkedHashMap<>();
        byName.forEach((name, jail) -> settings.put(name, jail.settings()));
        return settings;
    }

    private Jail require(String name) {
        Jail jail = byName.get(name);
        if (jail == null) {
            throw new IllegalArgumentException("no running jail is named '" + name + "'; running: "
                    + String.join(", ", byName.keySet()));
        }
        return jail;
    }
}
