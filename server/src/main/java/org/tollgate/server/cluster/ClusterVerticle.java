package org.tollgate.server.cluster;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.spi.cluster.ClusterManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.banner.jail.Ban;
import org.tollgate.banner.jail.Failure;
import org.tollgate.normalizer.address.IpLiteral;
import org.tollgate.server.LogFields;
import org.tollgate.server.ban.BanCommand;
import org.tollgate.server.ban.ClusterLink;
import org.tollgate.server.bus.Addresses;
import org.tollgate.server.bus.LocalCodec;
import org.tollgate.server.config.ClusterSettings;
import org.tollgate.server.config.ListenAddress;

/**
 * This node's part in the cluster, beside the banner: it shares what the banner decides, brings the other nodes'
 * decisions to the banner as {@link BanCommand}s (the banner stays the only owner of the enforcer), sends each failure
 * to the node that owns its address ({@link FailureOwners}), and keeps the members' health.
 *
 * <p>Bans travel two ways at once: a message on {@link ClusterAddresses#DECISIONS} to every node (milliseconds), and
 * an entry in the shared map {@link ClusterNode#BANS_MAP} (the latest decision per address and jail, kept on every
 * node). Each node compares what it holds with the map at start, when a node joins or a partition heals, and every
 * {@link #SYNC_MILLIS}: it takes what is newer in the map (missed bans, lifts by hand) and writes what it holds that is
 * newer than the map (bans it decided while cut off), so every node ends with the same bans. The rules of "newer" are
 * {@link SharedDecision#supersedes}.
 */
public final class ClusterVerticle extends VerticleBase implements ClusterLink {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterVerticle.class);
    static final long HEARTBEAT_MILLIS = 2_000;
    static final long SYNC_MILLIS = 30_000;
    /** After a node joins, the comparison waits this long for the shared map's own merge to settle. */
    private static final long SETTLE_MILLIS = 2_000;
    /** A failure's owner that has no consumer yet is asked again this often, this many times (30 s in all). */
    private static final long FORWARD_RETRY_MILLIS = 500;
    private static final int FORWARD_TRIES = 60;
    /** A registration of the consumers that failed is made again after this long. */
    private static final long REGISTER_RETRY_MILLIS = 1_000;
    private static final DeliveryOptions FORWARD = new DeliveryOptions().setSendTimeout(30_000);
    private static final DeliveryOptions FAILURE_LOCAL = new DeliveryOptions().setLocalOnly(true)
            .setCodecName(new LocalCodec<>(Failure.class).name());

    private final ClusterSettings settings;
    private final Set<String> clusterJails;
    private final String hostname;
    private final Clock clock;
    private final LongSupplier eventsUnshared;

    private volatile String nodeId = "";
    /** The nodes in the cluster now, sorted; read by the banner's thread through {@link #countsHere}. */
    private volatile List<String> nodes = List.of();
    private volatile List<ClusterStatus.Member> memberStatus = List.of();
    private ClusterManager manager;
    private volatile AsyncMap<String, String> shared;
    private MemberTable members;
    private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
    private long heartbeatTimer = -1;
    private long syncTimer = -1;
    private long registerTimer = -1;
    /** True while the consumers are being registered or this node announced again; the event loop's. */
    private boolean registering;
    private boolean stopped;
    /** When the consumers were last registered (null: not yet). */
    private Instant registeredAt;
    private boolean syncing;
    /**
     * Lifts by hand, made here or heard of, by address and jail (the latest): a ban that started before one is over,
     * whether the map still shows it or its message comes after the lift's (two nodes' messages can cross).
     */
    private final Map<String, Instant> lifts = new HashMap<>();
    /**
     * The keys whose decision this node is sending now (how many of each), until its write into the shared map is
     * done: a comparison that reads the map before the write lands leaves them to it (the banner's thread adds them,
     * this verticle's reads them).
     */
    private final Map<String, Integer> writing = new ConcurrentHashMap<>();

    private final ClusterCounters counters = new ClusterCounters();

    /**
     * @param clusterJails   the names of the jails with {@code scope: cluster}
     * @param hostname       this host's name: the {@code decided_by} of the bans it shares
     * @param eventsUnshared security events the publisher kept local (past events_per_second), for the status
     */
    public ClusterVerticle(ClusterSettings settings, Set<String> clusterJails, String hostname, Clock clock,
                           LongSupplier eventsUnshared) {
        this.settings = settings;
        this.clusterJails = Set.copyOf(clusterJails);
        this.hostname = hostname;
        this.clock = clock;
        this.eventsUnshared = eventsUnshared;
    }

    /**
     * Starts at once: the banner never waits for the cluster. Registering the consumers and joining the shared map
     * (both cluster-wide writes, slow while the members merge their views) go on in the background ({@link #register});
     * "cluster joined" is logged when they are done, and until then bans are decided and enforced here alone.
     */
    @Override
    public Future<?> start() {
        manager = ((VertxInternal) vertx).clusterManager();
        nodeId = manager.getNodeId();
        members = new MemberTable(nodeId, new ListenAddress(settings.host(), settings.port()), hostname,
                settings.members());
        refreshView();
        heartbeatTimer = vertx.setPeriodic(HEARTBEAT_MILLIS, id -> heartbeat());
        register("start");
        heartbeat();
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        stopped = true;
        vertx.cancelTimer(heartbeatTimer);
        vertx.cancelTimer(syncTimer);
        vertx.cancelTimer(registerTimer);
        return Future.all(consumers.stream().map(MessageConsumer::unregister).toList());
    }

    /**
     * Registers the consumers of the cluster's addresses, then opens the shared map (the first time) and compares
     * with it. The other nodes send this node nothing until the cluster knows its consumers, so a registration that
     * fails is made again after {@link #REGISTER_RETRY_MILLIS}, for as long as the verticle runs.
     */
    private void register(String reason) {
        registering = true;
        List<MessageConsumer<JsonObject>> fresh = List.of(
                vertx.eventBus().consumer(ClusterAddresses.DECISIONS, this::onDecision),
                vertx.eventBus().consumer(ClusterAddresses.HEARTBEATS, this::onHeartbeat),
                vertx.eventBus().consumer(ClusterAddresses.FAILURES_TO + nodeId, this::onFailure));
        consumers.addAll(fresh);
        Future.all(fresh.stream().map(MessageConsumer::completion).toList())
                .compose(registered -> shared != null ? Future.succeededFuture(shared)
                        : vertx.sharedData().<String, String>getAsyncMap(ClusterNode.BANS_MAP))
                .onSuccess(map -> {
                    registering = false;
                    registeredAt = clock.instant();
                    if (shared == null) {
                        shared = map;
                        syncTimer = vertx.setPeriodic(SYNC_MILLIS, id -> sync("periodic"));
                        LOG.atInfo().addKeyValue(LogFields.CLUSTER, settings.name())
                                .addKeyValue(LogFields.MEMBERS, nodes.size())
                                .addKeyValue(LogFields.ADDRESS, new ListenAddress(settings.host(), settings.port())
                                        .toString())
                                .addKeyValue(LogFields.NODE_ID, nodeId).log("cluster joined");
                    }
                    sync(reason);
                })
                .onFailure(failure -> {
                    LOG.atWarn().addKeyValue(LogFields.CLUSTER, settings.name())
                            .addKeyValue(LogFields.REASON, ClusterNode.rootMessage(failure))
                            .log("the cluster's consumers or the shared bans could not be opened; trying again, and"
                                    + " bans are decided and enforced here alone meanwhile");
                    if (!stopped) {
                        registerTimer = vertx.setTimer(REGISTER_RETRY_MILLIS,
                                id -> registerAgain("registration retried"));
                    }
                });
    }

    /** Unregisters the consumers and {@link #register registers} them again: the cluster is told of them anew. */
    private void registerAgain(String reason) {
        registering = true;
        List<MessageConsumer<JsonObject>> old = new ArrayList<>(consumers);
        consumers.clear();
        Future.join(old.stream().map(MessageConsumer::unregister).toList()).onComplete(done -> {
            if (!stopped) {
                register(reason);
            }
        });
    }

    /** The cluster as this node sees it: the counters now, the members as of the last heartbeat; never waits. */
    public ClusterStatus status() {
        return counters.status(settings.name(), Math.max(1, nodes.size()), memberStatus, eventsUnshared.getAsLong());
    }

    // ---- what the banner asks (its event loop) ------------------------------------------------------------------

    @Override
    public boolean countsHere(Failure failure) {
        List<String> now = nodes;
        if (clusterJails.isEmpty() || now.size() <= 1) {
            return true;
        }
        String ip = IpLiteral.canonical(failure.sourceIp());
        if (ip == null) {
            return true;
        }
        String owner = FailureOwners.owner(now, ip);
        if (owner.equals(nodeId)) {
            return true;
        }
        JsonObject json = ForwardedFailure.toJson(failure, ip, nodeId);
        counters.failuresForwarded.incrementAndGet();
        forward(owner, json, failure, FORWARD_TRIES);
        return false;
    }

    /**
     * Sends a failure to its owner. While the owner has no consumer yet (it is still joining) the send is tried again
     * every {@link #FORWARD_RETRY_MILLIS}; when the owner cannot take it at all, it is counted here, so that no
     * failure is lost for counting.
     */
    private void forward(String owner, JsonObject json, Failure failure, int tries) {
        vertx.eventBus().request(ClusterAddresses.FAILURES_TO + owner, json, FORWARD).onFailure(e -> {
            if (tries > 1 && e instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS) {
                vertx.setTimer(FORWARD_RETRY_MILLIS, id -> forward(owner, json, failure, tries - 1));
            } else {
                LOG.atDebug().addKeyValue(LogFields.SOURCE_IP, failure.sourceIp())
                        .addKeyValue(LogFields.REASON, e.getMessage()).log("failure counted here: its owner did not take it");
                vertx.eventBus().send(Addresses.SHARED_FAILURES, failure, FAILURE_LOCAL);
            }
        });
    }

    @Override
    public void banned(List<Ban> bans, boolean manual) {
        Instant now = clock.instant();
        for (Ban ban : bans) {
            if (clusterJails.contains(ban.jail())) {
                share(new SharedDecision(false, ban.decidedBy() == null ? ban.withDecidedBy(hostname) : ban, now,
                        nodeId, manual));
            }
        }
    }

    @Override
    public void lifted(List<Ban> bans, Instant at) {
        for (Ban ban : bans) {
            if (clusterJails.contains(ban.jail())) {
                SharedDecision lift = new SharedDecision(true, ban.decidedBy() == null ? ban.withDecidedBy(hostname)
                        : ban, at, nodeId, true);
                context.runOnContext(nothing -> rememberLift(lift));
                share(lift);
            }
        }
    }

    @Override
    public String observerIp() {
        return settings.host();
    }

    /** Sends a decision made here to every node and writes it into the shared map: one ban or lift shared. */
    private void share(SharedDecision decision) {
        counters.bansShared.incrementAndGet();
        send(decision);
    }

    /**
     * Sends {@code decision} to every node and writes it into the shared map; its key is {@link #writing} until the
     * write is done, so that a comparison running meanwhile does not send it again.
     */
    private void send(SharedDecision decision) {
        String key = decision.key();
        writing.merge(key, 1, Integer::sum);
        vertx.eventBus().publish(ClusterAddresses.DECISIONS, decision.toJson());
        write(decision, 3).onComplete(done -> writing.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1));
    }

    /** Writes {@code decision} into the shared map unless the entry there is newer; compare-and-set, a few tries. */
    private Future<Void> write(SharedDecision decision, int tries) {
        if (shared == null) {
            return Future.succeededFuture();
        }
        String value = decision.toJson().encode();
        return shared.get(decision.key()).compose(current -> {
            SharedDecision there = current == null ? null : parse(current);
            if (!decision.supersedes(there, clock.instant())) {
                return Future.succeededFuture(true);
            }
            Duration keep = decision.keepFor(clock.instant());
            if (current == null) {
                Future<String> put = keep == null ? shared.putIfAbsent(decision.key(), value)
                        : shared.putIfAbsent(decision.key(), value, keep.toMillis());
                return put.map(previous -> previous == null);
            }
            return keep == null ? shared.replaceIfPresent(decision.key(), current, value)
                    : shared.replaceIfPresent(decision.key(), current, value, keep.toMillis());
        }).transform(result -> {
            if (result.succeeded() && !result.result() && tries > 1) {
                return write(decision, tries - 1);
            }
            if (result.failed() || !result.result()) {
                counters.mapWriteFailures.incrementAndGet();
                LOG.atDebug().addKeyValue(LogFields.SOURCE_IP, decision.ban().ip())
                        .addKeyValue(LogFields.REASON, result.failed() ? result.cause().toString() : "changed meanwhile")
                        .log("shared map not written; the next comparison writes it");
            }
            return Future.succeededFuture();
        });
    }

    // ---- what the other nodes send --------------------------------------------------------------------------------

    private void onDecision(Message<JsonObject> message) {
        SharedDecision decision;
        try {
            decision = SharedDecision.fromJson(message.body());
        } catch (IllegalArgumentException e) {
            LOG.atWarn().addKeyValue(LogFields.REASON, e.getMessage()).log("cluster decision not understood; ignored");
            return;
        }
        if (decision.nodeId().equals(nodeId)) {
            return;
        }
        counters.arrived(Duration.between(decision.at(), clock.instant()));
        if (!clusterJails.contains(decision.ban().jail())) {
            LOG.atDebug().addKeyValue(LogFields.JAIL, decision.ban().jail())
                    .log("cluster decision for a jail that is not cluster-scope here; ignored");
            return;
        }
        if (decision.lift()) {
            rememberLift(decision);
        } else if (liftedSince(decision)) {
            LOG.atDebug().addKeyValue(LogFields.SOURCE_IP, decision.ban().ip())
                    .addKeyValue(LogFields.JAIL, decision.ban().jail())
                    .log("cluster ban that a lift by hand already ended; ignored");
            return;
        }
        apply(List.of(decision), "from " + decision.ban().decidedBy());
    }

    private void onHeartbeat(Message<JsonObject> message) {
        JsonObject body = message.body();
        String node = body.getString("node_id");
        String address = body.getString("address");
        if (node != null && address != null) {
            members.heard(node, body.getString("hostname"), address, clock.instant());
        }
    }

    private void onFailure(Message<JsonObject> message) {
        Failure failure;
        try {
            failure = ForwardedFailure.fromJson(message.body());
        } catch (IllegalArgumentException e) {
            LOG.atDebug().addKeyValue(LogFields.REASON, e.getMessage()).log("forwarded failure not understood; ignored");
            message.reply(false);
            return;
        }
        counters.failuresReceived.incrementAndGet();
        vertx.eventBus().send(Addresses.SHARED_FAILURES, failure, FAILURE_LOCAL);
        message.reply(true);
    }

    /** Brings decisions of other nodes to the banner: the bans in one command, each lift in one. */
    private Future<Void> apply(List<SharedDecision> decisions, String from) {
        List<Ban> bans = new ArrayList<>();
        List<Future<?>> done = new ArrayList<>();
        for (SharedDecision decision : decisions) {
            if (!decision.lift()) {
                bans.add(decision.ban());
                continue;
            }
            done.add(command(new BanCommand.LiftShared(decision.ban().ip(), decision.ban().jail(), decision.at()))
                    .onSuccess(lifted -> {
                        counters.liftsReceived.addAndGet(lifted.size());
                        lifted.forEach(ban -> LOG.atInfo().addKeyValue(LogFields.SOURCE_IP, ban.ip())
                                .addKeyValue(LogFields.JAIL, ban.jail()).addKeyValue(LogFields.NODE, from)
                                .log("ban lifted by hand on another node"));
                    }));
        }
        if (!bans.isEmpty()) {
            done.add(command(new BanCommand.ApplyShared(bans)).onSuccess(applied -> {
                counters.bansReceived.addAndGet(applied.size());
                if (applied.size() <= 20) {
                    applied.forEach(ban -> LOG.atInfo().addKeyValue(LogFields.SOURCE_IP, ban.ip())
                            .addKeyValue(LogFields.JAIL, ban.jail()).addKeyValue(LogFields.NODE, ban.decidedBy())
                            .log("ban of another node applied"));
                } else {
                    LOG.atInfo().addKeyValue(LogFields.COUNT, applied.size()).addKeyValue(LogFields.NODE, from)
                            .log("bans of other nodes applied");
                }
            }));
        }
        return Future.join(done).mapEmpty();
    }

    private Future<List<Ban>> command(BanCommand command) {
        return vertx.eventBus().<BanCommand.Done>request(Addresses.BAN_COMMANDS, command, BanCommand.REQUEST)
                .map(reply -> reply.body().bans())
                .onFailure(e -> LOG.atWarn().addKeyValue(LogFields.REASON, e.getMessage())
                        .log("the banner refused a cluster decision"));
    }

    // ---- comparing with the shared map ----------------------------------------------------------------------------

    /**
     * Compares the bans held here with the shared map: applies what the map has that is newer, writes (and sends)
     * what this node holds that is newer. One at a time.
     */
    private void sync(String reason) {
        if (syncing || shared == null) {
            return;
        }
        syncing = true;
        command(new BanCommand.HeldBans()).compose(held -> shared.entries().compose(entries -> {
            Instant now = clock.instant();
            Map<String, Ban> local = new LinkedHashMap<>();
            for (Ban ban : held) {
                if (clusterJails.contains(ban.jail())) {
                    local.put(SharedDecision.key(ban.ip(), ban.jail()), ban);
                }
            }
            lifts.values().removeIf(at -> at.isBefore(now.minus(SharedDecision.PERMANENT_LIFT_MEMORY)));
            List<SharedDecision> take = new ArrayList<>();
            Set<String> inMap = new HashSet<>();
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                SharedDecision there = parse(entry.getValue());
                if (there == null || !clusterJails.contains(there.ban().jail())) {
                    continue;
                }
                inMap.add(there.key());
                Ban mine = local.get(there.key());
                Instant liftedAt = lifts.get(there.key());
                if (there.lift()) {
                    rememberLift(there);
                    if (mine != null && !mine.start().isAfter(there.at())) {
                        take.add(there);
                    }
                } else if (liftedAt != null && !there.ban().start().isAfter(liftedAt)) {
                    // Lifted by hand after that ban started, and the map did not hear of it: it hears now.
                    write(new SharedDecision(true, there.ban(), liftedAt, nodeId, true), 3);
                } else if (mine == null && !there.ban().endsBy(now)) {
                    take.add(there);
                } else if (mine != null && mine.decidedBy() == null && !writing.containsKey(there.key())
                        && new SharedDecision(false, mine.withDecidedBy(hostname), now, nodeId, false)
                                .supersedes(there, now)) {
                    send(new SharedDecision(false, mine.withDecidedBy(hostname), now, nodeId, false));
                }
            }
            for (Map.Entry<String, Ban> entry : local.entrySet()) {
                if (!inMap.contains(entry.getKey()) && !writing.containsKey(entry.getKey())) {
                    Ban mine = entry.getValue();
                    send(new SharedDecision(false, mine.decidedBy() == null ? mine.withDecidedBy(hostname) : mine,
                            now, nodeId, false));
                }
            }
            LOG.atDebug().addKeyValue(LogFields.REASON, reason).addKeyValue(LogFields.COUNT, take.size())
                    .log("compared with the shared map");
            return apply(take, "the shared map");
        })).onComplete(done -> {
            syncing = false;
            if (done.succeeded()) {
                counters.compared(clock.instant());
            }
            if (done.failed()) {
                LOG.atDebug().addKeyValue(LogFields.REASON, done.cause().toString()).log("comparison not finished");
            }
        });
    }

    private void rememberLift(SharedDecision lift) {
        lifts.merge(lift.key(), lift.at(), (a, b) -> a.isAfter(b) ? a : b);
    }

    /** Whether a lift by hand known here ended {@code ban} already (it started at or before the lift). */
    private boolean liftedSince(SharedDecision ban) {
        Instant liftedAt = lifts.get(ban.key());
        return liftedAt != null && !ban.ban().start().isAfter(liftedAt);
    }

    // ---- members ------------------------------------------------------------------------------------------------

    private void heartbeat() {
        refreshView();
        Instant now = clock.instant();
        if (!registering && registeredAt != null && registeredAt.isBefore(now.minus(MemberTable.LATE))
                && members.silentMember(now)) {
            // The cluster counts a node in, yet nothing of it arrives: the others may not know where this node
            // listens or its consumers (a merge, a registration lost). Telling the cluster again lets them reach it.
            LOG.atInfo().addKeyValue(LogFields.CLUSTER, settings.name())
                    .log("a member has not been heard from; this node is announced to the cluster again");
            announceAgain();
        }
        vertx.eventBus().publish(ClusterAddresses.HEARTBEATS, new JsonObject().put("node_id", nodeId)
                .put("hostname", hostname).put("address", new ListenAddress(settings.host(), settings.port()).toString())
                .put("sent_at", clock.instant().toEpochMilli()));
        publishStatus();
    }

    /**
     * {@link NodeClusterManager#announce Announces} this node again (no other announcement starts until it is done),
     * then compares with the shared map.
     */
    private void announceAgain() {
        if (!(manager instanceof NodeClusterManager node)) {
            registerAgain("a member was not heard from");
            return;
        }
        registering = true;
        node.announce().onComplete(done -> context.runOnContext(nothing -> {
            registering = false;
            registeredAt = clock.instant();
            if (done.failed()) {
                LOG.atDebug().addKeyValue(LogFields.REASON, ClusterNode.rootMessage(done.cause()))
                        .log("this node was not announced again; the next heartbeat tries");
            }
            sync("a member was not heard from");
        }));
    }

    /** Reads the cluster's view; a change is logged, and a node that came (or came back) starts a comparison. */
    private void refreshView() {
        List<String> view = new ArrayList<>(manager.getNodes());
        view.sort(null);
        List<String> before = nodes;
        if (view.equals(before)) {
            return;
        }
        nodes = List.copyOf(view);
        if (members != null) {
            members.view(new HashSet<>(view), clock.instant());
        }
        if (before.isEmpty()) {
            return;
        }
        Set<String> joined = new HashSet<>(view);
        before.forEach(joined::remove);
        Set<String> left = new HashSet<>(before);
        view.forEach(left::remove);
        if (view.size() == 1) {
            LOG.atWarn().addKeyValue(LogFields.CLUSTER, settings.name()).addKeyValue(LogFields.LEFT, left.size())
                    .log("alone in the cluster: no other node answers; bans go on here and are compared when they"
                            + " come back");
        } else {
            LOG.atInfo().addKeyValue(LogFields.CLUSTER, settings.name()).addKeyValue(LogFields.MEMBERS, view.size())
                    .addKeyValue(LogFields.JOINED, joined.size()).addKeyValue(LogFields.LEFT, left.size())
                    .log("cluster members changed");
        }
        if (!joined.isEmpty()) {
            vertx.setTimer(SETTLE_MILLIS, id -> sync("a node joined"));
        }
    }

    private void publishStatus() {
        memberStatus = members.status(clock.instant());
    }

    private static SharedDecision parse(String json) {
        try {
            return SharedDecision.fromJson(new JsonObject(json));
        } catch (RuntimeException e) {
            return null;
        }
    }
}
