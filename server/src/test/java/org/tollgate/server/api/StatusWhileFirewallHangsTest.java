package org.tollgate.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tollgate.banner.action.BanOutcome;
import org.tollgate.banner.enforce.Enforcer;
import org.tollgate.banner.jail.ActionSettings;
import org.tollgate.banner.jail.Ban;
import org.tollgate.banner.jail.Failure;
import org.tollgate.banner.jail.HostAddresses;
import org.tollgate.banner.jail.InMemoryBanHistory;
import org.tollgate.banner.jail.JailSettings;
import org.tollgate.banner.jail.Jails;
import org.tollgate.banner.store.BanStore;
import org.tollgate.banner.action.AcceptingFirewall;
import org.tollgate.server.ban.BannerVerticle;
import org.tollgate.server.bus.Addresses;
import org.tollgate.server.bus.EventPublisher;
import org.tollgate.server.bus.LocalCodec;
import org.tollgate.server.config.ApiSettings;
import org.tollgate.testkit.Waits;

/**
 * A firewall call that hangs (as a tool stuck until the runner's 30 s timeout would) does not hold up the status:
 * {@code /api/status} and {@code /metrics} answer while it hangs, and show the ban as pending there. Here the call is
 * held in the JVM, for the API alone; {@code FirewallToolFaultsIT} makes the real ipset hang in a namespace.
 */
class StatusWhileFirewallHangsTest {

    /** A firewall whose ban call blocks until the test lets it go. */
    private static final class HangingFirewall extends AcceptingFirewall {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        HangingFirewall() {
            super("ipset:hanging");
        }

        @Override
        public BanOutcome ban(List<Ban> bans) {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return allApplied(bans);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();

    @Test
    void statusAndMetricsAnswerWhileAFirewallCallHangs() throws Exception {
        Clock clock = Clock.systemUTC();
        HangingFirewall firewall = new HangingFirewall();
        JailSettings jail = JailSettings.builder("sip-auth").maxretry(1).bantime(Duration.ofHours(1)).ignoreself(false)
                .actions(List.of(new ActionSettings("ipset", Map.of("set", "hanging"), 1))).build();
        Jails jails = new Jails(List.of(jail), clock, new SplittableRandom(), new InMemoryBanHistory(),
                HostAddresses.none());
        BanStore store = BanStore.inMemory(clock);
        Enforcer enforcer = new Enforcer(jails, store, clock, settings -> firewall);
        Vertx vertx = Vertx.vertx();
        try {
            EventPublisher.registerCodecs(vertx.eventBus());
            EventPublisher publisher = new EventPublisher(vertx.eventBus());
            BannerVerticle banner = new BannerVerticle(enforcer, Duration.ofMinutes(10), clock);
            LiveServiceView view = new LiveServiceView(enforcer::status, vertx.eventBus(), jails, publisher, () -> 0, banner::failuresHandled,
                    Map::of, Map::of, List::of, () -> StoreStatus.MEMORY, () -> org.tollgate.server.cluster.ClusterStatus.NONE);
            ApiVerticle api = new ApiVerticle(new ApiSettings("127.0.0.1", 0, null, "tollgate.yaml", 0), view, clock);
            vertx.deployVerticle(banner).compose(id -> vertx.deployVerticle(api))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

            vertx.eventBus().send(Addresses.FAILURES, new Failure(Instant.now(), "192.0.2.10", "auth-failed", true,
                    "100"), new DeliveryOptions().setLocalOnly(true).setCodecName(new LocalCodec<>(Failure.class).name()));
            assertThat(firewall.entered.await(30, TimeUnit.SECONDS)).as("the ban call started").isTrue();

            URI base = URI.create("http://127.0.0.1:" + api.actualPort() + "/");
            long began = System.nanoTime();
            HttpResponse<String> status = get(base.resolve("api/status"));
            long statusMillis = (System.nanoTime() - began) / 1_000_000;
            began = System.nanoTime();
            HttpResponse<String> metrics = get(base.resolve("metrics"));
            long metricsMillis = (System.nanoTime() - began) / 1_000_000;
            System.out.printf("while the firewall call hangs: /api/status in %d ms, /metrics in %d ms%n",
                    statusMillis, metricsMillis);

            assertThat(firewall.release.getCount()).as("still hanging while both answered").isEqualTo(1);
            assertThat(status.statusCode()).isEqualTo(200);
            JsonObject ban = new JsonObject(status.body()).getJsonArray("bans").getJsonObject(0);
            assertThat(ban.getString("ip")).isEqualTo("192.0.2.10");
            assertThat(ban.getBoolean("applied")).as("pending while the call hangs").isFalse();
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("tollgate_ban_actions{action=\"ipset:hanging\",state=\"pending\"} 1")
                    .contains("tollgate_action_usable{action=\"ipset:hanging\"} 1");

            firewall.release.countDown();
            Waits.until(() -> enforcer.status().bans().get(0).applied(), Duration.ofSeconds(30),
                    () -> "the ban applied once the call returned");
        } finally {
            firewall.release.countDown();
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            store.close();
        }
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).get(30, TimeUnit.SECONDS);
    }
}
