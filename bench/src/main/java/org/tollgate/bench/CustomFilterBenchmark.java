package org.tollgate.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.tollgate.normalizer.Normalizer;
import org.tollgate.normalizer.json.EcsJsonWriter;
import org.tollgate.server.adopt.fail2ban.Fail2banFilter;
import org.tollgate.server.custom.CustomFilters;

/**
 * The service's path for every line, normalizer -> custom filters -> ECS JSON, over the mixed log of
 * {@link NormalizerBenchmark} (90% noise: lines the catalog does not classify, which is exactly what a custom filter
 * is shown), with no custom filter, with one written as fail2ban's own filters are (a prefregex anchored on
 * Asterisk's prefix), and with one written carelessly (unanchored regexes searched through every line). One
 * operation is one line: scores are lines per second.
 *
 * <p>Run: {@code ./mvnw -q -pl bench -am package -DskipTests && java -jar bench/target/benchmarks.jar
 * CustomFilterBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class CustomFilterBenchmark {

    @Param({"none", "site-probes", "site-probes-unanchored"})
    public String filter;

    private String[] lines;
    private CustomFilters filters;
    private ByteArrayOutputStream json;
    private final EcsJsonWriter writer = new EcsJsonWriter();

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        MixedLogGenerator generator = new MixedLogGenerator(MixedLogGenerator.DEFAULT_SEED);
        lines = new String[NormalizerBenchmark.BATCH];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = generator.nextLine();
        }
        if (filter.equals("none")) {
            filters = CustomFilters.NONE;
        } else {
            Path file = Files.createTempFile(filter, ".conf");
            try (InputStream in = CustomFilterBenchmark.class.getResourceAsStream("/custom-filters/" + filter + ".conf")) {
                Files.write(file, in.readAllBytes());
            }
            Path named = Files.move(file, file.resolveSibling(filter + ".conf"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            filters = new CustomFilters(List.of(Fail2banFilter.read(named, Map.of())));
            Files.delete(named);
        }
        json = new ByteArrayOutputStream(NormalizerBenchmark.BATCH * 1200);
    }

    @Benchmark
    @OperationsPerInvocation(NormalizerBenchmark.BATCH)
    public int everyLineToJson() throws IOException {
        Normalizer normalizer = new Normalizer(NormalizerBenchmark.OPTIONS);
        json.reset();
        for (String line : lines) {
            writer.writeLine(filters.apply(normalizer.normalize(line)), json);
        }
        return json.size();
    }
}
