package org.tollgate.server.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tollgate.server.output.TcpJsonOutputVerticleTest.until;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.server.api.BusEvents;
import org.tollgate.server.bus.Addresses;
import org.tollgate.server.bus.EventPublisher;
import org.tollgate.server.config.OutputSettings;
import org.tollgate.server.config.RotationSettings;
import org.tollgate.testkit.Waits;

/** The jsonl output on the event bus: what it writes, what it drops when its queue is full, and what stop drains. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 2 * Waits.PATIENCE_SECONDS, timeUnit = TimeUnit.SECONDS)
class JsonlOutputVerticleTest {

    private static final DeliveryOptions SECURITY = new DeliveryOptions().addHeader(Addresses.SECURITY, "true");

    @TempDir
    Path dir;

    private final PrintStream stdout = System.out;

    @AfterEach
    void restoreStdout() {
        System.setOut(stdout);
    }

    /** Stands in for stdout: holds every write until released, as a pipe whose reader has stopped reading. */
    static final class StalledStdout extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CountDownLatch firstWrite = new CountDownLatch(1);
        final CountDownLatch released = new CountDownLatch(1);

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            firstWrite.countDown();
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (bytes) {
                bytes.write(b, off, len);
            }
        }

        List<String> lines() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8).lines().toList();
            }
        }
    }

    static OutputSettings.JsonlOutput jsonl(String path, boolean all, int queue, RotationSettings rotate) {
        return new OutputSettings.JsonlOutput(path, all, queue, rotate, 1);
    }

    static List<ParseResult> fixtures() {
        List<ParseResult> results = new ArrayList<>(ForwardFixtures.results());
        results.addAll(ForwardFixtures.results(ForwardFixtures.NON_ASCII));
        return results;
    }

    /** Every event buffer published on tollgate.events from now on, as the bus delivers it. */
    static List<Buffer> recordBus(Vertx vertx, boolean securityOnly) {
        List<Buffer> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        vertx.eventBus().<Buffer>consumer(Addresses.EVENTS, message -> {
            if (!securityOnly || "true".equals(message.headers().get(Addresses.SECURITY))) {
                seen.add(message.body());
            }
        });
        return seen;
    }

    /**
     * Deploys {@code output}, publishes the fixtures as a file source would, waits until it has written the ones it
     * takes, and undeploys it. Completes with what the bus carried that the output takes, in order.
     */
    static Future<List<Buffer>> publishFixtures(Vertx vertx, JsonlOutputVerticle output, boolean securityOnly) {
        List<Buffer> taken = recordBus(vertx, securityOnly);
        EventPublisher publisher = TcpJsonOutputVerticleTest.publisher(vertx);
        List<ParseResult> events = fixtures();
        long expected = events.stream().filter(event -> !securityOnly
                || event instanceof ParseResult.Parsed parsed && parsed.event().isSecurity()).count();
        return vertx.deployVerticle(output)
                .compose(id -> {
                    events.forEach(publisher::handle);
                    return until(vertx, () -> taken.size() == expected && output.written() == expected)
                            .compose(written -> vertx.undeploy(id));
                })
                .map(stopped -> taken);
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyEventIsWrittenAsTheBusCarriedIt(Vertx vertx, VertxTestContext test) {
        Path file = dir.resolve("events.jsonl");
        JsonlOutputVerticle output = new JsonlOutputVerticle(jsonl(file.toString(), true, 1000, null), 1000);
        publishFixtures(vertx, output, false).onComplete(test.succeeding(bus -> test.verify(() -> {
            assertThat(bus).hasSize(fixtures().size());
            assertThat(read(file)).isEqualTo(ForwardFixtures.asLines(bus));
            assertThat(output.written()).isEqualTo(bus.size());
            assertThat(output.dropped()).isZero();
            assertThat(output.queued()).isZero();
            test.completeNow();
        })));
    }

    @Test
    void securityEventsOnlyUnlessAllAreAskedFor(Vertx vertx, VertxTestContext test) {
        Path file = dir.resolve("events.jsonl");
        JsonlOutputVerticle output = new JsonlOutputVerticle(jsonl(file.toString(), false, 1000, null), 1000);
        publishFixtures(vertx, output, true).onComplete(test.succeeding(security -> test.verify(() -> {
            assertThat(security.size()).isBetween(1, fixtures().size() - 1);
            assertThat(read(file)).isEqualTo(ForwardFixtures.asLines(security));
            test.completeNow();
        })));
    }

    @Test
    void stdoutWhenThePathIsADash(Vertx vertx, VertxTestContext test) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        JsonlOutputVerticle output = new JsonlOutputVerticle(jsonl("-", true, 1000, null), 1000);
        publishFixtures(vertx, output, false).onComplete(test.succeeding(bus -> test.verify(() -> {
            assertThat(captured.toByteArray()).isEqualTo(ForwardFixtures.asLines(bus));
            test.completeNow();
        })));
    }

    @Test
    void aFullQueueDropsAndCountsWithoutHoldingUpTheEventLoop(Vertx vertx, VertxTestContext test) {
        StalledStdout stalled = new StalledStdout();
        System.setOut(new PrintStream(stalled, true, StandardCharsets.UTF_8));
        int queue = 5;
        JsonlOutputVerticle output = new JsonlOutputVerticle(jsonl("-", true, queue, null), queue);
        Buffer event = ForwardFixtures.json().get(0);
        vertx.deployVerticle(output)
                .compose(id -> {
                    BusEvents.publishChunk(vertx.eventBus(), event, true);
                    // The writer has taken the first event and hangs in its write.
                    return vertx.executeBlocking(() -> stalled.firstWrite.await(20, TimeUnit.SECONDS));
                })
                .compose(writing -> {
                    for (int i = 0; i < queue + 7; i++) {
                        BusEvents.publishChunk(vertx.eventBus(), event, true);
                    }
                    return until(vertx, () -> output.queued() + output.dropped() == queue + 7);
                })
                .compose(full -> {
                    assertThat(output.queued()).isEqualTo(queue);
                    assertThat(output.dropped()).isEqualTo(7);
                    // The first event is with the appender, whose write hangs: not written until it returns.
                    assertThat(output.written()).isZero();
                    stalled.released.countDown();
                    // Counted as written once the write and the flush that follows it have reached stdout.
                    return until(vertx, () -> output.written() == 1 + queue && stalled.lines().size() == 1 + queue);
                })
                .onComplete(test.succeeding(done -> test.verify(() -> {
                    assertThat(stalled.lines()).hasSize(1 + queue).containsOnly(event.toString());
                    assertThat(output.dropped()).isEqualTo(7);
                    test.completeNow();
                })));
    }

    @Test
    void eventsThatCannotReachTheFileAreCountedDroppedNotWritten(Vertx vertx, VertxTestContext test) {
        // Every write to /dev/full fails (no space left on device), as to a file on a full disk: Logback's file stream
        // swallows the failure, and drops what comes while it tries to recover.
        Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(full), "a system with /dev/full");
        JsonlOutputVerticle output = new JsonlOutputVerticle(jsonl(full.toString(), true, 1000, null), 1000);
        droppedAll(vertx, output, test);
    }

    @Test
    void eventsThatCannotReachStdoutAreCountedDroppedNotWritten(Vertx vertx, VertxTestContext test) {
        // A reader gone: System.out does not throw, it only remembers the failure.
        System.setOut(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        }, false, StandardCharsets.UTF_8));
        JsonlOutputVerticle output = new JsonlOutputVerticle(jsonl("-", true, 1000, null), 1000);
        droppedAll(vertx, output, test);
    }

    /** Publishes the fixtures to {@code output}, which cannot write them: every one is counted dropped, none written. */
    private static void droppedAll(Vertx vertx, JsonlOutputVerticle output, VertxTestContext test) {
        EventPublisher publisher = TcpJsonOutputVerticleTest.publisher(vertx);
        List<ParseResult> events = fixtures();
        vertx.deployVerticle(output)
                .compose(id -> {
                    events.forEach(publisher::handle);
                    return until(vertx, () -> output.written() + output.dropped() == events.size());
                })
                .onComplete(test.succeeding(done -> test.verify(() -> {
                    assertThat(output.dropped()).isEqualTo(events.size());
                    assertThat(output.written()).isZero();
                    test.completeNow();
                })));
    }

    @Test
    void stopWritesEverythingQueuedBeforeItCompletes(Vertx vertx, VertxTestContext test) {
        StalledStdout stalled = new StalledStdout();
        System.setOut(new PrintStream(stalled, true, StandardCharsets.UTF_8));
        JsonlOutputVerticle output = new JsonlOutputVerticle(jsonl("-", true, 1000, null), 1000);
        List<Buffer> events = ForwardFixtures.json(ForwardFixtures.NON_ASCII);
        vertx.deployVerticle(output)
                .compose(id -> {
                    BusEvents.publishChunk(vertx.eventBus(), events.get(0), true);
                    // The writer hangs flushing the first event; the others wait in the queue.
                    return vertx.executeBlocking(() -> stalled.firstWrite.await(20, TimeUnit.SECONDS))
                            .compose(writing -> {
                                events.subList(1, events.size())
                                        .forEach(event -> BusEvents.publishChunk(vertx.eventBus(), event, true));
                                return until(vertx, () -> output.queued() == events.size() - 1);
                            })
                            .compose(queued -> {
                                Future<Void> undeployed = vertx.undeploy(id);
                                vertx.setTimer(200, t -> stalled.released.countDown());
                                return undeployed;
                            });
                })
                .onComplete(test.succeeding(done -> test.verify(() -> {
                    assertThat(stalled.lines()).isEqualTo(events.stream().map(Buffer::toString).toList());
                    assertThat(output.written()).isEqualTo(events.size());
                    assertThat(output.queued()).isZero();
                    test.completeNow();
                })));
    }

    @Test
    void aRotatedOutputRollsAndGzips(Vertx vertx, VertxTestContext test) {
        Path file = dir.resolve("events.jsonl");
        RotationSettings rotate = new RotationSettings(1024, false, 50, true);
        JsonlOutputVerticle output = new JsonlOutputVerticle(jsonl(file.toString(), true, 1000, rotate), 1000);
        publishFixtures(vertx, output, false)
                .onComplete(test.succeeding(bus -> test.verify(() -> {
                    ByteArrayOutputStream kept = new ByteArrayOutputStream();
                    int rolled = 0;
                    for (int i = 50; i >= 1; i--) {
                        Path gz = dir.resolve("events.jsonl." + i + ".gz");
                        if (Files.exists(gz)) {
                            rolled++;
                            try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
                                in.transferTo(kept);
                            }
                        }
                    }
                    kept.write(read(file));
                    assertThat(rolled).isGreaterThan(2);
                    assertThat(kept.toByteArray()).isEqualTo(ForwardFixtures.asLines(bus));
                    test.completeNow();
                })));
    }
}
