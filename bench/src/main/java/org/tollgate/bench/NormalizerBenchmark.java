package org.tollgate.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
import org.openjdk.jmh.infra.Blackhole;
import org.tollgate.normalizer.AsteriskEvent;
import org.tollgate.normalizer.Normalizer;
import org.tollgate.normalizer.NormalizerOptions;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.normalizer.input.LineSplitter;
import org.tollgate.normalizer.json.EcsJsonWriter;
import org.tollgate.server.check.JsonLines;

/**
 * The normalizer on one core, over {@value #BATCH} lines of the mixed log ({@link MixedLogGenerator}, seed
 * {@value MixedLogGenerator#DEFAULT_SEED}: 90% noise, 10% security lines) held in memory. One operation is one line,
 * so the scores are lines per second. Each invocation reads the batch from its first line with a new
 * {@link Normalizer}, as for one file.
 *
 * <p>Build, then run all three: {@code ./mvnw -q -pl bench -am package -DskipTests && java -jar
 * bench/target/benchmarks.jar NormalizerBenchmark}; or run {@code bench/normalizer.sh}, which also times
 * fail2ban-regex on the same log.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class NormalizerBenchmark {

    /** Lines per invocation. */
    public static final int BATCH = 100_000;

    /** What a file reader hands the splitter at a time. */
    private static final int CHUNK_BYTES = 64 * 1024;

    /** The generated log is Paris wall time in January 2026; year-less syslog stamps take 2026 from the reference. */
    static final NormalizerOptions OPTIONS = NormalizerOptions.defaults()
            .withZone(ZoneId.of("Europe/Paris"))
            .withReference(Instant.parse("2026-01-19T12:00:00Z"))
            .withPath("/var/log/asterisk/full")
            .withClock(Clock.fixed(Instant.parse("2026-01-19T12:00:00Z"), ZoneId.of("Europe/Paris")));

    private String[] lines;
    private byte[] bytes;
    private ByteArrayOutputStream json;
    private final EcsJsonWriter writer = new EcsJsonWriter();

    @Setup(Level.Trial)
    public void generate() throws IOException {
        MixedLogGenerator generator = new MixedLogGenerator(MixedLogGenerator.DEFAULT_SEED);
        lines = new String[BATCH];
        StringBuilder log = new StringBuilder(BATCH * 160);
        for (int i = 0; i < BATCH; i++) {
            lines[i] = generator.nextLine();
            log.append(lines[i]).append('\n');
        }
        bytes = log.toString().getBytes(StandardCharsets.UTF_8);

        // Size the JSON buffer once, so that no iteration measures its growth.
        Normalizer normalizer = new Normalizer(OPTIONS);
        ByteArrayOutputStream sizing = new ByteArrayOutputStream(1 << 20);
        long events = 0;
        Consumer<ParseResult> toSizing = result -> write(result, sizing);
        for (String line : lines) {
            normalizer.normalize(line, false, toSizing);
        }
        normalizer.flush(toSizing);
        json = new ByteArrayOutputStream(sizing.size() + (sizing.size() >> 3));
        Normalizer fast = new Normalizer(OPTIONS);
        long[] found = {0};
        for (String line : lines) {
            fast.normalizeSecurity(line, event -> found[0]++);
        }
        fast.flushSecurity(event -> found[0]++);
        events = found[0];
        System.err.printf("%nbatch: %,d lines, %,d bytes of log, %,d bytes of JSON; security lines %,d, events from"
                + " normalizeSecurity %,d%n", BATCH, bytes.length, sizing.size(), generator.securityLines(), events);
    }

    /**
     * The fast path for banning: {@link Normalizer#normalizeSecurity(String, Consumer)} on every line; only security
     * lines become events. Run: {@code java -jar bench/target/benchmarks.jar NormalizerBenchmark.securityPath}
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void securityPath(Blackhole blackhole) {
        Normalizer normalizer = new Normalizer(OPTIONS);
        Consumer<AsteriskEvent> events = blackhole::consume;
        for (String line : lines) {
            normalizer.normalizeSecurity(line, events);
        }
        normalizer.flushSecurity(events);
    }

    /**
     * Every line to ECS JSON: {@link Normalizer#normalize(String, boolean, Consumer)} then {@link EcsJsonWriter#writeLine} into a
     * reused in-memory buffer, reset per batch. Run:
     * {@code java -jar bench/target/benchmarks.jar NormalizerBenchmark.everyLineToJson}
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int everyLineToJson() throws IOException {
        Normalizer normalizer = new Normalizer(OPTIONS);
        json.reset();
        Consumer<ParseResult> toJson = result -> write(result, json);
        for (String line : lines) {
            normalizer.normalize(line, false, toJson);
        }
        normalizer.flush(toJson);
        return json.size();
    }

    /**
     * The path from a file: the bytes of the log in {@value #CHUNK_BYTES}-byte chunks through {@link LineSplitter}
     * (UTF-8 decoding, line cutting) into {@link Normalizer#normalize(String, boolean, Consumer)}, no JSON. Run:
     * {@code java -jar bench/target/benchmarks.jar NormalizerBenchmark.bytesToEvents}
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void bytesToEvents(Blackhole blackhole) {
        Normalizer normalizer = new Normalizer(OPTIONS);
        Consumer<ParseResult> results = blackhole::consume;
        LineSplitter splitter = new LineSplitter(LineSplitter.DEFAULT_MAX_LINE_BYTES,
                (line, truncated) -> normalizer.normalize(line, truncated, results));
        feed(splitter);
        normalizer.flush(results);
    }

    /**
     * The path of {@code tollgate check --json --all}, from file bytes to JSON out: the log's bytes in
     * {@value #CHUNK_BYTES}-byte chunks through {@link LineSplitter} into {@link Normalizer#normalize(String, boolean,
     * Consumer)}, then {@link JsonLines} (the command's writer, its 256 KiB blocks) into a stream that counts the
     * bytes and drops them, flushed once per batch. Run:
     * {@code java -jar bench/target/benchmarks.jar NormalizerBenchmark.bytesToJson}
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long bytesToJson() throws IOException {
        Normalizer normalizer = new Normalizer(OPTIONS);
        CountingSink sink = new CountingSink();
        JsonLines out = new JsonLines(sink, true);
        LineSplitter splitter = new LineSplitter(LineSplitter.DEFAULT_MAX_LINE_BYTES,
                (line, truncated) -> normalizer.normalize(line, truncated, out));
        feed(splitter);
        normalizer.flush(out);
        out.flush();
        return sink.bytes;
    }

    /**
     * The path of {@code tollgate check --json}, from file bytes to the security events' JSON: the log's bytes in
     * {@value #CHUNK_BYTES}-byte chunks through {@link LineSplitter}, each whole line offered to
     * {@link Normalizer#skipNoise} (the byte-level noise filter) and, when it is not skipped, decoded into
     * {@link Normalizer#normalizeSecurity(String, boolean, Consumer)}; the events through {@link JsonLines} into a
     * stream that counts the bytes. Run: {@code java -jar bench/target/benchmarks.jar NormalizerBenchmark.bytesToSecurity}
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long bytesToSecurityEvents() throws IOException {
        return bytesToSecurityJson(true);
    }

    /** {@link #bytesToSecurityEvents} without the noise filter: every line decoded and read by the fast path. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long bytesToSecurityEventsUnfiltered() throws IOException {
        return bytesToSecurityJson(false);
    }

    private long bytesToSecurityJson(boolean filter) throws IOException {
        Normalizer normalizer = new Normalizer(OPTIONS);
        CountingSink sink = new CountingSink();
        JsonLines out = new JsonLines(sink, false);
        Consumer<AsteriskEvent> events = event -> out.accept(new ParseResult.Parsed(event));
        LineSplitter splitter = new LineSplitter(LineSplitter.DEFAULT_MAX_LINE_BYTES,
                (line, truncated) -> normalizer.normalizeSecurity(line, truncated, events),
                filter ? normalizer::skipNoise : null);
        feed(splitter);
        normalizer.flushSecurity(events);
        out.flush();
        return sink.bytes;
    }

    /** The log's bytes into {@code splitter} in {@value #CHUNK_BYTES}-byte chunks, as a file is read, then its end. */
    private void feed(LineSplitter splitter) {
        for (int offset = 0; offset < bytes.length; offset += CHUNK_BYTES) {
            splitter.feed(bytes, offset, Math.min(CHUNK_BYTES, bytes.length - offset));
        }
        splitter.finish();
    }

    /** Counts what is written to it and keeps nothing, as a pipe to a fast reader. */
    private static final class CountingSink extends java.io.OutputStream {
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

    private void write(ParseResult result, ByteArrayOutputStream out) {
        try {
            writer.writeLine(result, out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
