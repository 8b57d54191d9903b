package org.tollgate.server.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.normalizer.NormalizerOptions;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.testkit.Waits;

/**
 * Read to its end ({@code run --once}), a file follower loses nothing: it waits for an output however late it
 * confirms, and says it is done only once every line read is written. Following a live log, it reads past an output
 * that confirms nothing (its queue drops), so a stuck output never stops the bans.
 */
class FileFollowerToEndTest {

    /** More lines than the back-pressure lets be unconfirmed, and than the output below holds. */
    private static final int LINES = 3 * (int) ConfirmedPositions.MAX_IN_FLIGHT;

    @TempDir
    Path dir;

    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopConfirming() {
        later.shutdownNow();
    }

    /**
     * An output with a bounded queue, as the real ones: lines handed on while it holds {@link #capacity} unwritten
     * are dropped; a chunk is written, and confirmed, {@code delayMillis} after its end (never, when negative).
     */
    private final class Output implements LineHandler {
        final int capacity;
        final long delayMillis;
        private final List<String> queued = new ArrayList<>();
        /** Lines queued since the last chunk's end. */
        private int unchunked;
        final AtomicLong handedOn = new AtomicLong();
        final AtomicLong written = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();

        Output(int capacity, long delayMillis) {
            this.capacity = capacity;
            this.delayMillis = delayMillis;
        }

        @Override
        public void handle(ParseResult result) {
            handedOn.incrementAndGet();
            synchronized (this) {
                if (queued.size() >= capacity) {
                    dropped.incrementAndGet();
                } else {
                    queued.add(result.toString());
                    unchunked++;
                }
            }
        }

        @Override
        public void endOfChunk(Runnable onWritten) {
            int chunk;
            synchronized (this) {
                chunk = unchunked;
                unchunked = 0;
            }
            if (delayMillis < 0) {
                return;
            }
            later.schedule(() -> {
                synchronized (this) {
                    // Chunks are confirmed in order: this one's lines are the first in the queue.
                    List<String> lines = queued.subList(0, chunk);
                    written.addAndGet(lines.size());
                    lines.clear();
                }
                onWritten.run();
            }, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private Path log() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < LINES; i++) {
            text.append("[2026-01-18 17:40:0").append(i % 10).append("] VERBOSE[2290] pbx.c: line ").append(i)
                    .append('\n');
        }
        return Files.writeString(dir.resolve("full"), text);
    }

    private static NormalizerOptions options() {
        return new NormalizerOptions(ZoneOffset.UTC, null, false, null, Clock.systemUTC());
    }

    @Test
    void readToTheEndAnOutputSlowerThanTheStuckLimitGetsEveryLineAndTheEndWaitsForIt() throws Exception {
        // Holds what the back-pressure lets be in flight (and a mark's lines past it), no more: a reader that went
        // on without it would overfill it. Each chunk is confirmed later than the stuck limit.
        Output output = new Output((int) ConfirmedPositions.MAX_IN_FLIGHT + 2 * 2048,
                ConfirmedPositions.STUCK_MILLIS + 1_000);
        FileFollower follower = new FileFollower(log(), options(), output, null, false, true, Clock.systemUTC());
        follower.start();
        try {
            Waits.result(follower.end());

            // Done means written: every line, none dropped, confirmed before the end was said.
            assertThat(output.dropped).hasValue(0);
            assertThat(output.handedOn).hasValue(LINES);
            assertThat(output.written).hasValue(LINES);
            assertThat(follower.linesRead()).isEqualTo(LINES);
        } finally {
            follower.stop();
        }
    }

    @Test
    void followingALiveLogTheReaderGoesOnPastAnOutputThatConfirmsNothing() throws Exception {
        Output stuck = new Output((int) ConfirmedPositions.MAX_IN_FLIGHT + 2 * 2048, -1);
        FileFollower follower = new FileFollower(log(), options(), stuck, null, false, Clock.systemUTC());
        follower.start();
        try {
            Waits.until("every line read past the stuck output", () -> stuck.handedOn.get() == LINES);

            assertThat(stuck.dropped.get()).as("dropped by the stuck output's full queue").isPositive();
            assertThat(stuck.written).hasValue(0);
            assertThat(follower.end()).isNotDone();
        } finally {
            follower.stop();
        }
    }

    @Test
    void readToTheEndOutputsSilentPastTheFailedLimitEndTheReadingWithAFailureSayingSo() throws Exception {
        Output silent = new Output(Integer.MAX_VALUE, -1);
        // An output silent for 200 ms counts as failed here (60 s in the service).
        FileFollower follower = new FileFollower(log(), options(), silent, null, false, true, Clock.systemUTC(),
                new ConfirmedPositions(silent, null, ConfirmedPositions.MAX_IN_FLIGHT, 200, true));
        follower.start();
        try {
            assertThatThrownBy(() -> follower.end().toCompletableFuture().get(Waits.PATIENCE_SECONDS,
                    TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().hasMessageContaining(dir.resolve("full").toString())
                    .hasMessageContaining("the outputs wrote nothing for")
                    .hasMessageContaining("lines read not written");
            assertThat(silent.handedOn.get()).as("reading stopped at the back-pressure's bound").isLessThan(LINES);
        } finally {
            follower.stop();
        }
    }

    @Test
    void readToTheEndAMissingFileIsNothingToReadAndEndsAtOnce() throws Exception {
        Output output = new Output(Integer.MAX_VALUE, 0);
        FileFollower follower = new FileFollower(dir.resolve("none"), options(), output, null, false, true,
                Clock.systemUTC());
        follower.start();
        try {
            Waits.result(follower.end());

            assertThat(output.handedOn).hasValue(0);
        } finally {
            follower.stop();
        }
    }
}
