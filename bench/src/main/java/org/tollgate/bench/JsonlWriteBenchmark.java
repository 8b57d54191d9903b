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
import org.tollgate.normalizer.json.EcsJsonWriter;
import org.tollgate.server.output.jsonl.JsonLinesLog;

/**
 * The jsonl output's writer thread on one core: {@value #BATCH} events (the ECS JSON of the mixed log's lines, as
 * {@link Buffer}s the way the event bus delivers them) written to a file under /tmp, flushed once per batch. One
 * operation is one event, so scores are events per second; {@code -prof gc} gives bytes allocated per event
 * ({@code gc.alloc.rate.norm}). Each iteration writes a new file and deletes it after.
 *
 * <p>{@code bufferedOutputStream} is the writer before Logback, kept here only as the baseline: each event's bytes and
 * a '\n' into a 64 KiB {@link BufferedOutputStream}. {@code logbackAppender} is the output as shipped:
 * {@link JsonLinesLog#append} into Logback's file appender with logstash-logback-encoder.
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

    private Buffer[] events;
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
        long bytes = 0;
        for (int i = 0; i < BATCH; i++) {
            json.reset();
            writer.writeLine(normalizer.normalize(generator.nextLine()), json);
            // As EventPublisher puts it on the bus: the JSON without its line end.
            events[i] = Buffer.buffer(json.size()).appendBytes(json.toByteArray(), 0, json.size() - 1);
            bytes += events[i].length() + 1;
        }
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

    /** The output as shipped: each event through the Logback appender and the composite JSON encoder. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void logbackAppender() {
        for (Buffer event : events) {
            log.append(event);
        }
        log.flush();
    }
}
