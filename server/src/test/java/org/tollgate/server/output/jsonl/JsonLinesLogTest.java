package org.tollgate.server.output.jsonl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.server.config.RotationSettings;
import org.tollgate.server.output.ForwardFixtures;

/** The Logback path of the jsonl output: lines as on the bus, byte for byte; stdout; rolling by size and by day. */
class JsonLinesLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @TempDir
    Path dir;

    /** A clock the test moves by hand, in a zone of its own. */
    static final class MovableClock extends Clock {
        private volatile Instant now;
        private final ZoneId zone;

        MovableClock(String start, ZoneId zone) {
            this.now = Instant.parse(start);
            this.zone = zone;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId other) {
            return new MovableClock(now.toString(), other);
        }
    }

    static List<Buffer> events() {
        List<Buffer> events = new ArrayList<>(ForwardFixtures.json(ForwardFixtures.LINES));
        events.addAll(ForwardFixtures.json(ForwardFixtures.NON_ASCII));
        return events;
    }

    /** What the writer before Logback wrote for these events: each message's bytes and a '\n'. */
    static byte[] asLines(List<Buffer> events) {
        return ForwardFixtures.asLines(events);
    }

    static List<String> gunzipLines(Path file) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> lines(List<Buffer> events) {
        return events.stream().map(Buffer::toString).toList();
    }

    @Test
    void eachLineIsTheBusMessageByteForByte() throws IOException {
        List<Buffer> events = events();
        assertThat(events).hasSizeGreaterThan(10);
        assertThat(events.stream().map(Buffer::toString))
                .anyMatch(json -> json.contains("😀"))
                .anyMatch(json -> json.contains("東京"))
                .anyMatch(json -> json.contains("\\\""))
                .anyMatch(json -> json.contains("\\\\"));
        Path file = dir.resolve("events.jsonl");
        try (JsonLinesLog log = JsonLinesLog.open(file.toString(), null, Clock.systemUTC())) {
            for (Buffer event : events) {
                assertThat(log.append(event)).isTrue();
            }
        }

        assertThat(Files.readAllBytes(file)).isEqualTo(asLines(events));
        List<String> written = Files.readAllLines(file);
        for (int i = 0; i < events.size(); i++) {
            assertThat(JSON.readTree(written.get(i))).isEqualTo(JSON.readTree(events.get(i).getBytes()));
        }
    }

    @Test
    void anEventLargerThanTheFileBufferIsWrittenWhole() throws IOException {
        // The appender's stream buffers 64 KiB; a longer event goes past it in one write.
        String text = "Müller 東京 \\\"x\\\" ".repeat(2_000);
        Buffer large = Buffer.buffer("{\"message\":\"" + text + "\",\"event\":{\"original\":\"" + text + "\"}}");
        Buffer small = events().get(0);
        Path file = dir.resolve("events.jsonl");
        try (JsonLinesLog log = JsonLinesLog.open(file.toString(), null, Clock.systemUTC())) {
            log.append(small);
            log.append(large);
            log.append(small);
        }

        assertThat(large.length()).isGreaterThan(JsonLinesLog.FILE_BUFFER);
        assertThat(Files.readAllBytes(file)).isEqualTo(asLines(List.of(small, large, small)));
    }

    @Test
    void aFileCutMidEventIsEndedWithALineFeedSoTheNextEventIsALineOfItsOwn() throws IOException {
        Path file = dir.resolve("events.jsonl");
        Files.writeString(file, "{\"event\":{\"id\":\"a\"}}\n{\"event\":{\"i");
        try (JsonLinesLog log = JsonLinesLog.open(file.toString(), null, Clock.systemUTC())) {
            log.append(Buffer.buffer("{\"event\":{\"id\":\"b\"}}"));
        }
        assertThat(Files.readAllLines(file)).containsExactly("{\"event\":{\"id\":\"a\"}}", "{\"event\":{\"i",
                "{\"event\":{\"id\":\"b\"}}");
    }

    @Test
    void whatIsNotOneJsonObjectIsRefused() throws IOException {
        Path file = dir.resolve("events.jsonl");
        try (JsonLinesLog log = JsonLinesLog.open(file.toString(), null, Clock.systemUTC())) {
            assertThat(log.append(Buffer.buffer("[1,2]"))).isFalse();
            assertThat(log.append(Buffer.buffer(""))).isFalse();
            assertThat(log.append(Buffer.buffer("{\"a\":1"))).isFalse();
            assertThat(log.append(Buffer.buffer("{}"))).isTrue();
        }
        assertThat(Files.readString(file)).isEqualTo("{}\n");
    }

    @Test
    void linesAreOnDiskAfterAFlushAndAppendedToWhatWasThere() throws IOException {
        Path file = dir.resolve("sub/dir/events.jsonl");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"earlier\":true}\n");
        List<Buffer> events = events();
        try (JsonLinesLog log = JsonLinesLog.open(file.toString(), null, Clock.systemUTC())) {
            log.append(events.get(0));
            assertThat(Files.readString(file)).isEqualTo("{\"earlier\":true}\n");
            log.flush();
            assertThat(Files.readString(file)).isEqualTo("{\"earlier\":true}\n" + events.get(0) + "\n");
        }
    }

    @Test
    void stdoutGetsTheSameBytes() throws IOException {
        List<Buffer> events = events();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(captured, false, StandardCharsets.UTF_8));
        try (JsonLinesLog log = JsonLinesLog.open("-", null, Clock.systemUTC())) {
            events.forEach(log::append);
            log.flush();
        } finally {
            System.setOut(stdout);
        }
        assertThat(captured.toByteArray()).isEqualTo(asLines(events));
    }

    @Test
    void stdoutGetsEventsInBlocksAndStaysOpen() throws IOException {
        List<Buffer> events = events();
        AtomicInteger writes = new AtomicInteger();
        ByteArrayOutputStream captured = new ByteArrayOutputStream() {
            @Override
            public synchronized void write(byte[] bytes, int offset, int length) {
                writes.incrementAndGet();
                super.write(bytes, offset, length);
            }
        };
        PrintStream stdout = System.out;
        PrintStream counting = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(counting);
        try (JsonLinesLog log = JsonLinesLog.open("-", null, Clock.systemUTC())) {
            events.forEach(log::append);
            assertThat(writes).as("nothing written before the flush").hasValue(0);
            log.flush();
        } finally {
            System.setOut(stdout);
        }
        assertThat(writes).as("one write for %d events", events.size()).hasValue(1);
        counting.print("still open");
        assertThat(counting.checkError()).isFalse();
    }

    @Test
    void aFileOutputPrintsNothingOnStdout() throws IOException {
        // stdout may be another output's events: Logback must not report there, whatever it has to say.
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            try (JsonLinesLog log = JsonLinesLog.open(dir.resolve("plain.jsonl").toString(), null,
                    Clock.systemUTC())) {
                events().forEach(log::append);
            }
            try (JsonLinesLog log = JsonLinesLog.open(dir.resolve("rolled.jsonl").toString(),
                    new RotationSettings(1024, true, 2, true), Clock.systemUTC())) {
                events().forEach(log::append);
            }
        } finally {
            System.setOut(stdout);
        }
        assertThat(dir.resolve("rolled.jsonl.2.gz")).exists();
        assertThat(captured.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aFileThatCannotBeOpenedFailsWithThePathAndTheReason() throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "");
        String path = notADirectory.resolve("events.jsonl").toString();
        assertThatThrownBy(() -> JsonLinesLog.open(path, null, Clock.systemUTC()))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot open " + path + ": ");
    }

    @Test
    void rollsAtMaxSizeKeepsMaxFilesAndGzipsThem() throws IOException {
        List<Buffer> events = new ArrayList<>();
        while (events.size() < 60) {
            events.addAll(events());
        }
        Path file = dir.resolve("events.jsonl");
        RotationSettings rotate = new RotationSettings(2048, false, 3, true);
        try (JsonLinesLog log = JsonLinesLog.open(file.toString(), rotate, Clock.systemUTC())) {
            events.forEach(log::append);
        }

        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("events.jsonl", "events.jsonl.1.gz", "events.jsonl.2.gz",
                            "events.jsonl.3.gz");
        }
        List<String> kept = new ArrayList<>();
        for (int i = 3; i >= 1; i--) {
            List<String> rolled = gunzipLines(dir.resolve("events.jsonl." + i + ".gz"));
            int bytes = rolled.stream().mapToInt(line -> line.getBytes(StandardCharsets.UTF_8).length + 1).sum();
            // Rolled once 2048 bytes were written: at least that, at most one event more.
            assertThat(bytes).isBetween(2048, 2048 + 1500);
            kept.addAll(rolled);
        }
        kept.addAll(Files.readAllLines(file));
        // The oldest files were deleted: what is kept is the tail of what was written, in order.
        List<String> all = lines(events);
        assertThat(kept.size()).isLessThan(all.size());
        assertThat(kept).isEqualTo(all.subList(all.size() - kept.size(), all.size()));
    }

    @Test
    void rollsWithoutCompressionWhenAsked() throws IOException {
        List<Buffer> events = events();
        Path file = dir.resolve("events.jsonl");
        try (JsonLinesLog log = JsonLinesLog.open(file.toString(), new RotationSettings(1024, false, 10, false),
                Clock.systemUTC())) {
            events.forEach(log::append);
        }
        List<String> kept = new ArrayList<>();
        for (int i = 10; i >= 1; i--) {
            Path rolled = dir.resolve("events.jsonl." + i);
            if (Files.exists(rolled)) {
                kept.addAll(Files.readAllLines(rolled));
            }
        }
        assertThat(dir.resolve("events.jsonl.2")).exists();
        kept.addAll(Files.readAllLines(file));
        assertThat(kept).isEqualTo(lines(events));
    }

    @Test
    void aBlockOfLinesIsWrittenWholeAndRollsBetweenLinesAtTheSize() throws IOException {
        List<Buffer> events = new ArrayList<>();
        long written = 0;
        while (written <= 2L * JsonLinesLog.PIECE) {
            for (Buffer event : events()) {
                events.add(event);
                written += event.length() + 1;
            }
        }
        byte[] block = asLines(events);
        assertThat(block.length).isGreaterThan(2 * JsonLinesLog.PIECE);
        Path plain = dir.resolve("plain.jsonl");
        try (JsonLinesLog log = JsonLinesLog.open(plain.toString(), null, Clock.systemUTC())) {
            log.appendLines(java.util.Arrays.copyOf(block, block.length + 100), block.length);
        }
        assertThat(Files.readAllBytes(plain)).isEqualTo(block);

        Path file = dir.resolve("events.jsonl");
        try (JsonLinesLog log = JsonLinesLog.open(file.toString(), new RotationSettings(64 * 1024, false, 100, false),
                Clock.systemUTC())) {
            log.appendLines(block, block.length);
        }
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        int rolled = 0;
        for (int i = 100; i >= 1; i--) {
            Path older = dir.resolve("events.jsonl." + i);
            if (Files.exists(older)) {
                rolled++;
                byte[] bytes = Files.readAllBytes(older);
                // Rolled at a line's end, at most a quarter of max_size past it.
                assertThat(bytes[bytes.length - 1]).isEqualTo((byte) '\n');
                assertThat(bytes.length).isLessThanOrEqualTo(64 * 1024 + 16 * 1024);
                kept.write(bytes);
            }
        }
        kept.write(Files.readAllBytes(file));
        assertThat(rolled).isGreaterThan(block.length / (128 * 1024));
        assertThat(kept.toByteArray()).isEqualTo(block);
    }

    @Test
    void rollsAtTheFirstEventAfterMidnightInTheClocksZone() throws IOException {
        List<Buffer> events = events();
        // 23:59:30 in Berlin (UTC+1 in November).
        MovableClock clock = new MovableClock("2026-11-20T22:59:30Z", BERLIN);
        Path file = dir.resolve("events.jsonl");
        try (JsonLinesLog log = JsonLinesLog.open(file.toString(), new RotationSettings(0, true, 7, true), clock)) {
            log.append(events.get(0));
            log.append(events.get(1));
            clock.advance(Duration.ofSeconds(20));
            log.append(events.get(2));
            clock.advance(Duration.ofSeconds(20));
            log.append(events.get(3));
            clock.advance(Duration.ofHours(23));
            log.append(events.get(4));
        }

        assertThat(gunzipLines(dir.resolve("events.jsonl.1.gz"))).isEqualTo(lines(events.subList(0, 3)));
        assertThat(Files.readAllLines(file)).isEqualTo(lines(events.subList(3, 5)));
        assertThat(dir.resolve("events.jsonl.2.gz")).doesNotExist();
    }

    @Test
    void aFileLastWrittenOnAnEarlierDayRollsAtTheFirstEvent() throws IOException {
        List<Buffer> events = events();
        MovableClock clock = new MovableClock("2026-11-21T09:00:00Z", BERLIN);
        Path file = dir.resolve("events.jsonl");
        Files.write(file, asLines(events.subList(0, 2)));
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(Instant.parse("2026-11-20T18:00:00Z")));
        try (JsonLinesLog log = JsonLinesLog.open(file.toString(), new RotationSettings(0, true, 7, false), clock)) {
            log.append(events.get(2));
        }

        assertThat(Files.readAllLines(dir.resolve("events.jsonl.1"))).isEqualTo(lines(events.subList(0, 2)));
        assertThat(Files.readAllLines(file)).isEqualTo(lines(events.subList(2, 3)));
    }

    @Test
    void anEmptyFileIsNotRolled() throws IOException {
        MovableClock clock = new MovableClock("2026-11-20T22:59:30Z", BERLIN);
        Path file = dir.resolve("events.jsonl");
        try (JsonLinesLog log = JsonLinesLog.open(file.toString(), new RotationSettings(0, true, 7, true), clock)) {
            clock.advance(Duration.ofMinutes(1));
            log.append(events().get(0));
            log.append(events().get(1));
        }
        assertThat(dir.resolve("events.jsonl.1.gz")).doesNotExist();
        assertThat(Files.readAllLines(file)).hasSize(2);
    }

    @Test
    void jsonParsesBackFieldByField() throws IOException {
        Path file = dir.resolve("events.jsonl");
        List<Buffer> events = ForwardFixtures.json(ForwardFixtures.NON_ASCII);
        try (JsonLinesLog log = JsonLinesLog.open(file.toString(), null, Clock.systemUTC())) {
            events.forEach(log::append);
        }
        JsonNode first = JSON.readTree(Files.readAllLines(file).get(0));
        assertThat(first.at("/source/ip").asText()).isEqualTo("203.0.113.45");
        assertThat(first.at("/message").asText()).contains("\"Zoë Ångström 😀\" <sip:100@198.51.100.200>");
    }
}
