package org.tollgate.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.server.cluster.ClusterStatus;
import org.tollgate.server.config.ApiSettings;
import org.tollgate.testkit.Chromium;
import org.tollgate.testkit.Waits;

/**
 * The status page in a real browser: headless Chromium ({@link Chromium}) loads it from an
 * {@link ApiVerticle} on a random loopback port, runs its script against {@code /api/summary}, and the DOM it dumps
 * must show the bans, the top attackers and user names, and the chart's points.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 2 * Waits.PATIENCE_SECONDS, timeUnit = TimeUnit.SECONDS)
class StatusPageIT {

    /** A user name an attacker chose: it must reach the page as text, never as markup. */
    private static final String PLANTED = "<img src=x onerror=alert(1)>";

    @TempDir
    Path dir;

    private int port;
    /** Minutes ago that had events, and how many. */
    private final int[][] minutes = {{0, 3}, {1, 1}, {5, 2}, {30, 4}, {59, 1}};

    @BeforeEach
    void deploy(Vertx vertx, VertxTestContext context) {
        // A fixed present: the chart's minutes cannot roll over between publishing and the browser's request.
        Clock clock = Clock.fixed(Instant.now(), java.time.ZoneOffset.UTC);
        FakeServiceView view = new FakeServiceView(clock, "sip-auth", "sip-scan", "ami")
                .withBan("203.0.113.45", "sip-auth", Duration.ofMinutes(12),
                        FakeServiceView.applied("ipset:tollgate-sip-auth"), FakeServiceView.applied("conntrack"))
                .withBan("198.51.100.23", "sip-scan", Duration.ofMinutes(7),
                        FakeServiceView.applied("ipset:tollgate-sip-scan"))
                .withBan("2001:db8:bad::7", "sip-auth", Duration.ofMinutes(3),
                        FakeServiceView.applied("ipset:tollgate-sip-auth"),
                        FakeServiceView.failed("conntrack", "conntrack: exit 1"))
                .withCluster(new ClusterStatus("pbx-site", 2, List.of(
                        new ClusterStatus.Member("pbx-a", "198.51.100.11:7800", "self", null),
                        new ClusterStatus.Member("pbx-b", "198.51.100.12:7800", "up", clock.instant()),
                        new ClusterStatus.Member(null, "198.51.100.13:7800", "unreachable", null)),
                        4, 3, 0, 0, 0, 0, 0, 0, null, new ClusterStatus.Delays(new double[0], new long[0], 0, 0)));
        ApiVerticle api = new ApiVerticle(new ApiSettings("127.0.0.1", 0, null, "tollgate.yaml", 0), view, clock);
        vertx.deployVerticle(api).onComplete(context.succeeding(id -> {
            port = api.actualPort();
            Instant now = clock.instant();
            for (int[] minute : minutes) {
                for (int i = 0; i < minute[1]; i++) {
                    String user = i % 2 == 0 ? "admin" : "100";
                    BusEvents.publishSecurity(vertx.eventBus(), BusEvents.security("auth-failed", "203.0.113.45",
                            true, user, now.minus(Duration.ofMinutes(minute[0]))));
                }
            }
            BusEvents.publishSecurity(vertx.eventBus(),
                    BusEvents.security("endpoint-not-found", "192.0.2.45", true, PLANTED, now));
            // Events reach the verticle in the order published: the planted one counted means all are.
            awaitCounted(vertx, context, System.nanoTime() + Waits.PATIENCE.toNanos());
        }));
    }

    private void awaitCounted(Vertx vertx, VertxTestContext context, long deadline) {
        vertx.createHttpClient().request(io.vertx.core.http.HttpMethod.GET, port, "127.0.0.1", "/api/summary")
                .compose(request -> request.send()).compose(response -> response.body())
                .onComplete(context.succeeding(body -> {
                    if (body.toString().contains("onerror")) {
                        context.completeNow();
                    } else if (System.nanoTime() > deadline) {
                        context.failNow("the events were not counted: " + body);
                    } else {
                        vertx.setTimer(20, t -> awaitCounted(vertx, context, deadline));
                    }
                }));
    }

    @Test
    void thePageShowsBansTopListsTheChartAndTheClusterMembers() throws Exception {
        String dom = Chromium.dumpDom("http://127.0.0.1:" + port + "/", dir);

        String bans = section(dom, "<table id=\"bans\">", "</table>");
        assertThat(bans).contains(">203.0.113.45<").contains(">198.51.100.23<").contains(">2001:db8:bad::7<")
                .contains("conntrack: failed");
        String sources = section(dom, "<table id=\"top-sources\">", "</table>");
        assertThat(sources).contains("<td class=\"address\">203.0.113.45</td><td class=\"num\">11</td>")
                .contains("<td class=\"address\">192.0.2.45</td><td class=\"num\">1</td>");
        String users = section(dom, "<table id=\"top-users\">", "</table>");
        assertThat(users).contains("<td class=\"user\">admin</td><td class=\"num\">7</td>")
                .contains("<td class=\"user\">100</td><td class=\"num\">4</td>")
                .contains("&lt;img src=x onerror=alert(1)&gt;");
        assertThat(dom).doesNotContain("<img");

        String members = section(dom, "<table id=\"cluster-members\">", "</table>");
        assertThat(members).contains("<td class=\"address\">198.51.100.12:7800</td><td>pbx-b</td><td>up</td>")
                .contains("<td class=\"address\">198.51.100.13:7800</td><td>-</td><td class=\"error\">unreachable</td>"
                        + "<td>never</td>");
        assertThat(section(dom, "<section id=\"cluster\"", ">")).doesNotContain("hidden");

        String chart = section(dom, "<svg", "</svg>");
        assertThat(chart).contains("id=\"attacks-chart\"");
        Matcher line = Pattern.compile("<polyline [^>]*points=\"([^\"]+)\"").matcher(chart);
        assertThat(line.find()).as("a polyline with points in " + chart).isTrue();
        assertThat(line.group(1).trim().split(" ")).hasSize(60);
        List<Integer> counts = new ArrayList<>();
        Matcher point = Pattern.compile("<circle [^>]*data-count=\"(\\d+)\"").matcher(chart);
        while (point.find()) {
            counts.add(Integer.parseInt(point.group(1)));
        }
        // One point per minute with events; the present minute has the planted event too.
        assertThat(counts).containsExactly(1, 4, 2, 1, 4);
    }

    private static String section(String dom, String start, String end) {
        int from = dom.indexOf(start);
        assertThat(from).as(start + " in the DOM:\n" + dom).isNotNegative();
        int to = dom.indexOf(end, from);
        assertThat(to).as(end + " after " + start + " in the DOM:\n" + dom).isPositive();
        return dom.substring(from, to + end.length());
    }
}
