package org.tollgate.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.tollgate.normalizer.Normalizer;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.normalizer.input.LineSplitter;
import org.tollgate.server.check.JsonLines;

/**
 * The CPU time per line of the two threads of {@code check --json --all} (and of {@code run} with {@code events: all}),
 * each measured alone on the first {@value #LINES} lines of the mixed log ({@link MixedLogGenerator}, default seed),
 * {@value #PASSES} passes of each, alternated, with a new normalizer each; the thread's CPU time per line of each pass,
 * and the fastest and the median of the second half. CPU time of the one thread, not wall time, so that other work on
 * the machine disturbs it less than a benchmark's throughput.
 * <ul>
 *   <li>{@code strings}: the lines, already decoded, through {@link Normalizer#normalize(String, boolean, Consumer)}:
 *       the normalizer alone;</li>
 *   <li>{@code bytes}: the reading thread as it was: the log's bytes in {@value #CHUNK_BYTES}-byte chunks through
 *       {@link LineSplitter} (cutting, UTF-8 decoding) into {@code normalize};</li>
 *   <li>{@code bytes, plain}: the reading thread as {@code check --json --all} runs it: plain lines (printable ASCII,
 *       no {@code #0}) read from their bytes ({@link Normalizer#normalizePlain}), the others decoded;</li>
 *   <li>{@code json}: the other thread: the results of every line written by the command's {@link JsonLines} into a
 *       stream that drops them.</li>
 * </ul>
 *
 * <pre>
 * taskset -c 0 java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp bench/target/benchmarks.jar org.tollgate.bench.EveryLineCost
 * taskset -c 0 java -XX:+UseSerialGC -cp bench/target/benchmarks.jar org.tollgate.bench.EveryLineCost
 * </pre>
 */
public final class EveryLineCost {

    static final int LINES = 200_000;
    static final int PASSES = 20;
    /** As {@code check} reads a file. */
    static final int CHUNK_BYTES = 256 * 1024;

    private EveryLineCost() {
    }

    public static void main(String[] args) {
        MixedLogGenerator generator = new MixedLogGenerator(MixedLogGenerator.DEFAULT_SEED);
        List<String> lines = new ArrayList<>(LINES);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        for (int i = 0; i < LINES; i++) {
            String line = generator.nextLine();
            lines.add(line);
            log.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
        byte[] bytes = log.toByteArray();
        List<ParseResult> results = new ArrayList<>(LINES + LINES / 10);
        Normalizer once = new Normalizer(NormalizerBenchmark.OPTIONS);
        lines.forEach(line -> once.normalize(line, false, results::add));
        once.flush(results::add);

        String[] ways = {"strings", "bytes", "bytes, plain", "json"};
        double[][] nanos = new double[ways.length][PASSES];
        long[] counts = new long[ways.length];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int pass = 0; pass < PASSES; pass++) {
            for (int way = 0; way < ways.length; way++) {
                long start = threads.getCurrentThreadCpuTime();
                counts[way] = switch (way) {
                    case 0 -> strings(lines);
                    case 1 -> bytes(bytes, false);
                    case 2 -> bytes(bytes, true);
                    default -> json(results);
                };
                nanos[way][pass] = (double) (threads.getCurrentThreadCpuTime() - start) / lines.size();
            }
        }
        for (int way = 0; way < ways.length; way++) {
            double[] late = Arrays.copyOfRange(nanos[way], PASSES / 2, PASSES);
            Arrays.sort(late);
            System.out.printf("%-13s %,d lines, %,d %s; CPU ns a line, passes %d-%d: fastest %.0f, median %.0f%n",
                    ways[way] + ":", lines.size(), counts[way], way == 3 ? "bytes" : "results", PASSES / 2 + 1,
                    PASSES, late[0], late[late.length / 2]);
        }
    }

    private static long strings(List<String> lines) {
        Normalizer normalizer = new Normalizer(NormalizerBenchmark.OPTIONS);
        long[] count = {0};
        Consumer<ParseResult> counted = result -> count[0]++;
        for (String line : lines) {
            normalizer.normalize(line, false, counted);
        }
        normalizer.flush(counted);
        return count[0];
    }

    private static long bytes(byte[] bytes, boolean plain) {
        Normalizer normalizer = new Normalizer(NormalizerBenchmark.OPTIONS);
        long[] count = {0};
        Consumer<ParseResult> counted = result -> count[0]++;
        LineSplitter splitter = new LineSplitter(LineSplitter.DEFAULT_MAX_LINE_BYTES,
                (line, truncated) -> normalizer.normalize(line, truncated, counted),
                plain ? (b, from, to, isPlain) -> normalizer.normalizePlain(b, from, to, isPlain, counted) : null);
        for (int offset = 0; offset < bytes.length; offset += CHUNK_BYTES) {
            splitter.feed(bytes, offset, Math.min(CHUNK_BYTES, bytes.length - offset));
        }
        splitter.finish();
        normalizer.flush(counted);
        return count[0];
    }

    private static long json(List<ParseResult> results) {
        long[] written = {0};
        JsonLines out = new JsonLines(new OutputStream() {
            @Override
            public void write(int b) {
                written[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                written[0] += len;
            }
        }, true);
        results.forEach(out);
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return written[0];
    }
}
