package org.tollgate.server.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.tollgate.normalizer.Normalizer;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.testkit.Waits;

class HandOffTest {

    /** A hand-off to a thread that writes the results as JSON lines into {@code out}. */
    private static HandOff<ParseResult> writer(OutputStream out) {
        JsonLines lines = new JsonLines(out, true);
        return new HandOff<>("test-json-writer", lines, lines, LogChecker::weight);
    }

    /** Every line of the sample, normalized, several times over: more than a few batches. */
    private static List<ParseResult> results() throws IOException {
        Normalizer normalizer = new Normalizer(LogChecker.options(java.time.ZoneOffset.UTC, false));
        List<ParseResult> results = new ArrayList<>();
        List<String> lines = Files.readAllLines(Path.of("src/test/resources/sample-full.log"));
        for (int round = 0; round < 60; round++) {
            for (String line : lines) {
                normalizer.normalize(line, false, results::add);
            }
        }
        normalizer.flush(results::add);
        return results;
    }

    @Test
    void writesTheSameBytesInTheSameOrderAsWritingOnTheReadersThread() throws Exception {
        List<ParseResult> results = results();
        assertThat(results.size()).isGreaterThan(3 * HandOff.BATCH + 1);
        ByteArrayOutputStream direct = new ByteArrayOutputStream();
        JsonLines same = new JsonLines(direct, true);
        results.forEach(same);
        same.flush();

        ByteArrayOutputStream handedOn = new ByteArrayOutputStream();
        try (HandOff<ParseResult> writer = writer(handedOn)) {
            results.forEach(writer);
        }

        assertThat(handedOn.toByteArray()).isEqualTo(direct.toByteArray());
    }

    /** A live input gone quiet: what was handed on reaches the output without waiting for more, or for the end. */
    @Test
    void flushWritesWhatWasHandedOnWithoutClosing() throws Exception {
        ParseResult one = results().get(0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (HandOff<ParseResult> writer = writer(out)) {
            writer.accept(one);
            writer.flush();
            Waits.until("the line written", () -> out.toString(StandardCharsets.UTF_8).endsWith("\n"));
        }
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).hasSize(1);
    }

    /** A writer stuck on its output holds the reader back after a bounded number of batches. */
    @Test
    void aStuckOutputHoldsTheReaderBackWithABoundedBacklog() throws Exception {
        List<ParseResult> results = results();
        CountDownLatch release = new CountDownLatch(1);
        OutputStream stuck = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
        };
        AtomicInteger handed = new AtomicInteger();
        HandOff<ParseResult> writer = writer(stuck);
        Thread reader = new Thread(() -> {
            for (int i = 0; i < 20; i++) {
                for (ParseResult result : results) {
                    writer.accept(result);
                    handed.incrementAndGet();
                }
            }
        });
        reader.start();
        // The writer holds one batch it cannot write, the queue is full, the reader fills one more and waits.
        int bound = (HandOff.BATCHES + 2) * HandOff.BATCH;
        Waits.until("the reader held back", () -> reader.getState() == Thread.State.WAITING && handed.get() > 0);
        assertThat(handed.get()).isLessThanOrEqualTo(bound);
        release.countDown();
        reader.join(Waits.PATIENCE.toMillis());
        assertThat(reader.isAlive()).isFalse();
        writer.close();
        assertThat(handed.get()).isEqualTo(20 * results.size());
    }

    /** Long lines make short batches: what waits is bounded in characters, not only in items. */
    @Test
    void aStuckOutputHoldsBackFewerLongLines() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> passed = new ArrayList<>();
        HandOff<String> handOff = new HandOff<>("test-stuck", line -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            passed.add(line);
        }, () -> { }, String::length);
        String line = "x".repeat(64 * 1024);
        AtomicInteger handed = new AtomicInteger();
        Thread reader = new Thread(() -> {
            for (int i = 0; i < 2 * HandOff.BATCHES * HandOff.BATCH; i++) {
                handOff.accept(line);
                handed.incrementAndGet();
            }
        });
        reader.start();
        Waits.until("the reader held back", () -> reader.getState() == Thread.State.WAITING && handed.get() > 0);
        // One batch taken by the stuck thread, the queue full, one more being filled: each batch a few lines.
        int linesPerBatch = HandOff.BATCH_WEIGHT / line.length();
        assertThat(handed.get()).isLessThanOrEqualTo((HandOff.BATCHES + 2) * linesPerBatch);
        release.countDown();
        reader.join(Waits.PATIENCE.toMillis());
        handOff.close();
        assertThat(passed).hasSize(2 * HandOff.BATCHES * HandOff.BATCH);
    }

    @Test
    void aFailedOutputIsThrownToTheReaderAndByClose() throws Exception {
        List<ParseResult> results = results();
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        HandOff<ParseResult> writer = writer(broken);
        assertThatThrownBy(() -> {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Waits.PATIENCE.toMillis());
            while (System.nanoTime() < deadline) {
                results.forEach(writer);
                writer.flush();
            }
        }).isInstanceOf(UncheckedIOException.class).hasMessageContaining("Broken pipe");
        assertThatThrownBy(writer::close).isInstanceOf(IOException.class).hasMessageContaining("Broken pipe");
    }
}
