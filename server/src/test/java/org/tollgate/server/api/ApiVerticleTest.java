package org.tollgate.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.server.bus.Addresses;
import org.tollgate.server.cluster.ClusterStatus;
import org.tollgate.server.config.ApiSettings;
import org.tollgate.testkit.Waits;

@ExtendWith(VertxExtension.class)
@Timeout(value = 2 * Waits.PATIENCE_SECONDS, timeUnit = TimeUnit.SECONDS)
class ApiVerticleTest {

    static final String TOKEN = "test-token-0123456789abcdef";
    private static final Instant NOW = Instant.parse("2026-03-01T12:30:20Z");

    @TempDir
    Path dir;

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private FakeServiceView view;
    private HttpClient client;
    private int port;

    /** A response read whole. */
    record Response(int status, MultiMap headers, Buffer body) {
        JsonObject json() {
            return body.toJsonObject();
        }

        String text() {
            return body.toString();
        }
    }

    @BeforeEach
    void deploy(Vertx vertx, VertxTestContext context) throws Exception {
        Path token = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        view = new FakeServiceView(clock, "sip-auth", "ami")
                .withBan("203.0.113.45", "sip-auth", Duration.ofMinutes(5),
                        FakeServiceView.applied("ipset:tollgate-sip-auth"), FakeServiceView.applied("conntrack"))
                .withBan("2001:db8:bad::7", "sip-auth", Duration.ofMinutes(2),
                        FakeServiceView.applied("ipset:tollgate-sip-auth"),
                        FakeServiceView.failed("conntrack", "conntrack: exit 1"));
        ApiVerticle api = new ApiVerticle(new ApiSettings("127.0.0.1", 0, token, "tollgate.yaml", 3), view, clock);
        client = vertx.createHttpClient();
        vertx.deployVerticle(api).onComplete(context.succeeding(id -> {
            port = api.actualPort();
            context.completeNow();
        }));
    }

    private Future<Response> send(HttpMethod method, String path, String token, String body) {
        RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(path);
        if (token != null) {
            options.putHeader("Authorization", "Bearer " + token);
        }
        return client.request(options)
                .compose(request -> body == null ? request.send() : request.send(body))
                .compose(response -> response.body().map(bytes -> new Response(response.statusCode(),
                        response.headers(), bytes)));
    }

    private Future<Response> get(String path) {
        return send(HttpMethod.GET, path, null, null);
    }

    @Test
    void changesNeedTheToken(VertxTestContext context) {
        String body = new JsonObject().put("jail", "ami").put("ip", "198.51.100.23").encode();
        send(HttpMethod.POST, "/api/bans", null, body)
                .compose(none -> {
                    context.verify(() -> {
                        assertThat(none.status()).isEqualTo(401);
                        assertThat(none.json().getString("error")).contains("Authorization: Bearer");
                        assertThat(none.headers().get("WWW-Authenticate")).startsWith("Bearer");
                        assertThat(view.bannedAddresses()).doesNotContain("198.51.100.23");
                    });
                    return send(HttpMethod.POST, "/api/bans", "wrong-token-0123456789", body);
                })
                .compose(wrong -> {
                    context.verify(() -> assertThat(wrong.status()).isEqualTo(401));
                    return send(HttpMethod.DELETE, "/api/bans/203.0.113.45", null, null);
                })
                .compose(unbanWithout -> {
                    context.verify(() -> {
                        assertThat(unbanWithout.status()).isEqualTo(401);
                        assertThat(view.bannedAddresses()).contains("203.0.113.45");
                    });
                    return send(HttpMethod.POST, "/api/bans", TOKEN, body);
                })
                .compose(banned -> {
                    context.verify(() -> {
                        assertThat(banned.status()).isEqualTo(200);
                        JsonObject ban = banned.json().getJsonObject("banned");
                        assertThat(ban.getString("ip")).isEqualTo("198.51.100.23");
                        assertThat(ban.getString("jail")).isEqualTo("ami");
                        assertThat(ban.getString("end")).isEqualTo(NOW.plus(Duration.ofHours(1)).toString());
                        assertThat(view.bannedAddresses()).contains("198.51.100.23");
                    });
                    return send(HttpMethod.DELETE, "/api/bans/203.0.113.45", TOKEN, null);
                })
                .onComplete(context.succeeding(unbanned -> context.verify(() -> {
                    assertThat(unbanned.status()).isEqualTo(200);
                    JsonArray lifted = unbanned.json().getJsonArray("unbanned");
                    assertThat(lifted).hasSize(1);
                    assertThat(lifted.getJsonObject(0).getString("jail")).isEqualTo("sip-auth");
                    assertThat(view.bannedAddresses()).doesNotContain("203.0.113.45");
                    context.completeNow();
                })));
    }

    /**
     * Bans and unbans by hand go to the service (the banner, in the real one) and the API itself publishes nothing on
     * tollgate.bans: the banner is the only publisher there (BannerVerticleTest shows what it publishes).
     */
    @Test
    void theApiItselfPublishesNoBan(Vertx vertx, VertxTestContext context) {
        List<JsonObject> published = new CopyOnWriteArrayList<>();
        vertx.eventBus().<Buffer>consumer(Addresses.BANS, message -> published.add(message.body().toJsonObject()))
                .completion()
                .compose(registered -> send(HttpMethod.POST, "/api/bans", TOKEN,
                        new JsonObject().put("jail", "ami").put("ip", "198.51.100.23").encode()))
                .compose(banned -> {
                    context.verify(() -> assertThat(banned.status()).isEqualTo(200));
                    return send(HttpMethod.DELETE, "/api/bans/198.51.100.23", TOKEN, null);
                })
                .compose(unbanned -> {
                    context.verify(() -> assertThat(unbanned.status()).isEqualTo(200));
                    return get("/metrics");
                })
                .onComplete(context.succeeding(metrics -> context.verify(() -> {
                    assertThat(view.bannedAddresses()).doesNotContain("198.51.100.23");
                    assertThat(published).isEmpty();
                    context.completeNow();
                })));
    }

    @Test
    void addressesAreIpLiteralsOnly(VertxTestContext context) {
        send(HttpMethod.POST, "/api/bans", TOKEN, new JsonObject().put("jail", "ami").put("ip", "pbx.example").encode())
                .compose(name -> {
                    context.verify(() -> {
                        assertThat(name.status()).isEqualTo(400);
                        assertThat(name.json().getString("error"))
                                .isEqualTo("ip: expected an IP literal such as 192.0.2.7 or 2001:db8::7, was 'pbx.example'");
                    });
                    return send(HttpMethod.DELETE, "/api/bans/192.0.2.300", TOKEN, null);
                })
                .compose(bad -> {
                    context.verify(() -> assertThat(bad.status()).isEqualTo(400));
                    return send(HttpMethod.POST, "/api/bans", TOKEN, "{not json");
                })
                .compose(notJson -> {
                    context.verify(() -> assertThat(notJson.status()).isEqualTo(400));
                    return send(HttpMethod.POST, "/api/bans", TOKEN,
                            new JsonObject().put("jail", "ami").put("ip", "192.0.2.9").put("for", "1h").encode());
                })
                .compose(unknownKey -> {
                    context.verify(() -> {
                        assertThat(unknownKey.status()).isEqualTo(400);
                        assertThat(unknownKey.json().getString("error")).contains("unknown key 'for'");
                    });
                    return send(HttpMethod.POST, "/api/bans", TOKEN,
                            new JsonObject().put("jail", "ami").put("ip", "192.0.2.1").encode());
                })
                .compose(ignored -> {
                    context.verify(() -> {
                        assertThat(ignored.status()).isEqualTo(400);
                        assertThat(ignored.json().getString("error")).contains("ignoreip");
                    });
                    // IPv6 in the path, in a long form: canonicalised before the service sees it.
                    return send(HttpMethod.DELETE, "/api/bans/2001:DB8:BAD:0:0:0:0:7", TOKEN, null);
                })
                .onComplete(context.succeeding(v6 -> context.verify(() -> {
                    assertThat(v6.status()).isEqualTo(200);
                    assertThat(v6.json().getJsonArray("unbanned").getJsonObject(0).getString("ip"))
                            .isEqualTo("2001:db8:bad::7");
                    context.completeNow();
                })));
    }

    /** Unspecified, loopback, multicast and broadcast addresses are refused before the service sees them. */
    @Test
    void addressesNoFirewallMayBanAre400(VertxTestContext context) {
        List<String> refused = List.of("0.0.0.0", "::", "127.0.0.1", "::1", "224.0.0.5", "ff02::1", "255.255.255.255");
        Future<Void> chain = Future.succeededFuture();
        for (String ip : refused) {
            chain = chain.compose(done -> send(HttpMethod.POST, "/api/bans", TOKEN,
                    new JsonObject().put("jail", "ami").put("ip", ip).encode())).map(response -> {
                        context.verify(() -> {
                            assertThat(response.status()).as(ip).isEqualTo(400);
                            assertThat(response.json().getString("error")).as(ip)
                                    .startsWith("ip: ").endsWith("; it is never banned");
                        });
                        return null;
                    });
        }
        chain.onComplete(context.succeeding(done -> context.verify(() -> {
            assertThat(view.bannedAddresses()).doesNotContainAnyElementsOf(refused);
            context.completeNow();
        })));
    }

    @Test
    void unknownJailsAndAddressesNotBannedAre404(VertxTestContext context) {
        send(HttpMethod.POST, "/api/bans", TOKEN, new JsonObject().put("jail", "sshd").put("ip", "192.0.2.9").encode())
                .compose(jail -> {
                    context.verify(() -> {
                        assertThat(jail.status()).isEqualTo(404);
                        assertThat(jail.json().getString("error"))
                                .isEqualTo("no running jail is named 'sshd'; running: sip-auth, ami");
                        assertThat(view.bannedAddresses()).doesNotContain("192.0.2.9");
                    });
                    return send(HttpMethod.DELETE, "/api/bans/198.51.100.99", TOKEN, null);
                })
                .compose(notBanned -> {
                    context.verify(() -> {
                        assertThat(notBanned.status()).isEqualTo(404);
                        assertThat(notBanned.json().getString("error")).isEqualTo("198.51.100.99 is not banned in any jail");
                    });
                    return get("/api/nothing");
                })
                .onComplete(context.succeeding(route -> context.verify(() -> {
                    assertThat(route.status()).isEqualTo(404);
                    assertThat(route.json().getString("error")).contains("/api/nothing");
                    context.completeNow();
                })));
    }

    @Test
    void statusOnLoopbackNeedsNoTokenAndShowsPerActionState(VertxTestContext context) {
        get("/api/status").onComplete(context.succeeding(response -> context.verify(() -> {
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.headers().get("Content-Type")).startsWith("application/json");
            JsonObject status = response.json();
            JsonArray jails = status.getJsonArray("jails");
            assertThat(jails).hasSize(2);
            assertThat(jails.getJsonObject(0).getString("name")).isEqualTo("sip-auth");
            assertThat(jails.getJsonObject(0).getInteger("active")).isEqualTo(2);
            assertThat(jails.getJsonObject(0).getJsonObject("skipped").getLong("untrusted")).isEqualTo(2);
            assertThat(status.getJsonObject("pipeline").getLong("lines_read")).isEqualTo(120);
            assertThat(status.getJsonObject("pipeline").getJsonObject("queue_depths").getLong("jails")).isZero();
            assertThat(status.getJsonObject("firewall").getLong("failed")).isEqualTo(1);
            JsonArray bans = status.getJsonArray("bans");
            assertThat(bans).hasSize(2);
            JsonObject v6 = bans.getJsonObject(1);
            assertThat(v6.getString("ip")).isEqualTo("2001:db8:bad::7");
            assertThat(v6.getBoolean("applied")).isFalse();
            JsonObject conntrack = v6.getJsonArray("actions").getJsonObject(1);
            assertThat(conntrack.getString("action")).isEqualTo("conntrack");
            assertThat(conntrack.getString("state")).isEqualTo("failed");
            assertThat(conntrack.getString("last_error")).isEqualTo("conntrack: exit 1");
            context.completeNow();
        })));
    }

    @Test
    void readsNamingAnotherHostNeedTheToken(VertxTestContext context) {
        // A page that points its own name at 127.0.0.1 sends that name as Host: no open read for it.
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
                .setURI("/api/bans").putHeader("Host", "rebind.example:9190");
        client.request(options).compose(request -> request.send())
                .compose(response -> {
                    context.verify(() -> assertThat(response.statusCode()).isEqualTo(401));
                    return client.request(new RequestOptions(options).putHeader("Authorization", "Bearer " + TOKEN))
                            .compose(request -> request.send());
                })
                .onComplete(context.succeeding(response -> context.verify(() -> {
                    assertThat(response.statusCode()).isEqualTo(200);
                    context.completeNow();
                })));
    }

    @Test
    void metricsHaveTheExpectedNames(Vertx vertx, VertxTestContext context) {
        BusEvents.publishSecurity(vertx.eventBus(),
                BusEvents.security("auth-failed", "203.0.113.45", true, "100", NOW.minusSeconds(30)));
        BusEvents.publishSecurity(vertx.eventBus(),
                BusEvents.security("auth-failed", "203.0.113.45", true, "101", NOW.minusSeconds(20)));
        BusEvents.publishSecurity(vertx.eventBus(),
                BusEvents.security("ami-login-failed", "192.0.2.45", true, "admin", NOW.minusSeconds(10)));
        BusEvents.publishBan(vertx.eventBus(), BusEvents.ban("203.0.113.45", "sip-auth", NOW.minusMillis(40)));
        eventually(vertx, context, () -> get("/metrics"), response -> {
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.headers().get("Content-Type")).startsWith("text/plain; version=0.0.4");
            assertThat(response.text())
                    .contains("# TYPE tollgate_lines_read_total counter\ntollgate_lines_read_total 120\n")
                    .contains("tollgate_events_total 120\n")
                    .contains("tollgate_security_events_total{action=\"auth-failed\"} 2\n")
                    .contains("tollgate_security_events_total{action=\"ami-login-failed\"} 1\n")
                    .contains("tollgate_failures_total 30\n")
                    .contains("tollgate_queue_depth{queue=\"jails\"} 0\n")
                    .contains("tollgate_jail_bans_total{jail=\"sip-auth\"} 2\n")
                    .contains("tollgate_jail_skipped_total{jail=\"ami\",reason=\"untrusted\"} 2\n")
                    .contains("tollgate_bans_active{jail=\"sip-auth\"} 2\n")
                    .contains("tollgate_ban_actions{action=\"conntrack\",state=\"applied\"} 1\n")
                    .contains("tollgate_ban_actions{action=\"conntrack\",state=\"failed\"} 1\n")
                    .contains("tollgate_firewall_failures_total 1\n")
                    .contains("tollgate_firewall_applied_total 2\n")
                    .contains("# TYPE tollgate_ban_lag_seconds histogram\n")
                    .contains("tollgate_ban_lag_seconds_bucket{le=\"0.025\"} 0\n")
                    .contains("tollgate_ban_lag_seconds_bucket{le=\"0.05\"} 1\n")
                    .contains("tollgate_ban_lag_seconds_bucket{le=\"+Inf\"} 1\n")
                    .contains("tollgate_ban_lag_seconds_count 1\n");
        });
    }

    @Test
    void theClusterIsInTheMetrics(Vertx vertx, VertxTestContext context) {
        view.withCluster(new ClusterStatus("pbx-site", 2, List.of(
                new ClusterStatus.Member("pbx-a", "198.51.100.11:7800", "self", null),
                new ClusterStatus.Member("pbx-b", "198.51.100.12:7800", "up", NOW.minusSeconds(1)),
                new ClusterStatus.Member(null, "198.51.100.13:7800", "unreachable", null)),
                41, 37, 2, 12, 9, 3, 1, 58, NOW.minusSeconds(7),
                new ClusterStatus.Delays(new double[] {0.05, 0.25}, new long[] {30, 36}, 37, 4.5)));
        eventually(vertx, context, () -> get("/metrics"), response -> {
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text())
                    .contains("tollgate_cluster_members 2\n")
                    .contains("tollgate_cluster_member_up{member=\"198.51.100.11:7800\"} 1\n")
                    .contains("tollgate_cluster_member_up{member=\"198.51.100.12:7800\"} 1\n")
                    .contains("tollgate_cluster_member_up{member=\"198.51.100.13:7800\"} 0\n")
                    .contains("tollgate_cluster_bans_shared_total 41\n")
                    .contains("tollgate_cluster_bans_received_total 37\n")
                    .contains("tollgate_cluster_lifts_received_total 2\n")
                    .contains("tollgate_cluster_failures_forwarded_total 12\n")
                    .contains("tollgate_cluster_failures_received_total 9\n")
                    .contains("tollgate_cluster_events_unshared_total 3\n")
                    .contains("tollgate_cluster_map_write_failures_total 1\n")
                    .contains("tollgate_cluster_comparisons_total 58\n")
                    .contains("# TYPE tollgate_cluster_propagation_seconds histogram\n")
                    .contains("tollgate_cluster_propagation_seconds_bucket{le=\"0.05\"} 30\n")
                    .contains("tollgate_cluster_propagation_seconds_count 37\n");
        });
    }

    @Test
    void summaryCountsTrustedAttackersUserNamesAndMinutes(Vertx vertx, VertxTestContext context) {
        for (int i = 0; i < 3; i++) {
            BusEvents.publishSecurity(vertx.eventBus(),
                    BusEvents.security("auth-failed", "203.0.113.45", true, "100", NOW.minusSeconds(60 * i)));
        }
        // An address the attacker wrote into a header is not an attacker's address; the user name still counts.
        BusEvents.publishSecurity(vertx.eventBus(),
                BusEvents.security("auth-failed", "198.51.100.200", false, "<script>", NOW));
        // Older than the hour: not on the chart.
        BusEvents.publishSecurity(vertx.eventBus(),
                BusEvents.security("auth-failed", "192.0.2.45", true, "admin", NOW.minus(Duration.ofHours(2))));
        eventually(vertx, context, () -> get("/api/summary"), response -> {
            assertThat(response.status()).isEqualTo(200);
            JsonObject summary = response.json();
            assertThat(summary.getJsonArray("bans")).hasSize(2);
            JsonArray sources = summary.getJsonArray("top_sources");
            assertThat(sources).hasSize(2);
            assertThat(sources.getJsonObject(0).getString("ip")).isEqualTo("203.0.113.45");
            assertThat(sources.getJsonObject(0).getLong("count")).isEqualTo(3);
            assertThat(sources.getJsonObject(1).getString("ip")).isEqualTo("192.0.2.45");
            JsonArray users = summary.getJsonArray("top_users");
            assertThat(users.getJsonObject(0).getString("name")).isEqualTo("100");
            assertThat(users.stream().map(u -> ((JsonObject) u).getString("name"))).contains("<script>", "admin");
            JsonObject minutes = summary.getJsonObject("attacks_per_minute");
            assertThat(minutes.getString("start")).isEqualTo("2026-03-01T11:31:00Z");
            JsonArray counts = minutes.getJsonArray("counts");
            assertThat(counts).hasSize(60);
            assertThat(counts.getLong(59)).isEqualTo(2);
            assertThat(counts.getLong(58)).isEqualTo(1);
            assertThat(counts.getLong(57)).isEqualTo(1);
            assertThat(counts.stream().mapToLong(c -> ((Number) c).longValue()).sum()).isEqualTo(4);
        });
    }

    @Test
    void summaryCountsCountriesAndNetworksOfTrustedAttackers(Vertx vertx, VertxTestContext context) {
        for (int i = 0; i < 3; i++) {
            JsonObject event = BusEvents.security("auth-failed", "203.0.113." + (45 + i), true, "100", NOW);
            event.getJsonObject("source").put("geo", new JsonObject().put("country_iso_code", "DE")
                    .put("country_name", "Germany")).put("as", new JsonObject().put("number", 64500)
                    .put("organization", new JsonObject().put("name", "Example Hosting GmbH")));
            BusEvents.publishSecurity(vertx.eventBus(), event);
        }
        // Without geo or AS: the network is the /24, and no country.
        BusEvents.publishSecurity(vertx.eventBus(), BusEvents.security("auth-failed", "198.51.100.23", true, "1", NOW));
        JsonObject untrusted = BusEvents.security("auth-failed", "192.0.2.9", false, "2", NOW);
        untrusted.getJsonObject("source").put("geo", new JsonObject().put("country_iso_code", "FR"));
        BusEvents.publishSecurity(vertx.eventBus(), untrusted);
        eventually(vertx, context, () -> get("/api/summary"), response -> {
            JsonObject summary = response.json();
            JsonArray countries = summary.getJsonArray("top_countries");
            assertThat(countries).hasSize(1);
            assertThat(countries.getJsonObject(0).getString("country")).isEqualTo("DE");
            assertThat(countries.getJsonObject(0).getString("name")).isEqualTo("Germany");
            assertThat(countries.getJsonObject(0).getLong("count")).isEqualTo(3);
            JsonArray networks = summary.getJsonArray("top_networks");
            assertThat(networks.getJsonObject(0).getString("network")).isEqualTo("AS64500 Example Hosting GmbH");
            assertThat(networks.getJsonObject(0).getLong("count")).isEqualTo(3);
            assertThat(networks.getJsonObject(1).getString("network")).isEqualTo("198.51.100.0/24");
            assertThat(networks).hasSize(2);
        });
    }

    @Test
    void theStatusPageIsServedWithAStrictPolicy(VertxTestContext context) {
        get("/").compose(page -> {
            context.verify(() -> {
                assertThat(page.status()).isEqualTo(200);
                assertThat(page.headers().get("Content-Type")).startsWith("text/html");
                assertThat(page.headers().get("Content-Security-Policy")).contains("script-src 'self'")
                        .doesNotContain("unsafe-inline");
                assertThat(page.text()).contains("<script src=\"/app.js\"");
            });
            return get("/app.js");
        }).onComplete(context.succeeding(script -> context.verify(() -> {
            assertThat(script.status()).isEqualTo(200);
            assertThat(script.headers().get("Content-Type")).startsWith("text/javascript");
            assertThat(script.text()).contains("/api/summary").doesNotContain("innerHTML");
            context.completeNow();
        })));
    }

    @Test
    void oversizedBodiesAreRefused(VertxTestContext context) {
        String body = new JsonObject().put("jail", "ami").put("ip", "x".repeat(ApiVerticle.BODY_LIMIT)).encode();
        send(HttpMethod.POST, "/api/bans", TOKEN, body).onComplete(context.succeeding(response -> context.verify(() -> {
            assertThat(response.status()).isEqualTo(413);
            assertThat(response.json().getString("error")).contains("larger than");
            context.completeNow();
        })));
    }

    /** Asks again until the assertion holds: events reach the verticle asynchronously. */
    private static void eventually(Vertx vertx, VertxTestContext context,
                                   java.util.function.Supplier<Future<Response>> request,
                                   java.util.function.Consumer<Response> assertion) {
        long deadline = System.nanoTime() + Waits.PATIENCE.toNanos();
        attempt(vertx, context, request, assertion, deadline);
    }

    private static void attempt(Vertx vertx, VertxTestContext context,
                                java.util.function.Supplier<Future<Response>> request,
                                java.util.function.Consumer<Response> assertion, long deadline) {
        request.get().onComplete(context.succeeding(response -> {
            try {
                assertion.accept(response);
                context.completeNow();
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    context.failNow(e);
                } else {
                    vertx.setTimer(50, id -> attempt(vertx, context, request, assertion, deadline));
                }
            }
        }));
    }
}
