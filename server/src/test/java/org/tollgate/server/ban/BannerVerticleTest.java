package org.tollgate.server.ban;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tollgate.banner.action.BanOutcome;
import org.tollgate.banner.action.CommandRunner;
import org.tollgate.banner.action.FirewallAction;
import org.tollgate.banner.action.FirewallMonitor;
import org.tollgate.banner.config.TollgateConfigFile;
import org.tollgate.banner.ami.AmiClient;
import org.tollgate.banner.ami.AmiSettings;
import org.tollgate.banner.enforce.Enforcer;
import org.tollgate.banner.fraud.FraudJails;
import org.tollgate.banner.jail.ActionSettings;
import org.tollgate.banner.jail.Ban;
import org.tollgate.banner.jail.BanEvidence;
import org.tollgate.banner.jail.Failure;
import org.tollgate.banner.jail.HostAddresses;
import org.tollgate.banner.jail.InMemoryBanHistory;
import org.tollgate.banner.jail.JailSettings;
import org.tollgate.banner.jail.Jails;
import org.tollgate.banner.store.BanStore;
import org.tollgate.normalizer.AsteriskEvent;
import org.tollgate.normalizer.Normalizer;
import org.tollgate.normalizer.NormalizerOptions;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.server.bus.Addresses;
import org.tollgate.server.bus.EventPublisher;
import org.tollgate.server.bus.LocalCodec;
import org.tollgate.testkit.AmiManagerStub;
import org.tollgate.testkit.FakeClock;
import org.tollgate.testkit.Waits;

@ExtendWith(VertxExtension.class)
@Timeout(value = 2 * Waits.PATIENCE_SECONDS, timeUnit = TimeUnit.SECONDS)
class BannerVerticleTest {

    private static final String REASON = "test firewall reloaded";

    /**
     * A firewall that loses its bans when told to, and whose monitor is {@code printf} writing one "reloaded" line:
     * the watch runs it again after each exit, so a report comes every second.
     */
    private static final class ForgetfulFirewall implements FirewallAction {
        final AtomicBoolean lost = new AtomicBoolean();
        final AtomicInteger bans = new AtomicInteger();

        @Override
        public String name() {
            return "forgetful";
        }

        @Override
        public void setUp() {
        }

        @Override
        public BanOutcome ban(List<Ban> banned) {
            bans.incrementAndGet();
            lost.set(false);
            return new BanOutcome(banned.stream().map(Ban::ip).toList(), Map.of());
        }

        @Override
        public BanOutcome unban(List<Ban> lifted) {
            return new BanOutcome(lifted.stream().map(Ban::ip).toList(), Map.of());
        }

        @Override
        public Set<String> missing(Collection<Ban> active) {
            return lost.get() ? Set.copyOf(active.stream().map(Ban::ip).toList()) : Set.of();
        }

        @Override
        public Optional<FirewallMonitor> monitor() {
            return Optional.of(new FirewallMonitor(new CommandRunner(), List.of("printf", "%s\\n", "reloaded"),
                    () -> line -> line.equals("reloaded") ? Optional.of(REASON) : Optional.empty()));
        }

        @Override
        public void tearDown() {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aMonitorsReportPutsLostBansBackLongBeforeThePeriodicReconcile(Vertx vertx, VertxTestContext test)
            throws Exception {
        Clock clock = Clock.systemUTC();
        ForgetfulFirewall firewall = new ForgetfulFirewall();
        JailSettings jail = JailSettings.builder("sip-auth").bantime(Duration.ofHours(1)).ignoreself(false)
                .actions(List.of(new ActionSettings("log", Map.of(), 1))).build();
        Jails jails = new Jails(List.of(jail), clock, new SplittableRandom(), new InMemoryBanHistory(),
                HostAddresses.none());
        Enforcer enforcer = new Enforcer(jails, BanStore.inMemory(clock), clock, settings -> firewall);

        vertx.deployVerticle(new BannerVerticle(enforcer, Duration.ofMinutes(10), clock))
                .compose(id -> vertx.executeBlocking(() -> enforcer.ban("192.0.2.7", "sip-auth")))
                .onComplete(test.succeeding(ban -> {
                    assertThat(firewall.bans.get()).isEqualTo(1);
                    firewall.lost.set(true);
                    vertx.setPeriodic(20, timer -> {
                        if (firewall.bans.get() >= 2) {
                            test.verify(() -> assertThat(enforcer.counters().reconciled()).isEqualTo(1));
                            test.completeNow();
                        }
                    });
                }));

        assertThat(test.awaitCompletion(Waits.PATIENCE_SECONDS, TimeUnit.SECONDS)).as("ban put back").isTrue();
    }

    /**
     * Bans and unbans by hand arrive as commands, are made by the banner and published by it alone, marked as made
     * by hand; a refusal comes back as a failed reply with code 400.
     */
    /** A firewall whose first ban call waits until it is let go; every address it is given is applied. */
    private static final class HangingFirewall extends org.tollgate.banner.action.AcceptingFirewall {
        final java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        final Set<String> applied = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final AtomicInteger calls = new AtomicInteger();

        HangingFirewall() {
            super("hanging");
        }

        @Override
        public BanOutcome ban(List<Ban> banned) {
            calls.incrementAndGet();
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            banned.forEach(ban -> applied.add(ban.ip()));
            return super.ban(banned);
        }
    }

    private static Enforcer oneFailureBans(Clock clock, FirewallAction firewall) {
        JailSettings jail = JailSettings.builder("sip-auth").maxretry(1).bantime(Duration.ofHours(1))
                .ignoreself(false).actions(List.of(new ActionSettings("log", Map.of(), 1))).build();
        Jails jails = new Jails(List.of(jail), clock, new SplittableRandom(), new InMemoryBanHistory(),
                HostAddresses.none());
        return new Enforcer(jails, BanStore.inMemory(clock), clock, settings -> firewall);
    }

    private static Failure failure(String ip) {
        return new Failure(Instant.now(), ip, "auth-failed", true, "100");
    }

    /**
     * Failures offered straight from other threads (as the sources hand them on, with no event bus) while the first
     * ban's firewall call hangs: every one is counted once, in order, the bans of those that waited go to the firewall
     * together once it answers, each is published once, and past {@link BannerVerticle#MAX_PENDING} waiting the rest
     * are dropped and counted, never queued without bound.
     */
    @Test
    void failuresOfferedFromOtherThreadsAreEachCountedOnceAndBoundedWhileTheFirewallHangs(Vertx vertx)
            throws Exception {
        Clock clock = Clock.systemUTC();
        HangingFirewall firewall = new HangingFirewall();
        BannerVerticle banner = new BannerVerticle(oneFailureBans(clock, firewall), Duration.ofMinutes(10), clock);
        Set<String> published = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicInteger publications = new AtomicInteger();
        vertx.eventBus().<Buffer>consumer(Addresses.BANS, message -> {
            publications.incrementAndGet();
            published.add(message.body().toJsonObject().getJsonObject("source").getString("ip"));
        });
        Waits.result(vertx.deployVerticle(banner).toCompletionStage());

        banner.offer(failure("192.0.2.1"));
        assertThat(firewall.entered.await(Waits.PATIENCE_SECONDS, TimeUnit.SECONDS)).as("the first ban's call").isTrue();
        // Two threads offer 200 addresses while it hangs, then a flood of one address past the bound.
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            int half = t;
            threads.add(new Thread(() -> {
                for (int i = 0; i < 100; i++) {
                    banner.offer(failure("198.51.100." + (half * 100 + i)));
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        int flood = BannerVerticle.MAX_PENDING;
        for (int i = 0; i < flood; i++) {
            banner.offer(failure("203.0.113.9"));
        }
        int kept = BannerVerticle.MAX_PENDING - 1 - 200; // the first, in its call, and the 200 count as waiting
        assertThat(banner.failuresDropped()).isEqualTo(flood - kept);
        assertThat(banner.pending()).isEqualTo(BannerVerticle.MAX_PENDING);

        firewall.release.countDown();
        Waits.until("every failure counted", () -> banner.failuresHandled() == 1 + 200 + flood);
        Waits.until("every ban published", () -> published.size() == 202);
        assertThat(banner.pending()).isZero();
        assertThat(firewall.applied).hasSize(202);
        assertThat(firewall.calls.get()).as("the first ban, then those that waited, together").isEqualTo(2);
        assertThat(publications.get()).as("each ban published once").isEqualTo(202);
    }

    @Test
    void commandsByHandAreMadeAndPublishedByTheBanner(Vertx vertx, VertxTestContext test) throws Exception {
        Clock clock = Clock.systemUTC();
        ForgetfulFirewall firewall = new ForgetfulFirewall();
        JailSettings jail = JailSettings.builder("ami").bantime(Duration.ofHours(1)).ignoreself(false)
                .ignoreip(org.tollgate.banner.jail.AddressMatcher.parse(List.of("192.0.2.0/24")))
                .actions(List.of(new ActionSettings("log", Map.of(), 1))).build();
        Jails jails = new Jails(List.of(jail), clock, new SplittableRandom(), new InMemoryBanHistory(),
                HostAddresses.none());
        Enforcer enforcer = new Enforcer(jails, BanStore.inMemory(clock), clock, settings -> firewall);
        List<JsonObject> published = new CopyOnWriteArrayList<>();
        vertx.eventBus().<Buffer>consumer(Addresses.BANS,
                message -> published.add(message.body().toJsonObject()));

        vertx.deployVerticle(new BannerVerticle(enforcer, Duration.ofMinutes(10), clock))
                .compose(id -> vertx.eventBus().<BanCommand.Done>request(Addresses.BAN_COMMANDS,
                        new BanCommand.BanByHand("198.51.100.23", "ami"), BanCommand.REQUEST))
                .compose(banned -> {
                    test.verify(() -> assertThat(banned.body().bans()).extracting(Ban::ip).containsExactly("198.51.100.23"));
                    return vertx.eventBus().<BanCommand.Done>request(Addresses.BAN_COMMANDS,
                            new BanCommand.UnbanByHand("198.51.100.23"), BanCommand.REQUEST);
                })
                .compose(unbanned -> {
                    test.verify(() -> assertThat(unbanned.body().bans()).extracting(Ban::jail).containsExactly("ami"));
                    return vertx.eventBus().<BanCommand.Done>request(Addresses.BAN_COMMANDS,
                            new BanCommand.BanByHand("192.0.2.7", "ami"), BanCommand.REQUEST);
                })
                .onComplete(refused -> test.verify(() -> {
                    assertThat(refused.failed()).as("an address in ignoreip is refused").isTrue();
                    assertThat(((io.vertx.core.eventbus.ReplyException) refused.cause()).failureCode()).isEqualTo(400);
                    assertThat(published).hasSize(2);
                    assertThat(published.get(0).getJsonObject("event").getString("action")).isEqualTo("ban");
                    assertThat(published.get(0).getJsonObject("event").getString("reason"))
                            .isEqualTo("banned by hand through the admin API");
                    assertThat(published.get(0).getJsonObject("tollgate").getBoolean("manual")).isTrue();
                    assertThat(published.get(1).getJsonObject("event").getString("action")).isEqualTo("unban");
                    assertThat(published.get(1).getJsonObject("tollgate").getBoolean("manual")).isTrue();
                    test.completeNow();
                }));

        assertThat(test.awaitCompletion(30, TimeUnit.SECONDS)).isTrue();
    }

    /**
     * The live path of a fraud jail: the compromised extension's calls, sent as the event publisher sends them, trip
     * a jail of 3 concurrent calls at the fourth; its alert is published on tollgate.bans, then the ban of the trusted
     * source address in the failure jail the fraud jail names (handed to the cluster, which shares it when that jail's
     * scope is the cluster), and the manager hangs up exactly the four calls up.
     */
    @Test
    void aFraudJailsAlertAndTheBanOfItsSourceArePublished(Vertx vertx, VertxTestContext test) throws Exception {
        Clock clock = Clock.systemUTC();
        JailSettings jail = JailSettings.builder("sip-auth").bantime(Duration.ofHours(1)).ignoreself(false)
                .actions(List.of(new ActionSettings("log", Map.of(), 1))).build();
        Jails jails = new Jails(List.of(jail), clock, new SplittableRandom(), new InMemoryBanHistory(),
                HostAddresses.none());
        ForgetfulFirewall firewall = new ForgetfulFirewall();
        Enforcer enforcer = new Enforcer(jails, BanStore.inMemory(clock), clock, settings -> firewall);
        FraudJails fraud = new FraudJails(TollgateConfigFile.parse(
                "fraud:\n  office:\n    concurrent: 3\n    ban_source: sip-auth\n    stop_calls: true\n", "tollgate.yaml").fraud().values());
        List<AsteriskEvent> calls = new ArrayList<>();
        Normalizer normalizer = new Normalizer(
                NormalizerOptions.defaults().withZone(ZoneOffset.UTC));
        for (String line : Files.readAllLines(
                Path.of("../banner/src/test/resources/fraud/compromised-extension.log"))) {
            normalizer.normalize(line, false, result -> {
                if (result instanceof ParseResult.Parsed parsed && parsed.event().isCall()) {
                    calls.add(parsed.event());
                }
            });
        }
        List<JsonObject> published = new CopyOnWriteArrayList<>();
        EventPublisher.registerCodecs(vertx.eventBus());
        vertx.eventBus().<Buffer>consumer(Addresses.BANS, message -> {
            published.add(message.body().toJsonObject());
            if (published.size() == 2) {
                test.verify(() -> {
                    JsonObject alert = published.get(0);
                    assertThat(alert.getJsonObject("event").getString("action")).isEqualTo("fraud-alert");
                    assertThat(alert.getJsonObject("tollgate").getJsonObject("fraud").getString("limit"))
                            .isEqualTo("concurrent");
                    assertThat(alert.getJsonObject("tollgate").getJsonObject("fraud").getJsonArray("channels"))
                            .hasSize(4);
                    JsonObject ban = published.get(1);
                    assertThat(ban.getJsonObject("event").getString("action")).isEqualTo("ban");
                    assertThat(ban.getJsonObject("source").getString("ip")).isEqualTo("203.0.113.66");
                    assertThat(ban.getJsonObject("tollgate").getString("jail")).isEqualTo("sip-auth");
                });
                test.completeNow();
            }
        });

        List<String> burst = List.of("PJSIP/1007-00000368", "PJSIP/1007-0000036a", "PJSIP/1007-0000036c",
                "PJSIP/1007-0000036e");
        AmiManagerStub manager = new AmiManagerStub(List.of(burst.get(0), burst.get(1), burst.get(2), burst.get(3),
                "PJSIP/1001-00000400"), "s3cret");
        AmiClient ami = new AmiClient(new AmiSettings("127.0.0.1", manager.port(), "tollgate", "s3cret",
                AmiSettings.Auth.MD5, 30_000));

        // In a cluster, the fraud jail's ban goes to the cluster like the failure jail's own bans (shared when that
        // jail's scope is the cluster: ClusterVerticle.banned).
        List<Ban> shared = new CopyOnWriteArrayList<>();
        ClusterLink cluster = new ClusterLink() {
            @Override
            public boolean countsHere(Failure failure) {
                return true;
            }

            @Override
            public void banned(List<Ban> bans, boolean manual) {
                if (!manual) {
                    shared.addAll(bans);
                }
            }

            @Override
            public void lifted(List<Ban> bans, Instant at) {
            }

            @Override
            public String observerIp() {
                return "198.51.100.11";
            }
        };
        vertx.deployVerticle(new BannerVerticle(enforcer, Duration.ofMinutes(10), clock, null, fraud, ami,
                        new BanEvidence(), cluster, "pbx-a"))
                .onComplete(test.succeeding(id -> {
                    DeliveryOptions local = new DeliveryOptions()
                            .setLocalOnly(true).setCodecName(new LocalCodec<>(
                                    AsteriskEvent.class).name());
                    calls.forEach(call -> vertx.eventBus().send(Addresses.CALLS, call, local));
                }));

        assertThat(test.awaitCompletion(2 * Waits.PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(calls).hasSizeGreaterThan(20);
        Waits.until("the manager's hangups", () -> manager.received("Logoff", "ActionID").size() == 1);
        assertThat(manager.received("Hangup", "Channel")).containsExactlyElementsOf(burst);
        assertThat(manager.live).containsExactly("PJSIP/1001-00000400");
        assertThat(shared).singleElement().satisfies(ban -> {
            assertThat(ban.ip()).isEqualTo("203.0.113.66");
            assertThat(ban.jail()).isEqualTo("sip-auth");
        });
        manager.close();
    }

    /**
     * A call answered and still up after three hours trips a 120-minute limit while it is up: the banner's periodic
     * check counts its minutes by the service clock (a fake clock here, moved by hand), not only at its end.
     */
    @Test
    void aCallStillUpForHoursTripsTheMinutesLimitWhileItIsUp(Vertx vertx) throws Exception {
        FakeClock time = new FakeClock("2026-01-20T10:00:00Z");
        Clock clock = time.withZone(ZoneOffset.UTC);
        Jails jails = new Jails(List.of(), clock, new SplittableRandom(), new InMemoryBanHistory(),
                HostAddresses.none());
        Enforcer enforcer = new Enforcer(jails, BanStore.inMemory(clock), clock, settings -> new ForgetfulFirewall());
        FraudJails fraud = new FraudJails(TollgateConfigFile.parse(
                "fraud:\n  office:\n    minutes: {max: 120, window: 1d}\n", "tollgate.yaml").fraud().values());
        List<AsteriskEvent> calls = new ArrayList<>();
        Normalizer normalizer = new Normalizer(NormalizerOptions.defaults().withZone(ZoneOffset.UTC));
        for (String line : List.of(
                "[2026-01-20 10:00:00] VERBOSE[3020][C-00000334] pbx.c: Executing [0044207946012@from-internal:1]"
                        + " Dial(\"PJSIP/1007-00000368\", \"PJSIP/0044207946012@trunk,60,T\") in new stack",
                "[2026-01-20 10:00:00] VERBOSE[3020][C-00000334] app_dial.c: PJSIP/trunk-00000369 answered"
                        + " PJSIP/1007-00000368")) {
            normalizer.normalize(line, false, result -> {
                if (result instanceof ParseResult.Parsed parsed && parsed.event().isCall()) {
                    calls.add(parsed.event());
                }
            });
        }
        assertThat(calls).extracting(event -> event.call().kind().action())
                .containsExactly("call-started", "call-answered");
        List<JsonObject> published = new CopyOnWriteArrayList<>();
        EventPublisher.registerCodecs(vertx.eventBus());
        vertx.eventBus().<Buffer>consumer(Addresses.BANS, message -> published.add(message.body().toJsonObject()));
        Waits.result(vertx.deployVerticle(new BannerVerticle(enforcer, Duration.ofMinutes(10), clock, null, fraud,
                null)).toCompletionStage());
        DeliveryOptions local = new DeliveryOptions().setLocalOnly(true)
                .setCodecName(new LocalCodec<>(AsteriskEvent.class).name());
        calls.forEach(call -> vertx.eventBus().send(Addresses.CALLS, call, local));
        Waits.until("the call counted and answered", () -> fraud.answeredUp() == 1);

        long before = fraud.checks();
        time.advance(Duration.ofMinutes(100));
        // Two more checks: the second surely read the clock after it was moved.
        Waits.until("a check at 100 minutes", () -> fraud.checks() > before + 1);
        assertThat(published).as("100 minutes up: under the limit").isEmpty();
        time.advance(Duration.ofMinutes(80));
        Waits.until("the alert of the call still up", () -> !published.isEmpty());
        JsonObject alert = published.get(0);
        assertThat(alert.getJsonObject("event").getString("action")).isEqualTo("fraud-alert");
        JsonObject limit = alert.getJsonObject("tollgate").getJsonObject("fraud");
        assertThat(limit.getString("limit")).isEqualTo("minutes");
        assertThat(limit.getLong("count")).isEqualTo(180);
        assertThat(alert.getJsonObject("event").getString("reason")).contains("180 of them on calls still up");
        assertThat(limit.getJsonArray("channels")).containsExactly("PJSIP/1007-00000368");
    }

    /**
     * The manager refuses the login when a fraud jail trips: the stop waits, nothing is tried while the backoff runs
     * (however many ticks pass), and once it is over and the manager's secret is put right, the endpoint is stopped.
     */
    @Test
    void aStopTheManagerRefusedIsSentAgainAfterTheBackoff(Vertx vertx) throws Exception {
        FakeClock time = new FakeClock("2026-01-20T02:13:00Z");
        Clock clock = time.withZone(ZoneOffset.UTC);
        Jails jails = new Jails(List.of(), clock, new SplittableRandom(), new InMemoryBanHistory(),
                HostAddresses.none());
        Enforcer enforcer = new Enforcer(jails, BanStore.inMemory(clock), clock, settings -> new ForgetfulFirewall());
        FraudJails fraud = new FraudJails(TollgateConfigFile.parse("fraud:\n  office:\n    blocked: [international]\n"
                + "    stop_calls: true\n", "tollgate.yaml").fraud().values());
        List<AsteriskEvent> calls = new ArrayList<>();
        new Normalizer(NormalizerOptions.defaults().withZone(ZoneOffset.UTC)).normalize("[2026-01-20 02:13:00]"
                + " VERBOSE[3020][C-00000334] pbx.c: Executing [0044207946012@from-internal:1]"
                + " Dial(\"PJSIP/1007-00000368\", \"PJSIP/0044207946012@trunk,60,T\") in new stack", false, result -> {
                    if (result instanceof ParseResult.Parsed parsed && parsed.event().isCall()) {
                        calls.add(parsed.event());
                    }
                });
        AmiManagerStub manager = new AmiManagerStub(List.of("PJSIP/1007-00000368"), "not-yet");
        AmiClient ami = new AmiClient(new AmiSettings("127.0.0.1", manager.port(), "tollgate", "s3cret",
                AmiSettings.Auth.MD5, 30_000), time);
        EventPublisher.registerCodecs(vertx.eventBus());
        Waits.result(vertx.deployVerticle(new BannerVerticle(enforcer, Duration.ofMinutes(10), clock, null, fraud,
                ami)).toCompletionStage());
        vertx.eventBus().send(Addresses.CALLS, calls.get(0), new DeliveryOptions().setLocalOnly(true)
                .setCodecName(new LocalCodec<>(AsteriskEvent.class).name()));
        Waits.until("the refused login", () -> ami.refused() != null);
        long before = fraud.checks();
        Waits.until("three ticks", () -> fraud.checks() > before + 2);
        assertThat(manager.connections.get()).as("no try while the backoff runs").isEqualTo(1);
        assertThat(manager.received("DBPut", "Key")).isEmpty();

        manager.secret("s3cret");
        time.advance(AmiClient.FIRST_RETRY);
        Waits.until("the endpoint stopped", () -> manager.received("Logoff", "ActionID").size() == 1);
        assertThat(manager.received("DBPut", "Key")).containsExactly("PJSIP/1007");
        assertThat(manager.received("Hangup", "Channel")).containsExactly("PJSIP/1007-00000368");
        assertThat(manager.connections.get()).isEqualTo(2);
        assertThat(ami.problem()).isNull();
        manager.close();
    }
}
