package org.tollgate.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.tollgate.normalizer.AsteriskEvent;
import org.tollgate.normalizer.Normalizer;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.normalizer.json.EcsJsonWriter;
import org.tollgate.server.check.JsonLines;

/**
 * The CPU time of one security event, from its line to its JSON, apart from the noise around it: the security lines
 * of the first {@value #LINES} lines of the mixed log ({@link MixedLogGenerator}, default seed) read alone, in
 * order, through {@link Normalizer#normalizeSecurity(String, boolean, Consumer)} and written by the JSON writer of
 * {@code check --json} into a stream that drops the bytes, {@value #PASSES} times with a new normalizer each; the
 * thread's CPU time per event of each pass, and the fastest and the median of the second half. CPU time of the one
 * thread, not wall time, so that other work on the machine disturbs it less than a benchmark's throughput.
 *
 * <pre>
 * java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp bench/target/benchmarks.jar org.tollgate.bench.SecurityEventCost
 * java -XX:+UseSerialGC -cp bench/target/benchmarks.jar org.tollgate.bench.SecurityEventCost [line|read|json]
 * </pre>
 *
 * <p>{@code line} (the default): line to JSON; {@code read}: the line to its event alone; {@code json}: the JSON of
 * events read before, alone.
 */
public final class SecurityEventCost {

    static final int LINES = 300_000;
    static final int PASSES = 30;

    private SecurityEventCost() {
    }

    public static void main(String[] args) {
        String mode = args.length > 0 ? args[0] : "line";
        MixedLogGenerator generator = new MixedLogGenerator(MixedLogGenerator.DEFAULT_SEED);
        List<String> lines = new ArrayList<>();
        Normalizer probe = new Normalizer(NormalizerBenchmark.OPTIONS);
        for (int i = 0; i < LINES; i++) {
            String line = generator.nextLine();
            boolean[] security = {false};
            probe.normalizeSecurity(line, false, event -> security[0] |= !event.isScanSignal());
            if (security[0]) {
                lines.add(line);
            }
        }
        List<ParseResult> events = new ArrayList<>();
        Normalizer reader = new Normalizer(NormalizerBenchmark.OPTIONS);
        for (String line : lines) {
            reader.normalizeSecurity(line, false, event -> events.add(new ParseResult.Parsed(event)));
        }

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] nanos = new double[PASSES];
        for (int pass = 0; pass < PASSES; pass++) {
            long start = threads.getCurrentThreadCpuTime();
            Dropped sink = new Dropped();
            long count = switch (mode) {
                case "line" -> lineToJson(lines, new JsonLines(sink, false));
                case "read" -> read(lines);
                case "json" -> json(events, sink);
                default -> throw new IllegalArgumentException("mode: line, read or json");
            };
            nanos[pass] = (double) (threads.getCurrentThreadCpuTime() - start) / count;
        }
        double[] late = Arrays.copyOfRange(nanos, PASSES / 2, PASSES);
        Arrays.sort(late);
        System.out.printf("%s: %,d security events; CPU ns an event, passes %d-%d: fastest %.0f, median %.0f%n", mode,
                events.size(), PASSES / 2 + 1, PASSES, late[0], late[late.length / 2]);
    }

    private static long lineToJson(List<String> lines, JsonLines out) {
        Normalizer normalizer = new Normalizer(NormalizerBenchmark.OPTIONS);
        long[] count = {0};
        Consumer<AsteriskEvent> events = event -> {
            out.accept(new ParseResult.Parsed(event));
            count[0]++;
        };
        for (String line : lines) {
            normalizer.normalizeSecurity(line, false, events);
        }
        normalizer.flushSecurity(events);
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return count[0];
    }

    private static long read(List<String> lines) {
        Normalizer normalizer = new Normalizer(NormalizerBenchmark.OPTIONS);
        long[] count = {0};
        Consumer<AsteriskEvent> events = event -> count[0] += event.sequence() > 0 ? 1 : 0;
        for (String line : lines) {
            normalizer.normalizeSecurity(line, false, events);
        }
        normalizer.flushSecurity(events);
        return count[0];
    }

    private static long json(List<ParseResult> events, OutputStream sink) {
        EcsJsonWriter writer = new EcsJsonWriter();
        OutputStream out = new BufferedOutputStream(sink, JsonLines.BLOCK_BYTES);
        try {
            for (ParseResult event : events) {
                writer.writeLine(event, out);
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events.size();
    }

    /** Counts nothing, keeps nothing. */
    private static final class Dropped extends OutputStream {
        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
