package org.tollgate.server.bus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tollgate.banner.jail.Failure;
import org.tollgate.normalizer.Normalizer;
import org.tollgate.normalizer.NormalizerOptions;
import org.tollgate.normalizer.json.JsonBlock;
import org.tollgate.normalizer.json.Observer;
import org.tollgate.server.custom.CustomFilters;
import org.tollgate.server.enrich.GeoLookup;
import org.tollgate.server.source.LineHandler;
import org.tollgate.testkit.Waits;

/**
 * The events of a source's lines on the bus: security events one by one on tollgate.events, every event in the
 * chunks, whose JSON the outputs write later on their own threads, the same bytes whenever and however often.
 */
class EventChunkTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-01-20T12:00:00Z");
    private static final List<String> LINES = List.of(
            "[2026-01-20 11:59:00] NOTICE[2744] chan_sip.c: Registration from '<sip:100@192.0.2.9>' failed for "
                    + "'203.0.113.45:5071' - Wrong password",
            "[2026-01-20 11:59:01] VERBOSE[2744] pbx.c: nothing to see",
            "[2026-01-20 11:59:02] VERBOSE[2744] pbx.c: nor here",
            "[2026-01-20 11:59:03] NOTICE[2744] chan_sip.c: Registration from '<sip:101@192.0.2.9>' failed for "
                    + "'203.0.113.46:5071' - Wrong password");

    private final Vertx vertx = Vertx.vertx();
    private final Vertx another = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close();
        another.close();
    }

    /** A clock a second further on each time it is read: each event.ingested tells which reading it was. */
    private static InstantSource ticking() {
        return ticking(new AtomicLong());
    }

    /** As above, counting its readings in {@code reads}. */
    private static InstantSource ticking(AtomicLong reads) {
        return () -> NOW.plusSeconds(reads.getAndIncrement());
    }

    private record Heard(List<Buffer> events, List<EventChunk> chunks) {
    }

    /** Hands the lines on as a file source does (one chunk), and collects what the bus carried. */
    private Heard publish(boolean everyEventOnBus) {
        return publish(vertx, publisher -> {
            if (everyEventOnBus) {
                publisher.publishEveryEvent();
            }
        });
    }

    /** As above, on {@code vertx}, with the publisher set up by {@code setUp}. */
    private static Heard publish(Vertx vertx, Consumer<EventPublisher> setUp) {
        EventPublisher.registerCodecs(vertx.eventBus());
        List<Buffer> events = new CopyOnWriteArrayList<>();
        List<EventChunk> chunks = new CopyOnWriteArrayList<>();
        vertx.eventBus().<Buffer>consumer(Addresses.EVENTS, message -> events.add(message.body()));
        vertx.eventBus().<EventChunk>localConsumer(Addresses.EVENT_CHUNKS, message -> chunks.add(message.body()));
        EventPublisher publisher = new EventPublisher(vertx.eventBus(), new Observer("pbx1", "9.9"), GeoLookup.NONE,
                ticking(), CustomFilters.NONE, 1);
        setUp.accept(publisher);
        Context context = vertx.getOrCreateContext();
        LineHandler chunked = publisher.chunked(context);
        Normalizer normalizer = new Normalizer(new NormalizerOptions(ZoneOffset.UTC, NOW, false, "full",
                java.time.Clock.fixed(NOW, ZoneOffset.UTC)));
        for (int i = 0; i < LINES.size(); i++) {
            // As a file source hands a line on: the id's prefix, and the line's offset written with the JSON.
            chunked.handle(normalizer.normalize(LINES.get(i)), "0123456789abcdef-", i);
        }
        chunked.endOfChunk(() -> { });
        Waits.until("the chunk published", () -> chunks.size() == 1);
        return new Heard(events, chunks);
    }

    private static List<JsonNode> parse(byte[] lines) throws Exception {
        List<JsonNode> parsed = new ArrayList<>();
        for (String line : new String(lines, StandardCharsets.UTF_8).split("\n")) {
            parsed.add(JSON.readTree(line));
        }
        return parsed;
    }

    private static byte[] lines(EventChunk chunk, boolean allEvents) {
        JsonBlock block = new JsonBlock(16);
        chunk.writeLines(allEvents, block);
        return Arrays.copyOf(block.bytes(), block.size());
    }

    private static byte[] asLines(List<Buffer> events) {
        Buffer all = Buffer.buffer();
        events.forEach(event -> all.appendBuffer(event).appendByte((byte) '\n'));
        return all.getBytes();
    }

    @Test
    void securityEventsGoOnTheBusOneByOneAndEveryEventInTheChunkWithTheSameBytes() throws Exception {
        Heard heard = publish(false);
        EventChunk chunk = heard.chunks().get(0);

        assertThat(heard.events()).hasSize(2);
        assertThat(chunk.size()).isEqualTo(4);
        assertThat(chunk.count(true)).isEqualTo(4);
        assertThat(chunk.count(false)).isEqualTo(2);
        assertThat(chunk.mark()).isNotNull();
        // An output of security events writes what the bus carried, byte for byte.
        assertThat(lines(chunk, false)).isEqualTo(asLines(heard.events()));

        byte[] all = lines(chunk, true);
        // Written again, later, on another thread: the same bytes (event.ingested was fixed when the line came).
        byte[][] again = new byte[1][];
        Thread other = new Thread(() -> again[0] = lines(chunk, true));
        other.start();
        other.join();
        assertThat(again[0]).isEqualTo(all);
        List<Buffer> each = new ArrayList<>();
        chunk.forEach(true, each::add);
        assertThat(asLines(each)).isEqualTo(all);

        List<JsonNode> events = parse(all);
        assertThat(events).hasSize(4);
        for (int i = 0; i < events.size(); i++) {
            JsonNode event = events.get(i);
            assertThat(event.at("/event/id").asText()).isEqualTo("0123456789abcdef-" + i);
            // The clock is read once, for the chunk's first line.
            assertThat(event.at("/event/ingested").asText()).isEqualTo(NOW.toString());
            assertThat(event.at("/observer/hostname").asText()).isEqualTo("pbx1");
        }
        assertThat(events.get(1).at("/message").asText()).isEqualTo("nothing to see");
        assertThat(events.get(3).at("/source/ip").asText()).isEqualTo("203.0.113.46");
    }

    /**
     * A file's lines take their event.ingested from one reading of the clock per chunk, when its first line is handed
     * on: every line of a chunk has that instant, and the next chunk (the next read) a later one.
     */
    @Test
    void eachChunkReadsTheClockOnceForItsLines() throws Exception {
        EventPublisher.registerCodecs(vertx.eventBus());
        List<EventChunk> chunks = new CopyOnWriteArrayList<>();
        vertx.eventBus().<EventChunk>localConsumer(Addresses.EVENT_CHUNKS, message -> chunks.add(message.body()));
        AtomicLong reads = new AtomicLong();
        EventPublisher publisher = new EventPublisher(vertx.eventBus(), new Observer("pbx1", "9.9"), GeoLookup.NONE,
                ticking(reads), CustomFilters.NONE, 1);
        LineHandler chunked = publisher.chunked(vertx.getOrCreateContext());
        Normalizer normalizer = new Normalizer(new NormalizerOptions(ZoneOffset.UTC, NOW, false, "full",
                java.time.Clock.fixed(NOW, ZoneOffset.UTC)));

        for (int read = 0; read < 3; read++) {
            for (int i = 0; i < LINES.size(); i++) {
                chunked.handle(normalizer.normalize(LINES.get(i)), "0123456789abcdef-", read * 10 + i);
            }
            if (read == 1) {
                chunked.endOfChunk(); // a read without a mark ends its chunk as well
            } else {
                chunked.endOfChunk(() -> { });
            }
        }
        Waits.until("three chunks published", () -> chunks.size() == 3);

        assertThat(reads.get()).isEqualTo(3);
        for (int read = 0; read < 3; read++) {
            assertThat(parse(lines(chunks.get(read), true)))
                    .extracting(event -> event.at("/event/ingested").asText())
                    .containsOnly(NOW.plusSeconds(read).toString()).hasSize(LINES.size());
        }
    }

    @Test
    void everyEventGoesOnTheBusWhenABridgeAsksForAll() throws Exception {
        Heard heard = publish(true);
        EventChunk chunk = heard.chunks().get(0);

        Waits.until("every event on the bus", () -> heard.events().size() == 4);
        assertThat(lines(chunk, true)).isEqualTo(asLines(heard.events()));
    }

    /**
     * A chunk that fills the builder takes its arrays, and one that does not takes copies: either way, what the
     * builder collects next (in new arrays, or in its own cleared) never changes a chunk built before.
     */
    @Test
    void aChunkBuiltKeepsItsEventsWhateverTheBuilderCollectsNext() throws Exception {
        Normalizer normalizer = new Normalizer(new NormalizerOptions(ZoneOffset.UTC, NOW, false, "full",
                java.time.Clock.fixed(NOW, ZoneOffset.UTC)));
        EventChunk.Builder builder = new EventChunk.Builder(2, EventJson.PLAIN);
        builder.add(normalizer.normalize(LINES.get(0)), true, null, "a-0", NOW);
        builder.add(normalizer.normalize(LINES.get(1)), false, null, "a-1", NOW);
        EventChunk full = builder.build();
        byte[] fullLines = lines(full, true);
        builder.add(normalizer.normalize(LINES.get(2)), false, null, "b-2", NOW);
        EventChunk partial = builder.build();
        byte[] partialLines = lines(partial, true);
        builder.add(normalizer.normalize(LINES.get(3)), true, null, "c-3", NOW);
        builder.add(normalizer.normalize(LINES.get(1)), false, null, "c-1", NOW);
        EventChunk next = builder.build();

        assertThat(lines(full, true)).isEqualTo(fullLines);
        assertThat(lines(partial, true)).isEqualTo(partialLines);
        assertThat(parse(fullLines)).extracting(event -> event.at("/event/id").asText()).containsExactly("a-0", "a-1");
        assertThat(parse(partialLines)).extracting(event -> event.at("/event/id").asText()).containsExactly("b-2");
        assertThat(parse(lines(next, true))).extracting(event -> event.at("/event/id").asText())
                .containsExactly("c-3", "c-1");
        assertThat(full.count(false)).isEqualTo(1);
        assertThat(partial.count(false)).isZero();
        assertThat(next.count(false)).isEqualTo(1);
    }

    /**
     * With no one to hear tollgate.events (no bridge output, no cluster), no event goes on it, and the chunk's events
     * are the same bytes as when the bus carried the security events: the outputs write their JSON themselves.
     */
    @Test
    void noEventGoesOnTheBusWhenNoOneHearsItAndTheChunkIsTheSame() throws Exception {
        Heard onBus = publish(false);
        Waits.until("the security events on the bus", () -> onBus.events().size() == 2);
        Heard offBus = publish(another, EventPublisher::keepEventsOffBus);
        // Published after the chunk was heard, so after any event the publisher put on the bus before the chunk.
        Buffer last = Buffer.buffer("last");
        another.eventBus().publish(Addresses.EVENTS, last);
        Waits.until("the last buffer heard", () -> offBus.events().contains(last));

        assertThat(offBus.events()).containsExactly(last);
        EventChunk chunk = offBus.chunks().get(0);
        assertThat(chunk.count(false)).isEqualTo(2);
        assertThat(lines(chunk, true)).isEqualTo(lines(onBus.chunks().get(0), true));
        assertThat(lines(chunk, false)).isEqualTo(asLines(onBus.events()));
    }

    /**
     * A chunk's failures go to the jails when the source ends the chunk (the end of its read), all of them, in the
     * order of their lines, before the chunk's events: none is held past the read that brought it.
     */
    @Test
    void theFailuresOfAChunkGoToTheJailsAtItsEndInOrder() throws Exception {
        EventPublisher.registerCodecs(vertx.eventBus());
        List<String> heard = new CopyOnWriteArrayList<>();
        CountDownLatch registered = new CountDownLatch(2);
        // Both on one event loop, as the jails and an output may be: what is heard is in the order it came.
        vertx.getOrCreateContext().runOnContext(v -> {
            vertx.eventBus().<Failure>localConsumer(Addresses.FAILURES, message -> heard.add(message.body().sourceIp()))
                    .completion().onComplete(done -> registered.countDown());
            vertx.eventBus().<EventChunk>localConsumer(Addresses.EVENT_CHUNKS, message -> heard.add("chunk"))
                    .completion().onComplete(done -> registered.countDown());
        });
        assertThat(registered.await(Waits.PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        EventPublisher publisher = new EventPublisher(vertx.eventBus(), new Observer("pbx1", "9.9"), GeoLookup.NONE,
                ticking(), CustomFilters.NONE, 1);
        LineHandler chunked = publisher.chunked(vertx.getOrCreateContext());
        Normalizer normalizer = new Normalizer(new NormalizerOptions(ZoneOffset.UTC, NOW, false, "full",
                java.time.Clock.fixed(NOW, ZoneOffset.UTC)));

        for (int read = 0; read < 2; read++) {
            for (int i = 0; i < LINES.size(); i++) {
                chunked.handle(normalizer.normalize(LINES.get(i)), "0123456789abcdef-" + (read * 10 + i));
            }
            assertThat(heard).as("nothing before the end of the read").hasSize(3 * read);
            chunked.endOfChunk(() -> { });
            int expected = 3 * (read + 1);
            Waits.until("the read's failures and chunk", () -> heard.size() == expected);
        }

        assertThat(heard).containsExactly("203.0.113.45", "203.0.113.46", "chunk",
                "203.0.113.45", "203.0.113.46", "chunk");
    }
}
