package org.tollgate.server.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.banner.store.ReadPositions;
import org.tollgate.banner.store.StateDatabase;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.normalizer.json.EcsJsonWriter;
import org.tollgate.server.config.SourceSettings;
import org.tollgate.testkit.OverlongLines;
import org.tollgate.testkit.Waits;

/**
 * The journald source against a stand-in for journalctl (src/test/resources/fake-journalctl.sh): records as
 * {@code journalctl -o json} prints them, the cursor stored, journalctl started again after it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 2 * Waits.PATIENCE_SECONDS, timeUnit = TimeUnit.SECONDS)
class JournaldSourceVerticleTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "journald:asterisk.service";

    @TempDir
    Path dir;

    private final EcsJsonWriter writer = new EcsJsonWriter();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final StateDatabase db = StateDatabase.inMemory(java.time.InstantSource.system());
    private final ReadPositions store = db.positions();
    private Vertx vertx;
    private String deployment;

    @AfterEach
    void undeploy() throws Exception {
        if (deployment != null) {
            Waits.result(vertx.undeploy(deployment).toCompletionStage());
        }
        db.close();
    }

    private JournaldSourceVerticle verticle(String since, String mode) throws Exception {
        Path script = Path.of(getClass().getResource("/fake-journalctl.sh").toURI());
        List<String> command = List.of("sh", script.toString(), calls().toString(), mode);
        return new JournaldSourceVerticle(new SourceSettings.JournaldSource("asterisk.service", since, false, ZoneOffset.UTC, 1),
                this::collect, store, Clock.systemUTC(), SourceOptions.alone(), command, Duration.ofMillis(100));
    }

    private JournaldSourceVerticle deploy(Vertx vertx, String since, String mode) throws Exception {
        this.vertx = vertx;
        JournaldSourceVerticle verticle = verticle(since, mode);
        deployment = Waits.result(vertx.deployVerticle(verticle).toCompletionStage());
        return verticle;
    }

    private void stop() throws Exception {
        Waits.result(vertx.undeploy(deployment).toCompletionStage());
        deployment = null;
    }

    private Path calls() {
        return dir.resolve("calls");
    }

    private List<String> callLines() throws IOException {
        return Files.exists(calls()) ? Files.readAllLines(calls()) : List.of();
    }

    private void collect(ParseResult result) {
        try {
            events.add(JSON.readTree(writer.toJson(result)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private void awaitEvents(int count) {
        Waits.until(count + " events", () -> events.size() >= count);
    }

    private static String cursorOf(JsonNode event) throws IOException {
        return JSON.readTree(event.at("/event/original").asText()).get("__CURSOR").asText();
    }

    @Test
    void handsOnRecordsAndStartsJournalctlAgainAfterTheLastCursor(Vertx vertx) throws Exception {
        JournaldSourceVerticle source = deploy(vertx, "now", "exit");
        awaitEvents(4);

        List<String> calls = callLines();
        assertThat(calls.get(0).split(" ")).containsExactly("--follow", "--output=json", "--all", "--no-tail",
                "--unit=asterisk.service", "--since=now");
        assertThat(calls.get(1)).endsWith(" --unit=asterisk.service --after-cursor=s=fake;i=2;b=0;m=0;t=0;x=0")
                .doesNotContain("--since");

        JsonNode invite = events.get(0);
        assertThat(invite.at("/event/action").asText()).isEqualTo("call-rejected-unknown-extension");
        assertThat(invite.at("/source/ip").asText()).isEqualTo("192.0.2.61");
        assertThat(invite.at("/host/hostname").asText()).isEqualTo("pbx1");
        assertThat(invite.at("/asterisk/layout").asText()).isEqualTo("journald-json");
        assertThat(invite.at("/@timestamp").asText()).isEqualTo("2025-08-28T14:58:09.123456Z");
        JsonNode register = events.get(1);
        assertThat(register.at("/source/ip").asText()).isEqualTo("198.51.100.77");
        assertThat(register.at("/host/hostname").asText()).isEqualTo("pbx2");
        assertThat(cursorOf(events.get(2))).isEqualTo("s=fake;i=3;b=0;m=0;t=0;x=0");

        stop();
        assertThat(source.starts()).isGreaterThanOrEqualTo(2);
        assertThat(store.cursor(KEY)).hasValue(cursorOf(events.get(events.size() - 1)));
    }

    @Test
    void aRestartResumesAfterTheStoredCursor(Vertx vertx) throws Exception {
        deploy(vertx, "now", "follow");
        awaitEvents(2);
        // journalctl and what it started would run 10 minutes: a stop that ends at all ended them.
        stop();
        long sleeper = Long.parseLong(Files.readString(Path.of(calls() + ".sleep")).trim());
        Waits.until("what journalctl started killed", () -> !ProcessHandle.of(sleeper).map(ProcessHandle::isAlive)
                .orElse(false));
        assertThat(store.cursor(KEY)).hasValue("s=fake;i=2;b=0;m=0;t=0;x=0");
        assertThat(callLines()).hasSize(1);

        deploy(vertx, "now", "follow");
        awaitEvents(4);
        assertThat(callLines().get(1)).endsWith(" --after-cursor=s=fake;i=2;b=0;m=0;t=0;x=0");
        assertThat(cursorOf(events.get(2))).isEqualTo("s=fake;i=3;b=0;m=0;t=0;x=0");
        stop();
        assertThat(store.cursor(KEY)).hasValue("s=fake;i=4;b=0;m=0;t=0;x=0");
    }

    @Test
    void startsAfterAConfiguredCursorWhenNoneIsStored(Vertx vertx) throws Exception {
        deploy(vertx, "s=5a1b;i=3f2;b=9c0d;m=1a2b3c;t=5f1e2d3c4b5a6;x=77e1", "follow");
        awaitEvents(2);
        assertThat(callLines().get(0)).endsWith(" --after-cursor=s=5a1b;i=3f2;b=9c0d;m=1a2b3c;t=5f1e2d3c4b5a6;x=77e1");
    }

    @Test
    void followsFromNowWhenJournalctlRefusesTheCursor(Vertx vertx) throws Exception {
        deploy(vertx, "s=0;i=0", "badcursor");
        awaitEvents(2);
        List<String> calls = callLines();
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0)).endsWith(" --after-cursor=s=0;i=0");
        assertThat(calls.get(1)).endsWith(" --since=now");
        // Records 1 and 2 belong to the refused run, which printed nothing.
        assertThat(cursorOf(events.get(0))).isEqualTo("s=fake;i=3;b=0;m=0;t=0;x=0");
    }

    /** A record whose MESSAGE holds a From header of 1 MiB: past the record bound, read as its head and tail. */
    @Test
    void aMegabyteRecordKeepsItsAddress(Vertx vertx) throws Exception {
        Path record = dir.resolve("record.json");
        Files.writeString(record, OverlongLines.journaldRecord() + "\n");
        this.vertx = vertx;
        // journalctl's arguments come after the file's name; they go unread.
        JournaldSourceVerticle source = new JournaldSourceVerticle(
                new SourceSettings.JournaldSource("asterisk.service", "now", false, ZoneOffset.UTC, 1), this::collect, store,
                Clock.systemUTC(), SourceOptions.alone(), List.of("sh", "-c", "cat \"$0\"; exec sleep 600", record.toString()),
                Duration.ofMillis(100));
        deployment = Waits.result(vertx.deployVerticle(source).toCompletionStage());
        awaitEvents(1);

        JsonNode event = events.get(0);
        assertThat(event.at("/source/ip").asText()).isEqualTo(OverlongLines.PJSIP_SOURCE);
        assertThat(event.at("/asterisk/truncated").asBoolean()).isTrue();
        assertThat(event.at("/asterisk/layout").asText()).isEqualTo("journald-json");
        assertThat(event.at("/host/hostname").asText()).as("a field after the message").isEqualTo("pbx1");
    }

    @Test
    void failsToStartWhenTheProgramIsMissing(Vertx vertx) throws Exception {
        this.vertx = vertx;
        JournaldSourceVerticle source = new JournaldSourceVerticle(
                new SourceSettings.JournaldSource("asterisk.service", "now", false, ZoneOffset.UTC, 1), this::collect, store,
                Clock.systemUTC(), SourceOptions.alone(), List.of(dir.resolve("no-journalctl").toString()), Duration.ofMillis(100));
        assertThatThrownBy(() -> Waits.result(vertx.deployVerticle(source).toCompletionStage()))
                .as("deployed without journalctl")
                .hasMessageContaining("source journald (unit asterisk.service): cannot run " + dir.resolve("no-journalctl"));
    }

    @Test
    void readsTheCursorOfARecord() {
        assertThat(JournalFollower.cursorOf("{ \"__CURSOR\" : \"s=a;i=1\", \"MESSAGE\" : \"x\" }")).isEqualTo("s=a;i=1");
        assertThat(JournalFollower.cursorOf("{\"__CURSOR\":\"s=a;i=2\"}")).isEqualTo("s=a;i=2");
        assertThat(JournalFollower.cursorOf("{ \"MESSAGE\" : \"\\\"__CURSOR\\\" : \\\"s=evil\\\"\" }")).isNull();
        assertThat(JournalFollower.cursorOf("{ \"MESSAGE\" : \"no cursor\" }")).isNull();
        assertThat(JournalFollower.cursorOf("{ \"__CURSOR\" : null }")).isNull();
    }

    @Test
    void unitKernelFollowsTheKernelsMessages() {
        JournalFollower kernel = new JournalFollower(List.of("journalctl"), "kernel", "now", null, null, null,
                java.time.Duration.ofSeconds(1));
        assertThat(kernel.arguments()).contains("--dmesg").noneMatch(argument -> argument.startsWith("--unit"));
        assertThat(kernel.key()).isEqualTo("journald:kernel");
    }
}
