package org.tollgate.bench;

import io.vertx.core.buffer.Buffer;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.tollgate.normalizer.Normalizer;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.normalizer.json.EcsJsonWriter;
import org.tollgate.normalizer.json.JsonBlock;
import org.tollgate.server.bus.EventChunk;
import org.tollgate.server.bus.EventJson;
import org.tollgate.server.output.jsonl.JsonLinesLog;

/**
 * The jsonl output's writer thread on one core: {@value #BATCH} events (the ECS JSON of the mixed log's lines, as
 * {@link Buffer}s the way the event bus delivers them) written to a file under /tmp, flushed once per batch. One
 * operation is one event, so scores are events per second; {@code -prof gc} gives bytes allocated per event
 * ({@code gc.alloc.rate.norm}). Each iteration writes a new file and deletes it after.
 *
 * <p>{@code bufferedOutputStream} is the writer before Logback, kept here only as the baseline: each event's bytes and
 * a '\n' into a 64 KiB {@link BufferedOutputStream}. {@code logbackAppender}: each event's JSON, written already,
 * through {@link JsonLinesLog#append}, a block of one line. {@code chunkBlocks} is the output as shipped, and it also
 * writes the JSON: the normalizer's results in {@link EventChunk}s of 2,048 events, as the event bus delivers them,
 * written as JSON lines straight into one block ({@link EventChunk#writeLines}) that goes to Logback's file appender
 * whole ({@link JsonLinesLog#appendLines}) each time it holds 1 MiB.
 *
 * <p>Run: {@code ./mvnw -q -pl bench -am package -DskipTests && java -jar bench/target/benchmarks.jar
 * JsonlWriteBenchmark -wi 3 -w 2s -i 5 -r 2s -f 1} (add {@code -prof gc} for allocation).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class JsonlWriteBenchmark {

    /** Events per invocation. */
    public static final int BATCH = 10_000;

    /** Events per chunk, as the file source hands them on at most. */
    public static final int CHUNK = 2048;
    /** The output's block. */
    public static final int BLOCK = 1 << 20;

    private Buffer[] events;
    private EventChunk[] chunks;
    private JsonBlock block;
    private Path baselineFile;
    private Path logFile;
    private OutputStream baseline;
    private JsonLinesLog log;

    @Setup(Level.Trial)
    public void generate() throws IOException {
        MixedLogGenerator generator = new MixedLogGenerator(MixedLogGenerator.DEFAULT_SEED);
        Normalizer normalizer = new Normalizer(NormalizerBenchmark.OPTIONS);
        EcsJsonWriter writer = new EcsJsonWriter();
        ByteArrayOutputStream json = new ByteArrayOutputStream(4096);
        events = new Buffer[BATCH];
        EventJson eventJson = new EventJson(null, null);
        EventChunk.Builder chunk = new EventChunk.Builder(CHUNK, eventJson);
        List<EventChunk> built = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < BATCH; i++) {
            json.reset();
            ParseResult result = normalizer.normalize(generator.nextLine());
            writer.writeLine(result, json);
            chunk.add(result, false, null, null, null);
            if (chunk.size() == CHUNK || i == BATCH - 1) {
                built.add(chunk.build());
            }
            // As EventPublisher puts it on the bus: the JSON without its line end.
            events[i] = Buffer.buffer(json.size()).appendBytes(json.toByteArray(), 0, json.size() - 1);
            bytes += events[i].length() + 1;
        }
        chunks = built.toArray(EventChunk[]::new);
        block = new JsonBlock(BLOCK + BLOCK / 4);
        System.err.printf("%nbatch: %,d events, %,d bytes of JSON lines, %,d bytes per line on average%n", BATCH,
                bytes, bytes / BATCH);
    }

    @Setup(Level.Iteration)
    public void open() throws IOException {
        baselineFile = Files.createTempFile(Path.of("/tmp"), "jsonl-bench-baseline-", ".jsonl");
        logFile = Files.createTempFile(Path.of("/tmp"), "jsonl-bench-logback-", ".jsonl");
        baseline = new BufferedOutputStream(new FileOutputStream(baselineFile.toFile(), true), 64 * 1024);
        log = JsonLinesLog.open(logFile.toString(), null, Clock.systemDefaultZone());
    }

    @TearDown(Level.Iteration)
    public void delete() throws IOException {
        baseline.close();
        log.close();
        Files.deleteIfExists(baselineFile);
        Files.deleteIfExists(logFile);
    }

    /** The writer before Logback: the bytes and '\n' into a 64 KiB BufferedOutputStream. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void bufferedOutputStream() throws IOException {
        for (Buffer event : events) {
            baseline.write(event.getBytes());
            baseline.write('\n');
        }
        baseline.flush();
    }

    /** Each event's JSON, written already, through the Logback appender as a block of one line. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void logbackAppender() {
        for (Buffer event : events) {
            log.append(event);
        }
        log.flush();
    }

    /**
     * The output as shipped: the chunks' events written as JSON straight into the block, the block through the
     * Logback appender whole once it holds 1 MiB. Includes writing the JSON, which the other two do not.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void chunkBlocks() {
        for (EventChunk chunk : chunks) {
            chunk.writeLines(true, block);
            if (block.size() >= BLOCK) {
                log.appendLines(block.bytes(), block.size());
                block.cut(0);
            }
        }
        log.appendLines(block.bytes(), block.size());
        block.cut(0);
        log.flush();
    }
}
