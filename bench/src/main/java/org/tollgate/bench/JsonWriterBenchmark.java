package org.tollgate.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.tollgate.normalizer.Normalizer;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.normalizer.input.LineSplitter;
import org.tollgate.normalizer.json.JsonBlock;
import org.tollgate.normalizer.json.Observer;
import org.tollgate.server.bus.EventChunk;
import org.tollgate.server.bus.EventJson;
import org.tollgate.server.check.JsonLines;

/**
 * The JSON writer alone, on one core: the normalizer's results of {@value #BATCH} lines of the mixed log (made once)
 * turned into JSON lines, nothing written to a file. One operation is one line; {@code -prof gc} gives the bytes
 * allocated per line.
 * <ul>
 *   <li>{@code checkAll}: the writer thread of {@code check --json --all}: every result through {@link JsonLines}
 *       into a stream that counts the bytes, as into a pipe a fast reader drains;</li>
 *   <li>{@code runChunks}: the jsonl output's writer thread of {@code run} ({@code events: all}): the results in
 *       {@link EventChunk}s of {@value #CHUNK} with a file source's {@code event.id} and the observer's fields,
 *       written into the output's block of lines, emptied at 1 MiB.</li>
 * </ul>
 *
 * <p>Run: {@code ./mvnw -q -pl bench -am package -DskipTests && java -jar bench/target/benchmarks.jar
 * JsonWriterBenchmark -prof gc}; as {@code check} runs (the first compiler only): add
 * {@code -jvmArgsAppend -XX:TieredStopAtLevel=1}.
 *
 * <p>On a busy machine, where throughput moves with the load, {@link #main} gives the thread's CPU time a line
 * instead: {@code java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmn32m -cp bench/target/benchmarks.jar
 * org.tollgate.bench.JsonWriterBenchmark checkAll|runChunks [rounds]}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class JsonWriterBenchmark {

    /** Lines per invocation. */
    public static final int BATCH = 20_000;
    /** Events per chunk, as the file source hands them on at most. */
    public static final int CHUNK = 2048;
    /** The jsonl output's block. */
    public static final int BLOCK = 1 << 20;

    private List<ParseResult> results;
    private EventChunk[] chunks;
    private final Sink sink = new Sink();
    private final JsonBlock block = new JsonBlock(BLOCK + BLOCK / 4);

    @Setup(Level.Trial)
    public void generate() {
        MixedLogGenerator generator = new MixedLogGenerator(MixedLogGenerator.DEFAULT_SEED);
        Normalizer normalizer = new Normalizer(NormalizerBenchmark.OPTIONS);
        results = new ArrayList<>(BATCH + BATCH / 10);
        // The lines read as check and the sources read them: a plain one from its bytes (Normalizer#normalizePlain).
        StringBuilder log = new StringBuilder(BATCH * 160);
        for (int i = 0; i < BATCH; i++) {
            log.append(generator.nextLine()).append('\n');
        }
        byte[] bytes = log.toString().getBytes(StandardCharsets.UTF_8);
        LineSplitter splitter = new LineSplitter(LineSplitter.DEFAULT_MAX_LINE_BYTES,
                (line, truncated) -> normalizer.normalize(line, truncated, results::add),
                (line, from, to, plain) -> normalizer.normalizePlain(line, from, to, plain, results::add));
        splitter.feed(bytes, 0, bytes.length);
        splitter.finish();
        normalizer.flush(results::add);

        Instant read = Instant.parse("2026-01-19T12:00:00.123Z");
        EventJson service = new EventJson(new Observer("pbx-1.example.net", "0.1.0"),
                Clock.fixed(read, ZoneOffset.UTC));
        EventChunk.Builder builder = new EventChunk.Builder(CHUNK, service);
        List<EventChunk> built = new ArrayList<>();
        long offset = 0;
        for (ParseResult result : results) {
            boolean security = result instanceof ParseResult.Parsed parsed && parsed.event().isSecurity();
            builder.add(result, security, null, "/var/log/asterisk/full:", offset, read);
            offset += 160;
            if (builder.size() == CHUNK) {
                built.add(builder.build());
            }
        }
        if (builder.size() > 0) {
            built.add(builder.build());
        }
        chunks = built.toArray(EventChunk[]::new);
    }

    /** {@code check --json --all}'s writer thread. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long checkAll() throws IOException {
        sink.bytes = 0;
        JsonLines out = new JsonLines(sink, true);
        results.forEach(out);
        out.flush();
        return sink.bytes;
    }

    /** {@code run}'s jsonl output thread, without the file. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long runChunks() {
        long bytes = 0;
        for (EventChunk chunk : chunks) {
            chunk.writeLines(true, block);
            if (block.size() >= BLOCK) {
                bytes += block.size();
                block.cut(0);
            }
        }
        bytes += block.size();
        block.cut(0);
        return bytes;
    }

    /**
     * The CPU time of this thread a line for {@code checkAll} or {@code runChunks}: {@code rounds} invocations (default
     * 20) to warm up, then 7 measures of as many, the least and the mean.
     */
    public static void main(String[] args) throws IOException {
        boolean all = args.length == 0 || args[0].equals("checkAll");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        JsonWriterBenchmark benchmark = new JsonWriterBenchmark();
        benchmark.generate();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long bytes = 0;
        long least = Long.MAX_VALUE;
        long sum = 0;
        for (int measure = -1; measure < 7; measure++) {
            long start = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < rounds; i++) {
                bytes += all ? benchmark.checkAll() : benchmark.runChunks();
            }
            long spent = threads.getCurrentThreadCpuTime() - start;
            if (measure >= 0) {
                least = Math.min(least, spent);
                sum += spent;
            }
        }
        double lines = (double) rounds * BATCH;
        System.out.printf("%s: CPU %.1f ns a line (least of 7), mean %.1f; %d bytes written%n",
                all ? "checkAll" : "runChunks", least / lines, sum / 7.0 / lines, bytes);
    }

    /** Counts what is written to it and keeps nothing, as a pipe to a fast reader. */
    private static final class Sink extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }
}
