package org.tollgate.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.infra.Blackhole;
import org.tollgate.banner.jail.AddressMatcher;
import org.tollgate.banner.jail.Failure;
import org.tollgate.banner.jail.HostAddresses;
import org.tollgate.banner.jail.InMemoryBanHistory;
import org.tollgate.banner.jail.JailSettings;
import org.tollgate.banner.jail.Jails;

/**
 * The jail hot path: failures offered to a sip-auth jail (5 in 10 min, ignoreip with a few CIDRs) from 200,000
 * attacking addresses, most never reaching maxretry, some banned. Failures per second on one thread.
 *
 * <p>Run: {@code ./mvnw -q -pl bench -am package -DskipTests && java -jar bench/target/benchmarks.jar JailBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class JailBenchmark {

    private static final int BATCH = 100_000;

    private Failure[] failures;
    private Jails jails;
    private MutableClock clock;

    /** A clock the benchmark moves forward with the failures' log time. */
    static final class MutableClock implements InstantSource {
        Instant now = Instant.parse("2026-01-18T17:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Setup(Level.Trial)
    public void generate() {
        SplittableRandom random = new SplittableRandom(42);
        failures = new Failure[BATCH];
        Instant start = Instant.parse("2026-01-18T17:00:00Z");
        for (int i = 0; i < BATCH; i++) {
            int n = random.nextInt(200_000);
            String ip = n < 65_536
                    ? "198.51.100." + (n & 0xff)
                    : "2001:db8:" + Integer.toHexString(n >> 16) + ":" + Integer.toHexString(n & 0xffff) + "::1";
            failures[i] = new Failure(start.plusMillis(i * 10L), ip, "auth-failed", true, "100");
        }
    }

    @Setup(Level.Iteration)
    public void freshJails() {
        clock = new MutableClock();
        JailSettings sipAuth = JailSettings.builder("sip-auth")
                .maxretry(5)
                .findtime(Duration.ofMinutes(10))
                .bantime(Duration.ofHours(3))
                .ignoreip(AddressMatcher.parse(List.of("127.0.0.1/8", "::1", "10.0.0.0/8", "203.0.113.0/24")))
                .ignoreself(false)
                .build();
        jails = new Jails(List.of(sipAuth), clock, new SplittableRandom(1), new InMemoryBanHistory(), HostAddresses.none());
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void offerFailures(Blackhole sink) {
        for (Failure failure : failures) {
            clock.now = failure.timestamp();
            sink.consume(jails.offer(failure));
        }
    }
}
