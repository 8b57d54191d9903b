package org.tollgate.server.api;

import io.vertx.core.Future;
import java.time.Clock;
import io.vertx.core.Future;
import java.time.Duration;
import io.vertx.core.Future;
import java.time.Instant;
import io.vertx.core.Future;
import java.util.ArrayList;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import io.vertx.core.Future;
import java.util.List;
import io.vertx.core.Future;
import java.util.Map;
import io.vertx.core.Future;
import java.util.Set;
import org.tollgate.banner.enforce.ActionState;
import org.tollgate.banner.enforce.ActionStatus;
import org.tollgate.banner.enforce.BanStatus;
import org.tollgate.banner.enforce.EnforcerCounters;
import org.tollgate.banner.enforce.EnforcerStatus;
import org.tollgate.banner.jail.Ban;
import org.tollgate.banner.jail.JailStats;
import org.tollgate.server.cluster.ClusterStatus;

/**
 * A service for API tests: jails by name, bans kept in a map, every ban applied by a {@code log:<jail>} action, and
 * addresses in {@link #IGNORED} refused as a jail's ignoreip would. Thread-safe: the API calls it from workers.
 */
public final class FakeServiceView implements ServiceView {

    /** Never banned, as if in every jail's ignoreip. */
    public static final Set<String> IGNORED = Set.of("192.0.2.1");

    private final Clock clock;
    private final List<String> jails;
    private final Map<String, BanStatus> bans = new LinkedHashMap<>();
    private PipelineCounts pipeline = new PipelineCounts(120, 120, 33, 30, 30, Map.of("jails", 0L));
    private ClusterStatus cluster = ClusterStatus.NONE;

    public FakeServiceView(Clock clock, String... jails) {
        this.clock = clock;
        this.jails = List.of(jails);
    }

    /** Adds a ban in force that started {@code ago} before now and lasts an hour. */
    public synchronized FakeServiceView withBan(String ip, String jail, Duration ago, ActionStatus... actions) {
        Instant start = clock.instant().minus(ago);
        bans.put(ip + "/" + jail, new BanStatus(ip, jail, start, start.plus(Duration.ofHours(1)), List.of(actions),
                0, null));
        return this;
    }

    public synchronized FakeServiceView withPipeline(PipelineCounts counts) {
        this.pipeline = counts;
        return this;
    }

    public synchronized FakeServiceView withCluster(ClusterStatus status) {
        this.cluster = status;
        return this;
    }

    @Override
    public synchronized ClusterStatus cluster() {
        return cluster;
    }

    public static ActionStatus applied(String action) {
        return new ActionStatus(action, ActionState.APPLIED, null);
    }

    public static ActionStatus failed(String action, String reason) {
        return new ActionStatus(action, ActionState.FAILED, reason);
    }

    public synchronized List<String> bannedAddresses() {
        return bans.values().stream().map(BanStatus::ip).toList();
    }

    @Override
    public synchronized EnforcerStatus status() {
        long failed = bans.values().stream().flatMap(ban -> ban.actions().stream())
                .filter(action -> action.state() == ActionState.FAILED).count();
        return new EnforcerStatus(new ArrayList<>(bans.values()), 0,
                new EnforcerCounters(bans.size(), failed, failed, 0, 0, 0, 0));
    }

    @Override
    public synchronized List<JailStats> jails() {
        List<JailStats> stats = new ArrayList<>();
        for (String jail : jails) {
            int active = (int) bans.values().stream().filter(ban -> ban.jail().equals(jail)).count();
            stats.add(new JailStats(jail, 10, 1, 2, 3, 0, 0, 0, active, 0, 4, active));
        }
        return stats;
    }

    @Override
    public synchronized Future<Ban> ban(String ip, String jail) {
        if (!jails.contains(jail)) {
            return Future.failedFuture(new IllegalArgumentException("no running jail is named '" + jail + "'"));
        }
        if (IGNORED.contains(ip)) {
            return Future.failedFuture(new IllegalArgumentException(ip + " is in ignoreip of jail " + jail
                    + "; it is never banned"));
        }
        Ban ban = Ban.lasting(ip, jail, clock.instant(), Duration.ofHours(1), 0, 1);
        bans.put(ip + "/" + jail, new BanStatus(ip, jail, ban.start(), ban.end(), List.of(applied("log:" + jail)),
                0, null));
        return Future.succeededFuture(ban);
    }

    @Override
    public synchronized Future<List<Ban>> unban(String ip) {
        List<Ban> lifted = new ArrayList<>();
        bans.values().removeIf(ban -> {
            if (ban.ip().equals(ip)) {
                lifted.add(new Ban(ban.ip(), ban.jail(), ban.start(), ban.end(), 0, 1));
                return true;
            }
            return false;
        });
        return Future.succeededFuture(lifted);
    }

    @Override
    public synchronized Future<List<Ban>> unban(String ip, String jail) {
        BanStatus held = bans.remove(ip + "/" + jail);
        return Future.succeededFuture(held == null ? List.of()
                : List.of(new Ban(held.ip(), held.jail(), held.start(), held.end(), 0, 1)));
    }

    @Override
    public synchronized PipelineCounts pipeline() {
        return pipeline;
    }
}
