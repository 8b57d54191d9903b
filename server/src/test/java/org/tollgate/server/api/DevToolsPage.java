package org.tollgate.server.api;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.tollgate.testkit.Waits;

/**
 * A page in headless Chromium driven through the DevTools protocol, for what {@code --dump-dom} cannot do: clicks.
 * Chromium listens on a loopback port it picks; scripts run in the page with {@code Runtime.evaluate}.
 */
final class DevToolsPage implements AutoCloseable {

    private final Process chromium;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> answers = new ConcurrentHashMap<>();
    private final StringBuilder partial = new StringBuilder();

    DevToolsPage(String binary, Path profile) throws Exception {
        chromium = new ProcessBuilder(List.of(binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--remote-allow-origins=*", "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank"))
                .redirectErrorStream(true).start();
        chromium.getOutputStream().close();
        CompletableFuture<String> browser = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(chromium.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    int at = line.indexOf("DevTools listening on ");
                    if (at >= 0) {
                        browser.complete(line.substring(at + 22).strip());
                    }
                }
                browser.completeExceptionally(new IllegalStateException("chromium exited before listening"));
            } catch (IOException e) {
                browser.completeExceptionally(e);
            }
        }, "chromium-output");
        reader.setDaemon(true);
        reader.start();
        URI browserUri = URI.create(browser.get(Waits.PATIENCE_SECONDS, TimeUnit.SECONDS));
        HttpClient http = HttpClient.newHttpClient();
        String list = http.send(HttpRequest.newBuilder(URI.create("http://" + browserUri.getAuthority() + "/json/list"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        String page = null;
        for (Object target : new io.vertx.core.json.JsonArray(list)) {
            JsonObject json = (JsonObject) target;
            if ("page".equals(json.getString("type"))) {
                page = json.getString("webSocketDebuggerUrl");
            }
        }
        if (page == null) {
            throw new IllegalStateException("no page target in " + list);
        }
        socket = http.newWebSocketBuilder().buildAsync(URI.create(page), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    JsonObject message = new JsonObject(partial.toString());
                    partial.setLength(0);
                    CompletableFuture<JsonObject> answer = message.containsKey("id")
                            ? answers.remove(message.getInteger("id")) : null;
                    if (answer != null) {
                        answer.complete(message);
                    }
                }
                webSocket.request(1);
                return null;
            }
        }).get(Waits.PATIENCE_SECONDS, TimeUnit.SECONDS);
    }

    /** Runs {@code expression} in the page (awaiting a promise) and returns its value as JSON text. */
    String evaluate(String expression) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonObject> answer = new CompletableFuture<>();
        answers.put(id, answer);
        socket.sendText(new JsonObject().put("id", id).put("method", "Runtime.evaluate").put("params",
                new JsonObject().put("expression", expression).put("returnByValue", true).put("awaitPromise", true))
                .encode(), true).get(Waits.PATIENCE_SECONDS, TimeUnit.SECONDS);
        JsonObject result = answer.get(Waits.PATIENCE_SECONDS, TimeUnit.SECONDS).getJsonObject("result");
        if (result == null || result.containsKey("exceptionDetails")) {
            throw new IllegalStateException("script failed: " + expression + ": " + result);
        }
        Object value = result.getJsonObject("result").getValue("value");
        return value == null ? "null" : value.toString();
    }

    /** Opens {@code url} in the page. */
    void open(String url) throws Exception {
        evaluate("location.href = " + new io.vertx.core.json.JsonArray().add(url).encode().replaceAll("^\\[|\\]$", "")
                + "; true");
    }

    /** Waits until {@code expression}'s value (as text) meets {@code condition}; returns it. */
    String until(String what, String expression, Predicate<String> condition) {
        String[] last = {null};
        Waits.until(() -> {
            try {
                last[0] = evaluate(expression);
            } catch (Exception e) {
                last[0] = e.getMessage();
                return false;
            }
            return condition.test(last[0]);
        }, Waits.PATIENCE, () -> what + "; last: " + last[0]);
        return last[0];
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
        chromium.descendants().forEach(ProcessHandle::destroyForcibly);
        chromium.destroyForcibly();
    }
}
