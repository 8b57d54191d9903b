package org.tollgate.banner.replay;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.tollgate.banner.jail.Ban;
import org.tollgate.banner.jail.Failure;
import org.tollgate.banner.jail.HostAddresses;
import org.tollgate.banner.jail.InMemoryBanHistory;
import org.tollgate.banner.jail.JailSettings;
import org.tollgate.banner.jail.Jails;

/**
 * Runs the jails over failures in log time, with no firewall: what would Tollgate have banned, and when? The present
 * is the newest log time seen, so bans and their ends fall where they would have in a live run. An unban is decided
 * when a ban's end passes before the next failure, and, after the last failure, for every ban that would have ended
 * (at its end time). Permanent bans are never lifted.
 *
 * <p>Each run starts from empty jails and an empty ban history, so a replay is reproducible: with the same random
 * seed, the same input gives the same decisions.
 */
public final class Replay {

    /** The seed used when none is given, so two replays of one log agree. */
    public static final long DEFAULT_SEED = 0x7011_6a7eL;

    private final List<JailSettings> settings;
    private final RandomGenerator random;
    private final HostAddresses hostAddresses;

    /** Replays {@code settings} with a fixed seed, ignoring no host addresses (the log came from another host). */
    public Replay(Collection<JailSettings> settings) {
        this(settings, new SplittableRandom(DEFAULT_SEED), HostAddresses.none());
    }

    /**
     * @param random        for bantime.rndtime
     * @param hostAddresses the addresses ignoreself protects: those of the host that wrote the log, if known
     */
    public Replay(Collection<JailSettings> settings, RandomGenerator random, HostAddresses hostAddresses) {
        this.settings = List.copyOf(settings);
        this.random = Objects.requireNonNull(random, "random");
        this.hostAddresses = Objects.requireNonNull(hostAddresses, "hostAddresses");
    }

    public ReplaySummary run(Stream<Failure> failures, Consumer<? super Decision> decisions) {
        return run(failures.iterator(), decisions);
    }

    public ReplaySummary run(Iterable<Failure> failures, Consumer<? super Decision> decisions) {
        return run(failures.iterator(), decisions);
    }

    /** Replays {@code failures} in order, passing each decision to {@code decisions} as it is made. */
    public ReplaySummary run(Iterator<Failure> failures, Consumer<? super Decision> decisions) {
        LogClock clock = new LogClock();
        Jails jails = new Jails(settings, clock, random, new InMemoryBanHistory(), hostAddresses);
        Map<String, Long> bansPerJail = new LinkedHashMap<>();
        jails.settings().keySet().forEach(name -> bansPerJail.put(name, 0L));
        Set<String> ips = new HashSet<>();
        AddressActivity.Tally activity = new AddressActivity.Tally();
        long count = 0;
        long unbans = 0;
        while (failures.hasNext()) {
            Failure failure = failures.next();
            clock.advanceTo(failure.timestamp());
            for (Ban over : jails.expire(clock.instant())) {
                decisions.accept(Decision.unban(over));
                unbans++;
            }
            for (Ban ban : jails.offer(failure)) {
                decisions.accept(Decision.ban(ban));
                bansPerJail.merge(ban.jail(), 1L, Long::sum);
            }
            ips.add(failure.sourceIp());
            if (failure.sourceTrusted()) {
                activity.count(failure.sourceIp(), failure.attemptId());
            }
            count++;
        }
        List<Ban> remaining = new ArrayList<>(jails.active());
        remaining.removeIf(Ban::permanent);
        Instant lastEnd = remaining.stream().map(Ban::end).max(Comparator.naturalOrder()).orElse(null);
        if (lastEnd != null) {
            for (Ban over : jails.expire(lastEnd)) {
                decisions.accept(Decision.unban(over));
                unbans++;
            }
        }
        return new ReplaySummary(count, ips.size(), bansPerJail, unbans, jails.stats(), activity.busiestFirst());
    }
}
