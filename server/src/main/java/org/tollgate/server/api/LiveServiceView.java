package org.tollgate.server.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.tollgate.server.cluster.ClusterStatus;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.tollgate.banner.enforce.EnforcerStatus;
import org.tollgate.banner.jail.Ban;
import org.tollgate.banner.jail.JailStats;
import org.tollgate.banner.jail.Jails;
import org.tollgate.server.ban.BanCommand;
import org.tollgate.server.bus.Addresses;
import org.tollgate.server.bus.EventPublisher;

/**
 * The running service as the API sees it: reads are the enforcer's published snapshot and plain counters; every
 * change is a {@link BanCommand} to the banner, the only owner of the enforcer, over the event bus.
 */
public final class LiveServiceView implements ServiceView {

    private final Supplier<EnforcerStatus> status;
    private final EventBus bus;
    private final Jails jails;
    private final EventPublisher publisher;
    private final LongSupplier linesRead;
    private final LongSupplier failuresHandled;
    private final Supplier<Map<String, Long>> outputQueues;
    private final Supplier<Map<String, Long>> outputsDropped;
    private final Supplier<List<String>> problems;
    private final Supplier<StoreStatus> store;
    private final Supplier<ClusterStatus> cluster;
    private volatile Supplier<Future<String>> reload;

    /**
     * @param linesRead       lines read by every source
     * @param failuresHandled failures the banner has put through the jails
     * @param outputQueues    events waiting in each output, by name
     * @param outputsDropped  events each output lost, by name
     * @param problems        what keeps the service from protecting fully now
     */
    public LiveServiceView(Supplier<EnforcerStatus> status, EventBus bus, Jails jails, EventPublisher publisher,
                           LongSupplier linesRead,
                           LongSupplier failuresHandled, Supplier<Map<String, Long>> outputQueues,
                           Supplier<Map<String, Long>> outputsDropped, Supplier<List<String>> problems, Supplier<StoreStatus> store,
                           Supplier<ClusterStatus> cluster) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.store = Objects.requireNonNull(store, "store");
        this.problems = Objects.requireNonNull(problems, "problems");
        this.status = Objects.requireNonNull(status, "status");
        this.bus = Objects.requireNonNull(bus, "bus");
        this.jails = Objects.requireNonNull(jails, "jails");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.linesRead = Objects.requireNonNull(linesRead, "linesRead");
        this.failuresHandled = Objects.requireNonNull(failuresHandled, "failuresHandled");
        this.outputQueues = Objects.requireNonNull(outputQueues, "outputQueues");
        this.outputsDropped = Objects.requireNonNull(outputsDropped, "outputsDropped");
    }

    /** Answers {@link #reload()} with {@code reload} (the service's). */
    public LiveServiceView reloadingWith(Supplier<Future<String>> reload) {
        this.reload = reload;
        return this;
    }

    @Override
    public Future<String> reload() {
        Supplier<Future<String>> running = reload;
        return running == null ? ServiceView.super.reload() : running.get();
    }

    @Override
    public ClusterStatus cluster() {
        return cluster.get();
    }

    @Override
    public EnforcerStatus status() {
        return status.get();
    }

    @Override
    public List<JailStats> jails() {
        return jails.stats();
    }

    @Override
    public Future<Ban> ban(String ip, String jail) {
        return send(new BanCommand.BanByHand(ip, jail)).map(bans -> bans.get(0));
    }

    @Override
    public Future<List<Ban>> unban(String ip) {
        return send(new BanCommand.UnbanByHand(ip));
    }

    @Override
    public Future<List<Ban>> unban(String ip, String jail) {
        return send(new BanCommand.UnbanInJail(ip, jail));
    }

    private Future<List<Ban>> send(BanCommand command) {
        return bus.<BanCommand.Done>request(Addresses.BAN_COMMANDS, command, BanCommand.REQUEST)
                .map(reply -> reply.body().bans())
                .recover(failure -> Future.failedFuture(failure instanceof ReplyException refused
                        && refused.failureType() == ReplyFailure.RECIPIENT_FAILURE && refused.failureCode() == 400
                        ? new IllegalArgumentException(refused.getMessage()) : failure));
    }

    @Override
    public StoreStatus store() {
        return store.get();
    }

    @Override
    public PipelineCounts pipeline() {
        long failures = publisher.failures();
        long handled = failuresHandled.getAsLong();
        Map<String, Long> queues = new LinkedHashMap<>();
        queues.put("jails", Math.max(0, failures - handled));
        queues.putAll(outputQueues.get());
        return new PipelineCounts(linesRead.getAsLong(), publisher.lines(), publisher.securityEvents(), failures,
                handled, queues, outputsDropped.get(), problems.get());
    }
}
