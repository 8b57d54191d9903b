package org.tollgate.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.tollgate.normalizer.Normalizer;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.normalizer.geo.SourceGeo;
import org.tollgate.normalizer.json.EcsJsonWriter;
import org.tollgate.normalizer.json.Observer;
import org.tollgate.normalizer.message.Finding;
import org.tollgate.server.config.EnrichSettings;
import org.tollgate.server.enrich.GeoLookup;
import org.tollgate.server.enrich.MaxMindLookup;
import org.tollgate.testkit.MmdbWriter;

/**
 * What enrichment costs the service's path from a line to its event JSON, as {@code EventPublisher} walks it: every
 * line of the mixed log ({@link MixedLogGenerator}) normalized and written as ECS JSON, without enrichment (as
 * before it existed), and with {@code observer.*}, {@code ecs.version}, {@code event.ingested} and a geo and AS
 * lookup of each trusted source, from the cache and with the cache too small to help. The databases are built by
 * {@link MmdbWriter} over the generator's networks. One operation is one line.
 *
 * <p>Run: {@code ./mvnw -q -pl bench -am package -DskipTests && java -jar bench/target/benchmarks.jar
 * EnrichmentBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class EnrichmentBenchmark {

    private static final int BATCH = NormalizerBenchmark.BATCH;

    private String[] lines;
    private ByteArrayOutputStream json;
    private Path dir;
    private MaxMindLookup cached;
    private MaxMindLookup uncached;
    private final EcsJsonWriter plain = new EcsJsonWriter();
    private final EcsJsonWriter observed = new EcsJsonWriter(new Observer("pbx1.example.net", "bench"),
            Clock.systemUTC());

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        MixedLogGenerator generator = new MixedLogGenerator(MixedLogGenerator.DEFAULT_SEED);
        lines = new String[BATCH];
        for (int i = 0; i < BATCH; i++) {
            lines[i] = generator.nextLine();
        }
        json = new ByteArrayOutputStream(BATCH * 1200);
        dir = Files.createTempDirectory("tollgate-bench-geo");
        Path city = dir.resolve("city.mmdb");
        Path asn = dir.resolve("asn.mmdb");
        MmdbWriter cities = new MmdbWriter("GeoLite2-City");
        MmdbWriter networks = new MmdbWriter("GeoLite2-ASN");
        String[] nets = {"192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32"};
        for (int i = 0; i < nets.length; i++) {
            cities.add(nets[i], Map.of(
                    "continent", Map.of("code", "EU", "names", Map.of("en", "Europe", "de", "Europa")),
                    "country", Map.of("iso_code", "DE", "names", Map.of("en", "Germany", "de", "Deutschland")),
                    "city", Map.of("names", Map.of("en", "Berlin " + i)),
                    "location", Map.of("latitude", 52.52, "longitude", 13.405, "accuracy_radius", 100)));
            networks.add(nets[i], Map.of("autonomous_system_number", 64500L + i,
                    "autonomous_system_organization", "Example Net " + i));
        }
        cities.write(city);
        networks.write(asn);
        cached = MaxMindLookup.open(new EnrichSettings(city, asn, EnrichSettings.DEFAULT_CACHE));
        uncached = MaxMindLookup.open(new EnrichSettings(city, asn, 2));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        cached.close();
        uncached.close();
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    /** Every line to JSON as before enrichment: no observer, no lookups. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int withoutEnrichment() throws IOException {
        return run(plain, GeoLookup.NONE);
    }

    /** Observer fields on every event, and each trusted source looked up through the cache. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int enrichedCached() throws IOException {
        return run(observed, cached);
    }

    /** As {@link #enrichedCached}, with a cache of two entries: nearly every lookup reads the databases. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int enrichedUncached() throws IOException {
        return run(observed, uncached);
    }

    private int run(EcsJsonWriter writer, GeoLookup geo) throws IOException {
        Normalizer normalizer = new Normalizer(NormalizerBenchmark.OPTIONS);
        json.reset();
        for (String line : lines) {
            ParseResult result = normalizer.normalize(line);
            SourceGeo place = null;
            if (result instanceof ParseResult.Parsed parsed && parsed.event().isSecurity()) {
                Finding finding = parsed.event().finding();
                if (finding.source() != null && finding.sourceTrusted()) {
                    place = geo.of(finding.source().ip());
                }
            }
            writer.writeLine(result, place, json);
        }
        return json.size();
    }
}
