package org.tollgate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.testkit.ServiceProcess;
import org.tollgate.testkit.TollgateYaml;
import org.tollgate.testkit.Waits;

/**
 * A soak: the mixed log ({@link MixedLogGenerator}, stamped as written) through {@code tollgate run} (the server's
 * jar, -Xmx512m as the launcher runs it): 2 minutes at 10,000 lines a second in the build (a shared CI machine), or
 * {@code -Dsoak.minutes=30 -Dsoak.rate=50000} on demand. The log is rotated every 20 s (60 s for 30 minutes), by rename and by copytruncate in turn,
 * and the service is stopped with SIGTERM and started again every 40 s (5 minutes), between rotations, while the
 * log goes on being written.
 *
 * <p>The generator keeps a ledger of every security line it wrote; at the end every one must be in the service's
 * events exactly once (compared by a 64-bit hash of the line, {@code event.original}). Meanwhile, once per rotation:
 * the service's heap after a full collection (jcmd), its resident set, and the bans in force (the admin API). The heap
 * must stay flat and bans must be in force throughout. Bans go to the {@code log} action (a dry run).
 *
 * <p>A copytruncate waits until the service has read what was written: bytes cut before they were read are lost to any
 * reader, a logrotate race the service cannot help.
 *
 * <p>{@code ./mvnw -B -ntp -pl bench -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=SoakIT
 * -Dsoak.minutes=30 -Dsoak.rate=50000}
 */
class SoakIT {

    private static final int MINUTES = Integer.getInteger("soak.minutes", 2);
    private static final int RATE = Integer.getInteger("soak.rate", 10_000);
    private static final Duration ROTATE = Duration.ofSeconds(Math.max(20, 2L * MINUTES));
    private static final Duration RESTART = Duration.ofSeconds(Math.max(40, 10L * MINUTES));
    /** How long the service may take to catch up with what was written (a restart's backlog on a busy machine). */
    private static final Duration CATCH_UP = Duration.ofMinutes(5);
    private static final int SLICES_PER_SECOND = 100;
    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");
    private static final Pattern RSS = Pattern.compile("(?m)^VmRSS:\\s+(\\d+) kB");
    private static final Pattern SECRET = Pattern.compile("[0-9a-f]{32}|\\[redacted\\]");

    @TempDir
    Path dir;

    private Path log;
    private Path events;
    private Path ledgerFile;
    private int apiPort;
    private volatile ServiceProcess tollgate;
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final AtomicLong lastLedgerHash = new AtomicLong();
    private final AtomicLong ledgerCount = new AtomicLong();

    /** One measurement of the running service. */
    private record Sample(long secondsIn, long heapAfterGcKib, long rssKib, int bansInForce) {
    }

    @Test
    void everyAttackLineIsCountedOnceAcrossRotationsAndRestartsWithTheHeapFlat() throws Exception {
        try {
            soak();
        } finally {
            if (tollgate != null) {
                tollgate.close();
            }
        }
    }

    private void soak() throws Exception {
        log = dir.resolve("full");
        events = dir.resolve("events.jsonl");
        ledgerFile = dir.resolve("ledger.tsv");
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            apiPort = probe.getLocalPort();
        }
        Path config = Files.writeString(dir.resolve("tollgate.yaml"), config());
        Files.writeString(log, "");
        tollgate = start(config, 1);
        int[] starts = {1};
        long began = System.nanoTime();
        long end = began + TimeUnit.MINUTES.toNanos(MINUTES);
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread operator = new Thread(() -> operate(config, began, writing, starts), "soak-operator");
        List<Throwable> operatorFailure = new CopyOnWriteArrayList<>();
        operator.setUncaughtExceptionHandler((thread, e) -> operatorFailure.add(e));
        operator.start();
        Written written;
        try {
            written = generate(began, end);
        } finally {
            writing.set(false);
            operator.join();
        }
        if (!operatorFailure.isEmpty()) {
            throw new AssertionError("the soak's operator failed", operatorFailure.get(0));
        }
        awaitCaughtUp();
        sample(began);
        assertThat(tollgate.stop()).as("exit after SIGTERM%s", tollgate.output()).isEqualTo(143);

        Comparison comparison = compare();
        double seconds = (written.endNanos() - began) / 1e9;
        System.out.printf(Locale.ROOT, "soak: %d min, %,d lines (%,.0f lines/s), %,d security lines in the ledger, "
                        + "%,d events; %d rotations, %d starts; missing %d, repeated %d%n", MINUTES, written.lines(),
                written.lines() / seconds, ledgerCount.get(), comparison.events(), written.rotations(), starts[0],
                comparison.missing().size(), comparison.repeated().size());
        samples.forEach(s -> System.out.printf(Locale.ROOT, "soak sample at %4d s: heap after GC %,d KiB, RSS %,d KiB, "
                + "bans in force %d%n", s.secondsIn(), s.heapAfterGcKib(), s.rssKib(), s.bansInForce()));

        assertThat(comparison.missing()).as("ledger lines with no event").isEmpty();
        assertThat(comparison.repeated()).as("ledger lines with more than one event").isEmpty();
        assertThat(comparison.events()).isEqualTo(ledgerCount.get());
        assertThat(samples).as("samples").hasSizeGreaterThanOrEqualTo(3);
        for (Sample s : samples.subList(1, samples.size())) {
            assertThat(s.bansInForce()).as("bans in force at %d s", s.secondsIn()).isPositive();
        }
        long firstHeap = samples.get(0).heapAfterGcKib();
        for (Sample s : samples) {
            assertThat(s.heapAfterGcKib()).as("heap after GC at %d s (first %d KiB)", s.secondsIn(), firstHeap)
                    .isLessThan(firstHeap + (96 << 10)).isLessThan(256 << 10);
        }
    }

    // ---------------------------------------------------------------------------------------------- the writer

    /** What the generator wrote. */
    private record Written(long lines, int rotations, long endNanos) {
    }

    /**
     * Writes the log at {@link #RATE} until {@code end}, a slice every 10 ms, rotating it every {@link #ROTATE}: by
     * rename on odd turns (the old file written on a moment longer, as Asterisk does until its logger reopens), by
     * copytruncate on even ones.
     */
    private Written generate(long began, long end) throws Exception {
        MixedLogGenerator generator = new MixedLogGenerator(MixedLogGenerator.DEFAULT_SEED, InstantSource.system());
        long lines = 0;
        int rotations = 0;
        long nextRotation = began + ROTATE.toNanos();
        int perSlice = RATE / SLICES_PER_SECOND;
        long slice = TimeUnit.SECONDS.toNanos(1) / SLICES_PER_SECOND;
        BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        try (BufferedWriter ledger = Files.newBufferedWriter(ledgerFile, StandardCharsets.UTF_8)) {
            long next = System.nanoTime();
            while (System.nanoTime() < end) {
                for (int i = 0; i < perSlice; i++) {
                    String line = generator.nextLine();
                    out.write(line);
                    out.write('\n');
                    if (generator.lastWasSecurity()) {
                        long hash = hash(line);
                        ledger.write(Long.toHexString(hash));
                        ledger.write('\t');
                        ledger.write(line);
                        ledger.write('\n');
                        lastLedgerHash.set(hash);
                        ledgerCount.incrementAndGet();
                    }
                    lines++;
                }
                out.flush();
                if (System.nanoTime() >= nextRotation) {
                    rotations++;
                    ledger.flush();
                    out = rotations % 2 == 1 ? renamed(out, generator, ledger, rotations) : copiedAndTruncated(out, rotations);
                    nextRotation += ROTATE.toNanos();
                }
                next += slice;
                long ahead = next - System.nanoTime();
                if (ahead > 0) {
                    TimeUnit.NANOSECONDS.sleep(ahead);
                }
            }
            ledger.flush();
        } finally {
            out.close();
        }
        return new Written(lines, rotations, System.nanoTime());
    }

    /** Rename: the file moves to full.N and is written on for 200 ms of lines; then a new full is written. */
    private BufferedWriter renamed(BufferedWriter out, MixedLogGenerator generator, BufferedWriter ledger, int turn)
            throws IOException {
        Files.move(log, dir.resolve("full." + turn), StandardCopyOption.ATOMIC_MOVE);
        for (int i = 0; i < RATE / 5; i++) {
            String line = generator.nextLine();
            out.write(line);
            out.write('\n');
            if (generator.lastWasSecurity()) {
                long hash = hash(line);
                ledger.write(Long.toHexString(hash) + '\t' + line + '\n');
                lastLedgerHash.set(hash);
                ledgerCount.incrementAndGet();
            }
        }
        out.close();
        ledger.flush();
        forgetOldRotations(turn);
        return Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.APPEND);
    }

    /** Copytruncate, once the service has read what was written: copied to full.N, cut to nothing in place. */
    private BufferedWriter copiedAndTruncated(BufferedWriter out, int turn) throws IOException {
        awaitCaughtUp();
        Files.copy(log, dir.resolve("full." + turn));
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.WRITE)) {
            channel.truncate(0);
        }
        forgetOldRotations(turn);
        return out;
    }

    /** Rotated files two turns old are read by now: deleted, so that a long soak fits on the disk. */
    private void forgetOldRotations(int turn) throws IOException {
        if (turn > 2) {
            Files.deleteIfExists(dir.resolve("full." + (turn - 2)));
        }
    }

    // ---------------------------------------------------------------------------------------------- the operator

    /** Samples the service once per rotation, half a rotation after it, and restarts it every {@link #RESTART}. */
    private void operate(Path config, long began, AtomicBoolean writing, int[] starts) {
        long nextSample = began + ROTATE.toNanos() / 2;
        long nextRestart = began + RESTART.toNanos() + ROTATE.toNanos() / 2;
        try {
            while (writing.get()) {
                long now = System.nanoTime();
                if (now >= nextRestart) {
                    assertThat(tollgate.stop()).as("exit after SIGTERM%s", tollgate.output()).isEqualTo(143);
                    starts[0]++;
                    tollgate = start(config, starts[0]);
                    nextRestart += RESTART.toNanos();
                } else if (now >= nextSample) {
                    sample(began);
                    nextSample += ROTATE.toNanos();
                } else {
                    Waits.sleep(Duration.ofMillis(50));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sample(long began) throws IOException, InterruptedException {
        long pid = tollgate.pid();
        jcmd(pid, "GC.run");
        Matcher used = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
        Matcher rss = RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
        HttpResponse<String> bans = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
                .version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/api/bans")).build(),
                HttpResponse.BodyHandlers.ofString());
        samples.add(new Sample((System.nanoTime() - began) / 1_000_000_000L, used.find() ? Long.parseLong(used.group(1))
                : -1, rss.find() ? Long.parseLong(rss.group(1)) : -1,
                new JsonObject(bans.body()).getJsonArray("bans").size()));
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), command).redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!jcmd.waitFor(Waits.PATIENCE_SECONDS, TimeUnit.SECONDS)) {
            jcmd.destroyForcibly();
        }
        return output;
    }

    /** Waits until the last security line written is the last event written: the service has read everything. */
    private void awaitCaughtUp() {
        long last = lastLedgerHash.get();
        if (ledgerCount.get() == 0) {
            return;
        }
        Waits.until(() -> lastEventHash() == last, CATCH_UP, () -> "the service did not catch up with the log in "
                + CATCH_UP.toMinutes() + " minutes" + tollgate.output());
    }

    /** The hash of the last complete event in the events file, or 0. */
    private long lastEventHash() {
        try (RandomAccessFile file = new RandomAccessFile(events.toFile(), "r")) {
            long length = file.length();
            int tail = (int) Math.min(length, 64 << 10);
            byte[] bytes = new byte[tail];
            file.seek(length - tail);
            file.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            int endOfLast = text.lastIndexOf('\n');
            if (endOfLast < 0) {
                return 0;
            }
            int start = text.lastIndexOf('\n', endOfLast - 1) + 1;
            return hash(new JsonObject(text.substring(start, endOfLast)).getJsonObject("event").getString("original"));
        } catch (IOException | RuntimeException e) {
            return 0; // no file yet, or a line cut by the tail's start: tried again
        }
    }

    // ---------------------------------------------------------------------------------------------- the check

    /** Ledger lines with no event, and with more than one, by hash; and how many events there were. */
    private record Comparison(List<String> missing, List<String> repeated, long events) {
    }

    private Comparison compare() throws IOException {
        long[] expected = new long[(int) ledgerCount.get()];
        int n = 0;
        try (BufferedReader in = Files.newBufferedReader(ledgerFile, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                expected[n++] = Long.parseUnsignedLong(line.substring(0, line.indexOf('\t')), 16);
            }
        }
        long[] seen = new long[expected.length + 1024];
        int m = 0;
        try (BufferedReader in = Files.newBufferedReader(events, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (m == seen.length) {
                    seen = Arrays.copyOf(seen, seen.length * 2);
                }
                JsonObject event = new JsonObject(line).getJsonObject("event");
                if ("tollgate".equals(event.getString("provider"))) {
                    continue; // a scanner signal, made from many lines: no line of its own in the ledger
                }
                seen[m++] = hash(event.getString("original"));
            }
        }
        long[] want = Arrays.copyOf(expected, n);
        long[] got = Arrays.copyOf(seen, m);
        Arrays.sort(want);
        Arrays.sort(got);
        List<Long> missing = new ArrayList<>();
        List<Long> repeated = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < want.length || j < got.length) {
            if (j >= got.length || i < want.length && want[i] < got[j]) {
                missing.add(want[i++]);
            } else if (i >= want.length || got[j] < want[i]) {
                repeated.add(got[j++]); // an event no ledger line asked for, or one too many
            } else {
                i++;
                j++;
            }
        }
        return new Comparison(lines(missing), lines(repeated), m);
    }

    /** The first ledger lines of {@code hashes}, for a failure message (the hash alone when not in the ledger). */
    private List<String> lines(List<Long> hashes) throws IOException {
        List<String> found = new ArrayList<>();
        for (Long hash : hashes.subList(0, Math.min(10, hashes.size()))) {
            String key = Long.toHexString(hash) + '\t';
            try (BufferedReader in = Files.newBufferedReader(ledgerFile, StandardCharsets.UTF_8)) {
                String text = in.lines().filter(line -> line.startsWith(key)).findFirst().orElse(key + "(not in the ledger)");
                found.add(text);
            }
        }
        if (hashes.size() > found.size()) {
            found.add("... " + (hashes.size() - found.size()) + " more");
        }
        return found;
    }

    /**
     * FNV-1a, 64 bits, over the line's characters, leaving out MD5 digests and {@code [redacted]}: the event's
     * {@code event.original} has the IAX2 expected digest redacted, and must hash as the line written.
     */
    static long hash(String line) {
        String compared = SECRET.matcher(line).replaceAll("");
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < compared.length(); i++) {
            h ^= compared.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    private String config() {
        return TollgateYaml.following(log).fromTheBeginning().state(dir.resolve("state.db")).jsonl(events, "security")
                .api(apiPort)
                .jail("sip-auth", "maxretry: 5", "findtime: 10m", "bantime: 1h", "ignoreself: false",
                        "match: [registration-failed, auth-failed, endpoint-not-found, endpoint-no-aor, aor-not-found,"
                                + " acl-denied, security-invalid-account-id, security-invalid-password,"
                                + " security-challenge-response-failed, security-failed-acl]",
                        "actions:", "  - type: log")
                .jail("sip-scan", "maxretry: 3", "findtime: 10m", "bantime: 1h", "ignoreself: false",
                        "match: [call-rejected-unknown-extension, sip-malformed-packet, sip-unknown-command]",
                        "actions:", "  - type: log")
                .jail("ami", "maxretry: 3", "findtime: 10m", "bantime: 1h", "ignoreself: false",
                        "match: [ami-login-failed]", "actions:", "  - type: log")
                .text();
    }

    private ServiceProcess start(Path config, int n) throws IOException {
        return ServiceProcess.start("../server/target/tollgate.jar", config, dir.resolve("tollgate-" + n + ".out"),
                "admin API listening");
    }
}
