package org.tollgate.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.server.config.ApiSettings;
import org.tollgate.testkit.Waits;

/**
 * The status page's ban table in headless Chromium, driven through the DevTools protocol: bans per jail, pages of 25,
 * sorting, ISO dates in UTC, the top countries and networks above the bans, and lifting a ban with the token through
 * {@code DELETE /api/bans/{ip}}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 3 * Waits.PATIENCE_SECONDS, timeUnit = TimeUnit.SECONDS)
class StatusPageBansIT {

    private static final String CHROMIUM = System.getProperty("tollgate.chromium", "chromium");
    private static final String TOKEN = "page-token-0123456789abcdef";
    private static final Instant NOW = Instant.parse("2026-11-21T08:32:07.495Z");

    @TempDir
    Path dir;

    private int port;
    private FakeServiceView view;

    @BeforeEach
    void deploy(Vertx vertx, VertxTestContext context) throws Exception {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        view = new FakeServiceView(clock, "sip-auth", "sip-scan");
        for (int i = 1; i <= 27; i++) {
            view.withBan("203.0.113." + i, "sip-auth", Duration.ofMinutes(i), FakeServiceView.applied("log:sip-auth"));
        }
        for (int i = 1; i <= 3; i++) {
            view.withBan("198.51.100." + i, "sip-scan", Duration.ofMinutes(100 + i),
                    FakeServiceView.applied("log:sip-scan"));
        }
        Path token = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        ApiVerticle api = new ApiVerticle(new ApiSettings("127.0.0.1", 0, token, "tollgate.yaml", 0), view, clock);
        vertx.deployVerticle(api).onComplete(context.succeeding(id -> {
            port = api.actualPort();
            JsonObject event = BusEvents.security("auth-failed", "203.0.113.1", true, "100", NOW);
            event.getJsonObject("source").put("geo", new JsonObject().put("country_iso_code", "DE")
                    .put("country_name", "Germany")).put("as", new JsonObject().put("number", 64500)
                    .put("organization", new JsonObject().put("name", "Example Hosting GmbH")));
            BusEvents.publishSecurity(vertx.eventBus(), event);
            context.completeNow();
        }));
    }

    @Test
    void bansArePagedSortedAndCountedPerJailAndOneIsLiftedWithTheToken() throws Exception {
        try (DevToolsPage page = new DevToolsPage(CHROMIUM, Files.createDirectory(dir.resolve("profile")))) {
            page.open("http://127.0.0.1:" + port + "/");
            page.until("the first page of bans", "document.querySelectorAll('#bans tr.ban').length", "25"::equals);
            assertThat(page.evaluate("document.getElementById('page-info').textContent")).isEqualTo("1\u201325 of 30");
            assertThat(page.evaluate("[...document.querySelectorAll('#jail-counts button')].map(b => b.textContent)"
                    + ".join('|')")).isEqualTo("all jails 30|sip-auth 27|sip-scan 3");
            // Newest first, in ISO form and UTC whatever the browser's locale.
            assertThat(page.evaluate("document.querySelector('#bans tr.ban td.time').textContent"))
                    .isEqualTo("2026-11-21 08:31:07Z");
            // The top lists come before the bans.
            assertThat(page.evaluate("document.getElementById('top-countries').compareDocumentPosition("
                    + "document.getElementById('bans')) & Node.DOCUMENT_POSITION_FOLLOWING")).isEqualTo("4");
            page.until("the top country", "document.querySelector('#top-countries td').textContent",
                    "DE Germany"::equals);
            assertThat(page.evaluate("document.querySelector('#top-networks td').textContent"))
                    .isEqualTo("AS64500 Example Hosting GmbH");

            page.evaluate("document.getElementById('next-page').click(); true");
            assertThat(page.evaluate("document.getElementById('page-info').textContent")).isEqualTo("26\u201330 of 30");
            page.evaluate("document.querySelector('#jail-counts button[data-jail=\"sip-scan\"]').click(); true");
            assertThat(page.evaluate("[...document.querySelectorAll('#bans tr.ban td.address')].map(t => t.textContent)"
                    + ".join(' ')")).isEqualTo("198.51.100.1 198.51.100.2 198.51.100.3");
            page.evaluate("document.querySelector('button.sort[data-sort=\"ip\"]').click(); true");
            page.evaluate("document.querySelector('button.sort[data-sort=\"ip\"]').click(); true");
            assertThat(page.evaluate("document.querySelector('#bans tr.ban td.address').textContent"))
                    .isEqualTo("198.51.100.3");

            // Without the token the page asks for it; with it, two clicks lift the ban.
            page.evaluate("document.querySelector('button.unban[data-ip=\"198.51.100.2\"]').click(); true");
            assertThat(page.evaluate("document.getElementById('token-form').hidden")).isEqualTo("false");
            page.evaluate("document.getElementById('token').value = '" + TOKEN + "';"
                    + " document.getElementById('token-form').requestSubmit(); true");
            assertThat(page.evaluate("document.querySelector('button.unban[data-ip=\"198.51.100.2\"]').textContent"))
                    .isEqualTo("Confirm unban");
            page.evaluate("document.querySelector('button.unban[data-ip=\"198.51.100.2\"]').click(); true");
            page.until("the notice of the unban", "document.getElementById('notice').textContent",
                    "198.51.100.2 unbanned in sip-scan."::equals);
            page.until("the ban gone from the table", "[...document.querySelectorAll('#bans td.address')]"
                    + ".map(t => t.textContent).join(' ')", "198.51.100.3 198.51.100.1"::equals);
            assertThat(view.bannedAddresses()).doesNotContain("198.51.100.2").hasSize(29);
        }
    }
}
