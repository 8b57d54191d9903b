package org.tollgate.server.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.banner.store.ReadPositions;
import org.tollgate.banner.store.StateDatabase;
import org.tollgate.normalizer.NormalizerOptions;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.testkit.Waits;

/**
 * The file follower names each line by its file and byte offset ({@code event.id}), stores only read positions its
 * outputs confirmed, and after a restart first reads the rest of a file rotated away while it was stopped.
 */
class FileFollowerTest {

    @TempDir
    Path dir;

    /** A line handed on: its text and its id. */
    private record Line(String text, String id) {
    }

    /** Collects lines; confirms a read only when told to, as an output that has not written yet. */
    private static final class Outputs implements LineHandler {
        final List<Line> lines = new CopyOnWriteArrayList<>();
        final List<Runnable> unconfirmed = new CopyOnWriteArrayList<>();
        final AtomicInteger confirmed = new AtomicInteger();
        volatile boolean confirming = true;

        @Override
        public void handle(ParseResult result) {
            handle(result, null);
        }

        @Override
        public void handle(ParseResult result, String id) {
            String original = result instanceof ParseResult.Parsed parsed ? parsed.event().original()
                    : ((ParseResult.Rejected) result).raw();
            lines.add(new Line(original, id));
        }

        @Override
        public synchronized void endOfChunk(Runnable onWritten) {
            if (confirming) {
                onWritten.run();
                confirmed.incrementAndGet();
            } else {
                unconfirmed.add(onWritten);
            }
        }

        List<String> texts() {
            return lines.stream().map(Line::text).toList();
        }
    }

    private FileFollower follow(Path log, LineHandler handler, ReadPositions store) {
        FileFollower follower = new FileFollower(log, new NormalizerOptions(ZoneOffset.UTC, null, false, null,
                Clock.systemUTC()), handler, store, false, Clock.systemUTC());
        follower.start();
        return follower;
    }

    private static String line(int n) {
        return "[2026-01-18 17:40:0" + n + "] VERBOSE[2290] pbx.c: line " + n;
    }

    @Test
    void eachLineIsNamedByItsFileAndOffsetTheSameWhenReadAgain() throws Exception {
        Path log = dir.resolve("full");
        Files.writeString(log, line(1) + "\n" + line(2) + "\n");
        Outputs first = new Outputs();
        Outputs second = new Outputs();
        FileFollower follower = follow(log, first, null);
        Waits.until("two lines", () -> first.lines.size() == 2);
        follower.stop();
        follower = follow(log, second, null);
        Waits.until("two lines again", () -> second.lines.size() == 2);
        follower.stop();
        String file = first.lines.get(0).id().substring(0, 17);
        assertThat(first.lines.get(0).id()).matches("[0-9a-f]{16}-0");
        assertThat(first.lines.get(1).id()).isEqualTo(file + (line(1).length() + 1));
        assertThat(second.lines).isEqualTo(first.lines);
    }

    @Test
    void onlyAPositionTheOutputsConfirmedIsStored() throws Exception {
        Path log = dir.resolve("full");
        Files.writeString(log, line(1) + "\n");
        try (StateDatabase db = StateDatabase.inMemory(InstantSource.system())) {
            Outputs outputs = new Outputs();
            FileFollower follower = follow(log, outputs, db.positions());
            Waits.until("the first line confirmed", () -> outputs.confirmed.get() >= 1);
            outputs.confirming = false;
            Files.writeString(log, line(2) + "\n", StandardOpenOption.APPEND);
            Waits.until("the second line", () -> outputs.lines.size() == 2);
            follower.stop(); // the outputs never confirm line 2: it is read again

            Outputs again = new Outputs();
            follower = follow(log, again, db.positions());
            Waits.until("line 2 again", () -> again.lines.size() >= 1);
            follower.stop();
            assertThat(again.lines).containsExactly(outputs.lines.get(1));
        }
    }

    @Test
    void readingWaitsForTheOutputsWhileTooManyLinesAreUnwritten() throws Exception {
        Path log = dir.resolve("full");
        int total = 5_000;
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < total; i++) {
            text.append(line(i % 10)).append('\n');
        }
        Files.writeString(log, text);
        Outputs outputs = new Outputs();
        outputs.confirming = false;
        // At most 500 lines unwritten; an output silent for 10 minutes would count as stuck.
        FileFollower follower = new FileFollower(log, new NormalizerOptions(ZoneOffset.UTC, null, false, null,
                Clock.systemUTC()), outputs, null, false, false, Clock.systemUTC(),
                new ConfirmedPositions(outputs, null, 500, 600_000, false));
        follower.start();
        try {
            Waits.until("the reader waiting for the outputs", () -> outputs.lines.size() >= 500
                    && readerWaits("tollgate-file-full"));
            // A mark comes at most every 2,048 lines (or a read's end): reading stopped one mark past the bound.
            assertThat(outputs.lines.size()).isLessThan(500 + 2_048 + 1);
            synchronized (outputs) {
                outputs.confirming = true;
                outputs.unconfirmed.forEach(Runnable::run);
            }
            Waits.until("every line once the outputs wrote", () -> outputs.lines.size() == total);
        } finally {
            follower.stop();
        }
    }

    /** Whether the thread named {@code name} waits in the back-pressure (parked, not in the watch service's poll). */
    private static boolean readerWaits(String name) {
        for (var entry : Thread.getAllStackTraces().entrySet()) {
            if (entry.getKey().getName().equals(name)) {
                for (StackTraceElement frame : entry.getValue()) {
                    if (frame.getMethodName().equals("awaitOutputs")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @Test
    void theRestOfAFileRotatedWhileStoppedIsReadBeforeTheNewFile() throws Exception {
        Path log = dir.resolve("full");
        Files.writeString(log, line(1) + "\n");
        try (StateDatabase db = StateDatabase.inMemory(InstantSource.system())) {
            Outputs outputs = new Outputs();
            FileFollower follower = follow(log, outputs, db.positions());
            Waits.until("line 1", () -> outputs.lines.size() == 1);
            follower.stop();

            Files.writeString(log, line(2) + "\n" + line(3), StandardOpenOption.APPEND); // the last without \n
            Files.move(log, dir.resolve("full.1"));
            Files.writeString(dir.resolve("full.2.gz"), "not read");
            Files.writeString(log, line(4) + "\n");

            Outputs after = new Outputs();
            follower = follow(log, after, db.positions());
            Waits.until("lines 2 to 4", () -> after.lines.size() >= 3);
            follower.stop();
            assertThat(after.texts()).containsExactly(line(2), line(3), line(4));
            assertThat(after.lines.get(0).id()).startsWith(outputs.lines.get(0).id().substring(0, 17));
            assertThat(after.lines.get(2).id()).doesNotStartWith(outputs.lines.get(0).id().substring(0, 17));
        }
    }

    @Test
    void aDeletedFileIsSaidMissingUntilItIsCreatedAgainAndThenRead() throws Exception {
        Path log = dir.resolve("full");
        Files.writeString(log, line(1) + "\n");
        Outputs outputs = new Outputs();
        FileFollower follower = follow(log, outputs, null);
        try {
            Waits.until("line 1", () -> outputs.lines.size() == 1);
            assertThat(follower.missingFor()).isNull();
            Files.delete(log);
            Waits.until("the file said missing", () -> follower.missingFor() != null);
            Files.writeString(log, line(2) + "\n");
            Waits.until("line 2", () -> outputs.lines.size() == 2);
            Waits.until("the file no longer said missing", () -> follower.missingFor() == null);
        } finally {
            follower.stop();
        }
        assertThat(outputs.texts()).containsExactly(line(1), line(2));
    }

    /**
     * The directory's watch fires for every file in it: a write to a file beside the log (the state store's database)
     * is passed over, a write to the log itself or its creation after a rotation is not.
     */
    @Test
    void onlyTheFollowedFilesEventsWakeTheFollower() throws Exception {
        Path log = dir.resolve("full");
        Path beside = dir.resolve("tollgate.db");
        Files.writeString(log, "");
        Files.writeString(beside, "");
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            dir.register(watch, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE);
            Files.writeString(beside, "row", StandardOpenOption.APPEND);
            assertThat(FileFollower.concerns(nextEvents(watch), log.getFileName())).isFalse();
            Files.writeString(log, line(1) + "\n", StandardOpenOption.APPEND);
            assertThat(FileFollower.concerns(nextEvents(watch), log.getFileName())).isTrue();
            Files.move(log, dir.resolve("full.1"));
            Files.writeString(log, line(2) + "\n");
            List<WatchEvent<?>> rotated = new ArrayList<>();
            Waits.until("the new file's creation", () -> {
                rotated.addAll(nextEvents(watch));
                return rotated.stream().anyMatch(event -> event.kind() == StandardWatchEventKinds.ENTRY_CREATE
                        && log.getFileName().equals(event.context()));
            });
            assertThat(FileFollower.concerns(rotated, log.getFileName())).isTrue();
        }
    }

    /** The events of the watch's next key, waiting for it as long as the tests' patience. */
    private static List<WatchEvent<?>> nextEvents(WatchService watch) {
        try {
            WatchKey key = watch.poll(Waits.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(key).as("a watch event").isNotNull();
            List<WatchEvent<?>> events = key.pollEvents();
            key.reset();
            return events;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
