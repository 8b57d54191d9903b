package org.tollgate.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.tollgate.server.TollgateService;
import org.tollgate.server.api.ApiVerticle;
import org.tollgate.server.config.TollgateConfig;
import org.tollgate.testkit.Waits;

/**
 * The admin API seen from outside, over HTTP, in the running service: changes need the token, reads change nothing,
 * request bodies are bounded.
 */
class ApiAccessTest {

    private static final String TOKEN = "access-token-0123456789";
    private static final String BANNED = "192.0.2.7";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
    private TollgateService service;
    private List<JsonNode> decisions;
    private int port;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        port = InProcessService.freeLoopbackPort();
        Files.writeString(dir.resolve("full"), "");
        TollgateConfig file = TollgateConfig.parse("""
                sources:
                  - type: file
                    path: %s
                state:
                  path: ":memory:"
                jails:
                  sip-auth:
                    bantime: 1h
                    ignoreself: false
                    actions:
                      - type: log
                api:
                  listen: 127.0.0.1:%d
                  token_file: %s
                """.formatted(dir.resolve("full"), port, token), "tollgate.yaml");
        service = InProcessService.start(file, true);
        base = URI.create("http://127.0.0.1:" + port + "/");
        HttpResponse<String> banned = send(HttpRequest.newBuilder(base.resolve("api/bans"))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{\"jail\": \"sip-auth\", \"ip\": \"" + BANNED + "\"}")));
        assertThat(banned.statusCode()).as(banned.body()).isEqualTo(200);
        decisions = InProcessService.bansPublished(service);
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.stop();
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<String> bannedNow() throws Exception {
        JsonArray bans = new JsonObject(send(HttpRequest.newBuilder(base.resolve("api/bans"))).body())
                .getJsonArray("bans");
        List<String> ips = new ArrayList<>();
        bans.forEach(ban -> ips.add(((JsonObject) ban).getString("ip")));
        return ips;
    }

    /** The firewall's counters on /api/status: what any change would move. */
    private JsonObject firewallCounters() throws Exception {
        return new JsonObject(send(HttpRequest.newBuilder(base.resolve("api/status"))).body()).getJsonObject("firewall");
    }

    @Test
    void changesWithoutTheTokenOrWithAWrongOneAre401AndChangeNothing() throws Exception {
        String ban = "{\"jail\": \"sip-auth\", \"ip\": \"198.51.100.9\"}";
        List<String> authorizations = Arrays.asList(null, "Bearer wrong-token-0123456789", "Bearer " + TOKEN + "x",
                "Bearer " + TOKEN.substring(1), "Bearer ", "Basic " + TOKEN, TOKEN);
        for (String authorization : authorizations) {
            HttpRequest.Builder post = HttpRequest.newBuilder(base.resolve("api/bans"))
                    .POST(HttpRequest.BodyPublishers.ofString(ban));
            HttpRequest.Builder delete = HttpRequest.newBuilder(base.resolve("api/bans/" + BANNED)).DELETE();
            HttpRequest.Builder inQuery = HttpRequest.newBuilder(base.resolve("api/bans/" + BANNED + "?token=" + TOKEN))
                    .DELETE();
            for (HttpRequest.Builder request : List.of(post, delete, inQuery)) {
                if (authorization != null) {
                    request.header("Authorization", authorization);
                }
                HttpResponse<String> refused = send(request);
                assertThat(refused.statusCode()).as("%s with Authorization %s: %s", refused.request(), authorization,
                        refused.body()).isEqualTo(401);
                assertThat(new JsonObject(refused.body()).getString("error")).isNotBlank();
            }
        }
        assertThat(bannedNow()).containsExactly(BANNED);
        assertThat(decisions).as("ban decisions published").isEmpty();
    }

    @Test
    void noGetChangesAnything() throws Exception {
        JsonObject counters = firewallCounters();
        String page = send(HttpRequest.newBuilder(base)).body();
        List<String> paths = new ArrayList<>(List.of("", "api/status", "api/bans", "api/summary", "metrics",
                "api/bans/" + BANNED, "api/bans?ip=198.51.100.9&jail=sip-auth", "api/bans/" + BANNED + "?_method=DELETE",
                "api/unban/" + BANNED, "api/ban?ip=198.51.100.9&jail=sip-auth"));
        Matcher assets = Pattern.compile("(?:src|href)=\"/?([^\"#?]+)\"").matcher(page);
        while (assets.find()) {
            paths.add(assets.group(1));
        }
        for (String path : paths) {
            for (String authorization : new String[] {null, "Bearer " + TOKEN}) {
                HttpRequest.Builder get = HttpRequest.newBuilder(base.resolve(path));
                HttpRequest.Builder head = HttpRequest.newBuilder(base.resolve(path))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody());
                for (HttpRequest.Builder request : List.of(get, head)) {
                    if (authorization != null) {
                        request.header("Authorization", authorization);
                    }
                    assertThat(send(request).statusCode()).as("GET or HEAD %s", path).isLessThan(500);
                }
            }
        }
        assertThat(bannedNow()).containsExactly(BANNED);
        assertThat(firewallCounters()).isEqualTo(counters);
        assertThat(decisions).as("ban decisions published").isEmpty();
    }

    /** A body longer than the limit, its length declared: refused from the headers, before a byte of it is sent. */
    @Test
    void aDeclaredTenMegabyteBodyIsRefusedBeforeItIsSent() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/bans HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + (10 << 20) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(statusLine(socket.getInputStream())).isEqualTo("HTTP/1.1 413 Request Entity Too Large");
        }
        assertThat(bannedNow()).containsExactly(BANNED);
    }

    /**
     * A body of 10 MiB sent in chunks, with no length declared: refused with 413 once past the limit; the rest is read
     * and dropped a chunk at a time (the connection stays usable), so the heap keeps none of it.
     */
    @Test
    void aChunkedTenMegabyteBodyIsRefusedWithoutBeingHeld() throws Exception {
        byte[] chunk = new byte[64 << 10];
        Arrays.fill(chunk, (byte) 'x');
        byte[] frame = frame(chunk);
        System.gc();
        long heapBefore = heapUsed();
        long allocatedBefore = allocatedBytes();
        String status;
        long sent = 0;
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/bans HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            try {
                while (sent < 10 << 20) {
                    out.write(frame);
                    sent += chunk.length;
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                // The service closed the connection after its answer: the rest is never read.
            }
            status = statusLine(socket.getInputStream());
        }
        long allocated = allocatedBytes() - allocatedBefore;
        System.gc();
        long kept = heapUsed() - heapBefore;
        System.out.printf("api: a chunked body of %d KiB refused; %d KiB allocated meanwhile (dropped chunks), heap %+d "
                + "KiB after a collection%n", sent >> 10, allocated >> 10, kept >> 10);
        assertThat(status).isEqualTo("HTTP/1.1 413 Request Entity Too Large");
        assertThat(kept).as("heap kept after a 10 MiB body, after a collection").isLessThan(4L << 20);
        assertThat(bannedNow()).containsExactly(BANNED);
    }

    /** A client that resets its connection in the middle of a body is said at debug, not logged as an error. */
    @Test
    void aClientThatGoesAwayMidBodyLeavesNoErrorInTheLog() throws Exception {
        Logger api = (Logger) LoggerFactory.getLogger(ApiVerticle.class);
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        root.addAppender(log);
        Level level = api.getLevel();
        api.setLevel(Level.DEBUG);
        try {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /api/bans HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN
                        + "\r\nTransfer-Encoding: chunked\r\n\r\n1000\r\n{\"jail\": ").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                socket.setSoLinger(true, 0); // close with a reset
            }
            Waits.until("the client's leaving said at debug", () -> List.copyOf(log.list).stream()
                    .anyMatch(event -> event.getFormattedMessage().contains("client went away")));
            assertThat(List.copyOf(log.list)).filteredOn(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
                    .extracting(ILoggingEvent::getFormattedMessage).isEmpty();
        } finally {
            root.detachAppender(log);
            api.setLevel(level);
        }
        assertThat(bannedNow()).containsExactly(BANNED);
    }

    private static byte[] frame(byte[] chunk) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.writeBytes((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        frame.writeBytes(chunk);
        frame.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return frame.toByteArray();
    }

    private static String statusLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.write(b);
        }
        return line.toString(StandardCharsets.US_ASCII).strip();
    }

    private static long heapUsed() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** Bytes every live thread of this JVM allocated so far. */
    private static long allocatedBytes() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long total = 0;
        for (long allocated : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            total += Math.max(0, allocated);
        }
        return total;
    }
}
