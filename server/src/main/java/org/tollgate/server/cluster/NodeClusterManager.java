package org.tollgate.server.cluster;

import io.vertx.core.Completable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.ext.cluster.infinispan.InfinispanClusterManager;
import io.vertx.ext.cluster.infinispan.impl.InfinispanAsyncMapImpl;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachemanagerlistener.annotation.Merged;
import org.infinispan.notifications.cachemanagerlistener.event.MergeEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.server.LogFields;

/**
 * Vert.x's Infinispan cluster manager over the cache manager {@link ClusterNode} builds, with three things of this
 * node's own:
 * <ul>
 *   <li>the shared bans map is the cache defined and started on every node ({@link ClusterNode#BANS_MAP}), never one
 *       Vert.x creates cluster-wide;</li>
 *   <li>when Vert.x leaves the cluster the cache manager (the JGroups channel with it) is stopped, so a node that
 *       stops is gone at once;</li>
 *   <li>this node is {@link #announce announced} again after a merge. While the cluster was split, each side's
 *       coordinator removed the other side's nodes from Vert.x's maps of node addresses and consumers, and those maps
 *       do not merge back (Infinispan keeps each side's copy): without this, the nodes that come together again have
 *       each other in the view and yet cannot send each other a message. Each node puts its own entries back.</li>
 * </ul>
 */
final class NodeClusterManager extends InfinispanClusterManager {

    private static final Logger LOG = LoggerFactory.getLogger(NodeClusterManager.class);
    /** After a merge, this node is announced at once and once more this long after, when the caches have settled. */
    private static final long SETTLE_MILLIS = 3_000;

    private final DefaultCacheManager caches;
    private VertxInternal vertx;
    /** Where this node's event bus listens, as Vert.x set it (null until it did). */
    private volatile NodeInfo nodeInfo;
    /** This node's consumers known to the cluster (not the local-only ones), by address. */
    private final Map<String, Set<RegistrationInfo>> registrations = new ConcurrentHashMap<>();

    NodeClusterManager(DefaultCacheManager caches) {
        super(caches);
        this.caches = caches;
    }

    @Override
    public void init(Vertx vertx) {
        super.init(vertx);
        this.vertx = (VertxInternal) vertx;
        caches.addListener(new Merges());
    }

    @Override
    public <K, V> void getAsyncMap(String name, Completable<AsyncMap<K, V>> promise) {
        if (!ClusterNode.BANS_MAP.equals(name)) {
            super.getAsyncMap(name, promise);
            return;
        }
        vertx.<AsyncMap<K, V>>executeBlocking(() -> new InfinispanAsyncMapImpl<>(vertx, caches.getCache(name)), false)
                .onComplete(promise);
    }

    @Override
    public void setNodeInfo(NodeInfo info, Completable<Void> promise) {
        nodeInfo = info;
        super.setNodeInfo(info, promise);
    }

    @Override
    public void addRegistration(String address, RegistrationInfo info, Completable<Void> promise) {
        if (!info.localOnly()) {
            registrations.computeIfAbsent(address, key -> ConcurrentHashMap.newKeySet()).add(info);
        }
        super.addRegistration(address, info, promise);
    }

    @Override
    public void removeRegistration(String address, RegistrationInfo info, Completable<Void> promise) {
        registrations.computeIfPresent(address, (key, infos) -> {
            infos.remove(info);
            return infos.isEmpty() ? null : infos;
        });
        super.removeRegistration(address, info, promise);
    }

    @Override
    public void leave(Completable<Void> promise) {
        super.leave((nothing, failure) -> {
            Thread stopper = new Thread(() -> {
                try {
                    caches.stop();
                } finally {
                    promise.complete(null, failure);
                }
            }, "tollgate-cluster-leave");
            stopper.setDaemon(true);
            stopper.start();
        });
    }

    /**
     * Puts this node's entries back into Vert.x's maps of the cluster: where its event bus listens, and each of its
     * consumers (removed, then added, so that every node's copy is written, whatever it held). A consumer unregistered
     * meanwhile is removed again, so none comes back from the dead.
     */
    Future<Void> announce() {
        List<Future<Void>> done = new ArrayList<>();
        NodeInfo info = nodeInfo;
        if (info != null) {
            Promise<Void> put = Promise.promise();
            super.setNodeInfo(info, put);
            done.add(put.future());
        }
        registrations.forEach((address, infos) -> List.copyOf(infos).forEach(registration ->
                done.add(again(address, registration))));
        return Future.join(done).mapEmpty();
    }

    private Future<Void> again(String address, RegistrationInfo registration) {
        Promise<Void> removed = Promise.promise();
        super.removeRegistration(address, registration, removed);
        return removed.future().transform(nothing -> {
            Promise<Void> added = Promise.promise();
            super.addRegistration(address, registration, added);
            return added.future();
        }).compose(added -> {
            Set<RegistrationInfo> now = registrations.get(address);
            if (now != null && now.contains(registration)) {
                return Future.succeededFuture();
            }
            Promise<Void> gone = Promise.promise();
            super.removeRegistration(address, registration, gone);
            return gone.future();
        });
    }

    /** Announces this node when the cluster it is in merged with another part (on Infinispan's notification thread). */
    @Listener(sync = false)
    public final class Merges {

        @Merged
        public void merged(MergeEvent event) {
            int members = event.getNewMembers().size();
            LOG.atInfo().addKeyValue(LogFields.MEMBERS, members)
                    .log("parts of the cluster merged; this node is announced to them again");
            vertx.runOnContext(nothing -> announceOrWarn(members));
            vertx.setTimer(SETTLE_MILLIS, id -> announceOrWarn(members));
        }

        private void announceOrWarn(int members) {
            announce().onFailure(failure -> LOG.atWarn().addKeyValue(LogFields.MEMBERS, members)
                    .addKeyValue(LogFields.REASON, ClusterNode.rootMessage(failure))
                    .log("after a merge, this node could not be announced again; a member not heard from makes it"
                            + " try again"));
        }
    }
}
