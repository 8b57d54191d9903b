package org.tollgate.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.tollgate.normalizer.Normalizer;
import org.tollgate.normalizer.ParseResult;

/**
 * The CPU time of the normalizer per line when every line becomes a result, as for {@code check --json --all} and
 * {@code run} with {@code events: all} (the work of the thread that reads and normalizes, without the JSON, which another
 * thread writes): the first {@value #LINES} lines of the mixed log ({@link MixedLogGenerator}, default seed) through
 * {@link Normalizer#normalize(String, boolean, Consumer)}, {@value #PASSES} times with a new normalizer each; the
 * thread's CPU time per line of each pass, and the fastest and the median of the second half. CPU time of the one
 * thread, not wall time, so that other work on the machine disturbs it less than a benchmark's throughput.
 *
 * <pre>
 * taskset -c 0 java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp bench/target/benchmarks.jar org.tollgate.bench.EveryLineCost
 * taskset -c 0 java -XX:+UseSerialGC -cp bench/target/benchmarks.jar org.tollgate.bench.EveryLineCost
 * </pre>
 */
public final class EveryLineCost {

    static final int LINES = 200_000;
    static final int PASSES = 20;

    private EveryLineCost() {
    }

    public static void main(String[] args) {
        MixedLogGenerator generator = new MixedLogGenerator(MixedLogGenerator.DEFAULT_SEED);
        List<String> lines = new ArrayList<>(LINES);
        for (int i = 0; i < LINES; i++) {
            lines.add(generator.nextLine());
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] nanos = new double[PASSES];
        long results = 0;
        for (int pass = 0; pass < PASSES; pass++) {
            long start = threads.getCurrentThreadCpuTime();
            Normalizer normalizer = new Normalizer(NormalizerBenchmark.OPTIONS);
            long[] count = {0};
            Consumer<ParseResult> counted = result -> count[0]++;
            for (String line : lines) {
                normalizer.normalize(line, false, counted);
            }
            normalizer.flush(counted);
            results = count[0];
            nanos[pass] = (double) (threads.getCurrentThreadCpuTime() - start) / lines.size();
        }
        double[] late = Arrays.copyOfRange(nanos, PASSES / 2, PASSES);
        Arrays.sort(late);
        System.out.printf("every line: %,d lines, %,d results; CPU ns a line, passes %d-%d: fastest %.0f, median %.0f%n",
                lines.size(), results, PASSES / 2 + 1, PASSES, late[0], late[late.length / 2]);
    }
}
