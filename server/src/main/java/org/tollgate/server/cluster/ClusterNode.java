package org.tollgate.server.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.configuration.global.GlobalConfigurationBuilder;
import org.infinispan.conflict.MergePolicy;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.partitionhandling.PartitionHandling;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;
import org.jgroups.JChannel;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.FRAG4;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.MFC;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.UFC;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.VERIFY_SUSPECT;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.STABLE;
import org.jgroups.stack.Protocol;
import org.jgroups.util.TLS;
import org.jgroups.util.TLSClientAuth;
import org.tollgate.server.config.ClusterSettings;
import org.tollgate.server.config.ListenAddress;

/**
 * Starts this host as a node of its cluster: a Vert.x instance clustered by Infinispan over a JGroups stack built
 * here in code, not from XML, so that what protects it is plain to read:
 * <ul>
 *   <li>JGroups over TCP only, to the fixed member list (TCPPING; no multicast, no discovery of strangers), every
 *       connection TLS 1.3 with the cluster's key, client certificates required, the cluster's certificate the only
 *       one trusted ({@link ClusterKeys});</li>
 *   <li>the clustered event bus (Vert.x's own TCP connections between nodes, which the cluster manager does not
 *       carry) on {@code port + 1}, TLS with the same key, client certificates required;</li>
 *   <li>failure detection by heartbeats over those connections (FD_ALL3, 2 s apart, suspected after 10 s) and
 *       merging after a partition (MERGE3, every 3 to 10 s).</li>
 * </ul>
 * JGroups and Infinispan log through SLF4J; their levels are set in the service's logback configuration.
 */
public final class ClusterNode {

    /** The shared map of cluster-scope bans and lifts (SharedBans). */
    public static final String BANS_MAP = "tollgate.cluster.bans";
    private static final long HEARTBEAT_MILLIS = 2_000;
    private static final long SUSPECT_MILLIS = 10_000;
    /** The longest TLS handshake with a member ({@link HandshakeTimeouts}). */
    private static final int HANDSHAKE_MILLIS = 10_000;

    private ClusterNode() {
    }

    /**
     * Builds the cluster manager and joins, on a thread of its own: the caller never waits (a member that accepts a
     * connection and never answers can hold a join for minutes). The future completes with the clustered Vert.x once
     * this node is in a cluster (alone when no member answers: the others find it when they come).
     *
     * @param hostname this host's name, the start of its name among the members (JGroups' logical name; the rest is
     *                 random, so that a node that restarts is told apart from the run it replaces)
     * @param step     set to what the join is doing, so that one that does not finish can say where it stands
     */
    public static Future<Vertx> start(ClusterSettings settings, ClusterKeys keys, VertxOptions options,
                                      String hostname, AtomicReference<String> step) {
        Promise<DefaultCacheManager> joined = Promise.promise();
        Thread joiner = new Thread(() -> {
            try {
                joined.complete(cacheManager(settings, keys, hostname, step));
            } catch (Exception | LinkageError e) {
                joined.fail(new IllegalStateException("cluster " + settings.name() + " on "
                        + new ListenAddress(settings.host(), settings.port()) + ": cannot start: " + rootMessage(e), e));
            }
        }, "tollgate-cluster-join");
        joiner.setDaemon(true);
        joiner.start();
        return joined.future().compose(caches -> {
            step.set("opening the event bus on " + new ListenAddress(settings.host(), settings.eventBusPort())
                    + " and registering with the members");
            EventBusOptions bus = options.getEventBusOptions()
                    .setHost(settings.host()).setPort(settings.eventBusPort())
                    .setSsl(true).setClientAuth(ClientAuth.REQUIRED)
                    .setEnabledSecureTransportProtocols(Set.of(ClusterKeys.tlsVersion()))
                    .setKeyCertOptions(keys.keyCertOptions()).setTrustOptions(keys.trustOptions())
                    .setConnectTimeout(5_000);
            options.setEventBusOptions(bus);
            return Vertx.builder().with(options).withClusterManager(new NodeClusterManager(caches)).buildClustered()
                    .recover(failure -> {
                        caches.stop();
                        return Future.failedFuture(new IllegalStateException("cluster " + settings.name()
                                + ": cannot open the event bus on "
                                + new ListenAddress(settings.host(), settings.eventBusPort()) + ": "
                                + rootMessage(failure), failure));
                    });
        });
    }

    /** As above, without a host name of its own (JGroups makes one) or anyone asking where the join stands (tests). */
    static Future<Vertx> start(ClusterSettings settings, ClusterKeys keys, VertxOptions options) {
        return start(settings, keys, options, null, new AtomicReference<>());
    }

    /** The cache manager, started: the channel has joined (or formed) the cluster when this returns. */
    private static DefaultCacheManager cacheManager(ClusterSettings settings, ClusterKeys keys, String hostname,
                                                    AtomicReference<String> step) throws Exception {
        step.set("joining the members " + settings.members() + " (JGroups over TLS) and taking the shared state");
        GlobalConfigurationBuilder global = new GlobalConfigurationBuilder();
        global.classLoader(ClusterNode.class.getClassLoader());
        global.transport().clusterName(settings.name()).transport(new JGroupsTransport(channel(settings, keys)));
        if (hostname != null) {
            global.transport().nodeName(hostname + "-" + ThreadLocalRandom.current().nextInt(10_000, 100_000));
        }
        global.jmx().enabled(false);
        global.cacheContainer().statistics(false);
        global.defaultCacheName("distributed-cache");
        ConfigurationBuilder distributed = new ConfigurationBuilder();
        distributed.clustering().cacheMode(CacheMode.DIST_SYNC);
        DefaultCacheManager caches = new DefaultCacheManager(global.build(), distributed.build(), false);
        try {
            ConfigurationBuilder replicated = new ConfigurationBuilder();
            replicated.clustering().cacheMode(CacheMode.REPL_SYNC);
            // What Vert.x's cluster manager needs (its default-infinispan.xml, in code).
            caches.defineConfiguration("__vertx.subs", replicated.build());
            caches.defineConfiguration("__vertx.haInfo", replicated.build());
            caches.defineConfiguration("__vertx.nodeInfo", replicated.build());
            // The shared bans: a copy on every node (a node cut off still reads them all), both sides of a
            // partition go on writing, and on a merge an entry only one side has is kept (the nodes then compare what
            // they hold with the map and send each other what is newer: ClusterVerticle). Defined and started here,
            // on every node alike (NodeClusterManager hands it to Vert.x): Vert.x would otherwise create it
            // cluster-wide from a template, which fails on the others when several nodes start at once (ISPN000436).
            ConfigurationBuilder bans = new ConfigurationBuilder();
            bans.clustering().cacheMode(CacheMode.REPL_SYNC).partitionHandling()
                    .whenSplit(PartitionHandling.ALLOW_READ_WRITES).mergePolicy(MergePolicy.PREFERRED_NON_NULL);
            caches.defineConfiguration(BANS_MAP, bans.build());
            caches.start();
            caches.getCache(BANS_MAP);
            return caches;
        } catch (RuntimeException e) {
            caches.stop();
            throw e;
        }
    }

    private static JChannel channel(ClusterSettings settings, ClusterKeys keys) throws Exception {
        InetAddress bind = InetAddress.getByName(settings.host());
        TCP tcp = new TCP();
        tcp.setBindAddress(bind);
        tcp.setBindPort(settings.port());
        tcp.setPortRange(0);
        tcp.setSocketFactory(new HandshakeTimeouts(new TLS().enabled(true)
                .setProtocols(new String[] {ClusterKeys.tlsVersion()}).setClientAuth(TLSClientAuth.NEED)
                .createSocketFactory(keys.sslContext()), HANDSHAKE_MILLIS));
        List<InetSocketAddress> hosts = new ArrayList<>();
        hosts.add(new InetSocketAddress(bind, settings.port()));
        for (ListenAddress member : settings.members()) {
            hosts.add(new InetSocketAddress(address(member.host()), member.port()));
        }
        TCPPING ping = new TCPPING();
        ping.setInitialHosts(hosts);
        ping.setPortRange(0);
        FD_ALL3 heartbeats = new FD_ALL3();
        heartbeats.setInterval(HEARTBEAT_MILLIS);
        heartbeats.setTimeout(SUSPECT_MILLIS);
        MERGE3 merge = new MERGE3();
        merge.setMinInterval(3_000);
        merge.setMaxInterval(10_000);
        VERIFY_SUSPECT verify = new VERIFY_SUSPECT();
        verify.setTimeout(1_500);
        GMS gms = new GMS();
        gms.setJoinTimeout(2_000);
        List<Protocol> stack = List.of(tcp, ping, merge, heartbeats, verify, new NAKACK2(), new UNICAST3(),
                new STABLE(), gms, new UFC(), new MFC(), new FRAG4());
        return new JChannel(stack);
    }

    private static InetAddress address(String literal) throws UnknownHostException {
        // An IP literal (checked when the configuration was read): no name is ever resolved.
        return InetAddress.getByName(literal);
    }

    static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message.replace('\n', ' ');
    }
}
