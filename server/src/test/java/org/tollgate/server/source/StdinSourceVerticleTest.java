package org.tollgate.server.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.normalizer.call.NumberingPlan;
import org.tollgate.normalizer.correlate.EndpointAddresses;
import org.tollgate.normalizer.input.LineBuffer;
import org.tollgate.normalizer.json.EcsJsonWriter;
import org.tollgate.server.config.SourceSettings;
import org.tollgate.testkit.OverlongLines;
import org.tollgate.testkit.Waits;

@ExtendWith(VertxExtension.class)
@Timeout(value = 2 * Waits.PATIENCE_SECONDS, timeUnit = TimeUnit.SECONDS)
class StdinSourceVerticleTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INPUT = ""
            + "[2021-07-22 17:04:36] NOTICE[2290] res_pjsip/pjsip_distributor.c: Request 'REGISTER' from "
            + "'<sip:1002@203.0.113.5>' failed for '192.0.2.77:5060' (callid: 1889283542-87542901-1273643) - "
            + "Failed to authenticate\n"
            + "{ \"__CURSOR\" : \"s=1;i=1\", \"__REALTIME_TIMESTAMP\" : \"1756393089123456\", \"_HOSTNAME\" : \"pbx1\", "
            + "\"SYSLOG_IDENTIFIER\" : \"asterisk\", \"MESSAGE\" : \"NOTICE[3201]: chan_sip.c:17045 in "
            + "handle_request_register: Registration from '<sip:100@203.0.113.5>' failed for '198.51.100.10' - "
            + "Wrong password\" }\n"
            + "[2025-08-28 14:58:09] NOTICE[3110] manager.c: 2001:db8::50 failed to authenticate as 'admin'";

    /** Hands on at most {@code chunk} bytes per read, as a pipe does when the writer is slow. */
    private static InputStream chunked(byte[] bytes, int chunk) {
        return new FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 65_536})
    void readsEveryLineOfTheInputInAnyChunks(int chunk, Vertx vertx) throws Exception {
        List<JsonNode> events = read(vertx, INPUT, chunk, 3);
        assertThat(events).extracting(e -> e.at("/source/ip").asText())
                .containsExactly("192.0.2.77", "198.51.100.10", "2001:db8::50");
        assertThat(events).extracting(e -> e.at("/asterisk/layout").asText())
                .containsExactly("file", "journald-json", "file");
        assertThat(events.get(1).at("/host/hostname").asText()).isEqualTo("pbx1");
    }

    /** A journald record on stdin whose message holds a From header of 1 MiB: read as its head and tail. */
    @ParameterizedTest(name = "chunks of {0}")
    @ValueSource(ints = {7, 65_536})
    void aMegabyteLineKeepsItsAddress(int chunk, Vertx vertx) throws Exception {
        List<JsonNode> events = read(vertx, OverlongLines.pjsip() + "\n" + OverlongLines.journaldRecord() + "\n", chunk, 2);

        for (JsonNode event : events) {
            assertThat(event.at("/source/ip").asText()).isEqualTo(OverlongLines.PJSIP_SOURCE);
            assertThat(event.at("/asterisk/truncated").asBoolean()).isTrue();
            assertThat(event.at("/event/original").asText()).contains(LineBuffer.CUT);
        }
        assertThat(events.get(1).at("/asterisk/layout").asText()).isEqualTo("journald-json");
    }

    /**
     * A pipe fed faster than its output writes: reading waits for the output (never more than
     * {@link ConfirmedPositions#MAX_IN_FLIGHT} lines unwritten when it reads on), and under {@code run --once} the
     * source is done only once every line read is written.
     */
    @Test
    void readingGoesAtThePaceOfASlowOutputAndEndsWithEveryLineWritten(Vertx vertx) throws Exception {
        int lines = 30_000;
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            input.append("[2026-01-18 17:40:00] VERBOSE[2290] pbx.c: line ").append(i).append('\n');
        }
        AtomicLong handed = new AtomicLong();
        AtomicLong written = new AtomicLong();
        AtomicLong mostUnwritten = new AtomicLong();
        ExecutorService output = Executors.newSingleThreadExecutor();
        LineHandler slow = new LineHandler() {
            @Override
            public void handle(ParseResult result) {
                handed.incrementAndGet();
            }

            @Override
            public void endOfChunk(Runnable onWritten) {
                long upTo = handed.get();
                output.execute(() -> {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // a slow disk or collector
                    written.set(upTo);
                    onWritten.run();
                });
            }
        };
        InputStream pipe = new FilterInputStream(chunked(input.toString().getBytes(StandardCharsets.UTF_8), 16_384)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                mostUnwritten.accumulateAndGet(handed.get() - written.get(), Math::max);
                return super.read(b, off, len);
            }
        };
        SourceOptions once = new SourceOptions(NumberingPlan.defaults(), new EndpointAddresses(), true);
        StdinSourceVerticle source = new StdinSourceVerticle(new SourceSettings.StdinSource(false, ZoneOffset.UTC, 1),
                slow, Clock.systemUTC(), once, pipe);
        try {
            String id = Waits.result(vertx.deployVerticle(source).toCompletionStage());
            Waits.result(source.end());
            assertThat(written.get()).as("written when the source is done").isEqualTo(lines);
            assertThat(mostUnwritten.get()).as("lines unwritten when reading on").isPositive()
                    .isLessThanOrEqualTo(ConfirmedPositions.MAX_IN_FLIGHT);
            Waits.result(vertx.undeploy(id).toCompletionStage());
        } finally {
            output.shutdownNow();
        }
    }

    /** The events of {@code input} read from stdin in chunks of {@code chunk} bytes, after {@code lines} lines. */
    private static List<JsonNode> read(Vertx vertx, String input, int chunk, int lines) throws Exception {
        EcsJsonWriter writer = new EcsJsonWriter();
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        StdinSourceVerticle source = new StdinSourceVerticle(new SourceSettings.StdinSource(false, ZoneOffset.UTC, 1),
                result -> {
                    try {
                        events.add(JSON.readTree(writer.toJson(result)));
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }, Clock.systemUTC(), SourceOptions.alone(), chunked(input.getBytes(StandardCharsets.UTF_8), chunk));
        String id = Waits.result(vertx.deployVerticle(source).toCompletionStage());
        Waits.until("the end of the input", source::ended);
        Waits.result(vertx.undeploy(id).toCompletionStage());

        assertThat(source.ended()).isTrue();
        assertThat(source.linesRead()).isEqualTo(lines);
        return events;
    }
}
