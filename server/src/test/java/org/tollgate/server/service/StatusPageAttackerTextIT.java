package org.tollgate.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.server.TollgateService;
import org.tollgate.server.config.TollgateConfig;
import org.tollgate.testkit.Chromium;
import org.tollgate.testkit.Waits;

/**
 * User names an attacker chose, read from the log by the running service, shown on its status page in headless
 * Chromium: as text, never as markup. Each would mark the page if the browser ran it.
 */
class StatusPageAttackerTextIT {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final List<String> HOSTILE = List.of(
            "<script>document.body.setAttribute(\"data-pwned\",\"script\")</script>",
            "<img src=x onerror=document.body.setAttribute(\"data-pwned\",\"img\")>",
            "<svg onload=document.body.setAttribute(\"data-pwned\",\"svg\")>",
            "\"><b id=\"pwned\">bold</b>");

    @TempDir
    Path dir;

    @Test
    void attackerWrittenUserNamesRenderLiterally() throws Exception {
        Path log = dir.resolve("full");
        StringBuilder lines = new StringBuilder();
        String stamp = STAMP.format(LocalDateTime.now(ZoneOffset.UTC));
        for (String user : HOSTILE) {
            for (int i = 0; i < 3; i++) {
                lines.append('[').append(stamp).append("] NOTICE[3110] manager.c: 192.0.2.45 failed to authenticate as '")
                        .append(user).append("'\n");
            }
        }
        Files.writeString(log, lines);
        int port = InProcessService.freeLoopbackPort();
        TollgateConfig file = TollgateConfig.parse("""
                sources:
                  - type: file
                    path: %s
                    zone: UTC
                    start: beginning
                state:
                  path: ":memory:"
                jails:
                  ami:
                    match: [ami-login-failed]
                    maxretry: 100
                    ignoreself: false
                    actions:
                      - type: log
                api:
                  listen: 127.0.0.1:%d
                """.formatted(log, port), "tollgate.yaml");
        TollgateService service = InProcessService.start(file, true);
        try {
            URI summary = URI.create("http://127.0.0.1:" + port + "/api/summary");
            HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
            Waits.eventually(() -> assertThat(http.send(HttpRequest.newBuilder(summary).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).contains("\"count\":3").contains("svg onload"));
            String page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();

            String dom = Chromium.dumpDom("http://127.0.0.1:" + port + "/", dir);

            String users = dom.substring(dom.indexOf("<table id=\"top-users\">"));
            users = users.substring(0, users.indexOf("</table>"));
            for (String user : HOSTILE) {
                // Long names are shown cut, with an ellipsis: their start, as text.
                String start = user.substring(0, Math.min(user.length(), 30));
                String asText = start.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
                assertThat(users).as("the user name %s as text", user).contains("<td class=\"user\">" + asText);
            }
            assertThat(dom).as("nothing ran: the body is unmarked").doesNotContainPattern("<body[^>]*data-pwned");
            assertThat(dom).doesNotContain("<img").doesNotContain("<b ");
            assertThat(Pattern.compile("<script").matcher(dom).results().count()).as("script elements")
                    .isEqualTo(Pattern.compile("<script").matcher(page).results().count());
            assertThat(Pattern.compile("<svg").matcher(dom).results().count()).as("svg elements: the chart alone")
                    .isEqualTo(1);
        } finally {
            service.stop();
        }
    }
}
