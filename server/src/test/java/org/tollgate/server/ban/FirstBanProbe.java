package org.tollgate.server.ban;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.tollgate.banner.action.AcceptingFirewall;
import org.tollgate.banner.enforce.Enforcer;
import org.tollgate.banner.jail.ActionSettings;
import org.tollgate.banner.jail.Failure;
import org.tollgate.banner.jail.HostAddresses;
import org.tollgate.banner.jail.InMemoryBanHistory;
import org.tollgate.banner.jail.JailSettings;
import org.tollgate.banner.jail.Jails;
import org.tollgate.banner.store.BanStore;
import org.tollgate.server.ColdClasses;
import org.tollgate.server.bus.Addresses;

/**
 * The first ban after a banner's start, in a JVM of its own (run by {@link FirstBanClassesTest}): the classes loaded
 * or defined from the failure's offer to the ban's publication on the threads the ban takes (the enforcer's and the
 * event loops), printed as {@code COLD <thread> <class>} ({@link ColdClasses}), then {@code DONE}. In a JVM of its
 * own because a class or call site is cold only once per JVM: in the tests' JVM another test's ban would have warmed
 * it.
 */
public final class FirstBanProbe {

    private FirstBanProbe() {
    }

    public static void main(String[] args) throws Exception {
        Clock clock = Clock.systemUTC();
        JailSettings jail = JailSettings.builder("sip-auth").maxretry(1).bantime(Duration.ofHours(1))
                .ignoreself(false).actions(List.of(new ActionSettings("log", Map.of(), 1))).build();
        Jails jails = new Jails(List.of(jail), clock, new SplittableRandom(), new InMemoryBanHistory(),
                HostAddresses.none());
        Enforcer enforcer = new Enforcer(jails, BanStore.inMemory(clock), clock,
                settings -> new AcceptingFirewall("accepting"));
        Vertx vertx = Vertx.vertx();
        BannerVerticle banner = new BannerVerticle(enforcer, Duration.ofMinutes(10), clock);
        CountDownLatch published = new CountDownLatch(1);
        vertx.eventBus().<Buffer>localConsumer(Addresses.BANS, message -> published.countDown())
                .completion().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        vertx.deployVerticle(banner).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        Failure failure = new Failure(Instant.now(), "198.51.100.1", "auth-failed", true, "100");
        ColdClasses cold = new ColdClasses();
        banner.offer(failure);
        if (!published.await(60, TimeUnit.SECONDS)) {
            System.out.println("NOT PUBLISHED");
        }
        cold.print(thread -> thread.equals(BannerVerticle.ENFORCER_THREAD)
                || thread.startsWith("vert.x-eventloop-thread-"));
        System.out.println("DONE");
        vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        System.exit(0);
    }
}
