package org.tollgate.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.testkit.Commands;
import org.tollgate.testkit.Requirements;
import org.tollgate.testkit.ServiceProcess;
import org.tollgate.testkit.TollgateYaml;
import org.tollgate.testkit.Waits;

/**
 * The faults a log file and the state database meet, one after another, through the shipped jar as it runs: the log
 * deleted and created again, truncated in place, rotated by copytruncate, rotated by rename to a new file the service
 * may not read and then may, replaced by a symlink, and the state database's disk full and then not. After each the
 * service reads on; the faults that stop it from protecting fully (a missing file, an unreadable one, a failing
 * store) show in {@code /api/status}'s problems and in {@code /metrics} while they last, each said once in the log,
 * and are gone when the fault is. A ban made while the disk was full is still in force after a restart, and the
 * events hold every failure written, once each, in order.
 *
 * <p>The service runs as root without {@code CAP_DAC_OVERRIDE} ({@code setpriv}), so that a file's mode can keep it
 * out as it keeps out a service running as its own user; the full disk is a small tmpfs under the test's directory.
 */
class LogFileFaultsIT {

    /** Root without the capabilities that let it read any file: modes apply to it. */
    private static final List<String> NO_DAC_OVERRIDE = List.of("setpriv",
            "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-dac_override,-dac_read_search", "--");
    private static final String JAR = "target/tollgate.jar";
    private static final String FIRST = "192.0.2.31";
    private static final String DURING_FULL_DISK = "198.51.100.41";
    private static final String DURING_UNWRITABLE = "198.51.100.42";

    @TempDir
    Path dir;

    private final FailureLog attacks = new FailureLog("fault");
    private Path log;
    private Path events;
    private Path state;
    private Path config;
    private ApiProbe api;
    private ServiceProcess tollgate;

    @BeforeAll
    static void rootAndTools() {
        Requirements.assumeRoot();
        Requirements.requireTools(List.of("setpriv", "mount", "umount"));
    }

    /**
     * The state directory (each test mounts a file system of its own there) and tollgate.yaml following {@link #log}
     * with its state there, the events in {@link #events} and the API on a free loopback port ({@link #api}); the log
     * starts with one line of chatter.
     */
    @BeforeEach
    void config() throws IOException {
        state = Files.createDirectory(dir.resolve("state"));
        config = config(state);
    }

    @AfterEach
    void stopAndUnmount() throws Exception {
        if (tollgate != null) {
            tollgate.close();
        }
        Commands.run("umount", "-l", state.toString());
    }

    private Path config(Path state) throws IOException {
        log = dir.resolve("full");
        events = dir.resolve("events.jsonl");
        int port = InProcessService.freeLoopbackPort();
        api = new ApiProbe(port);
        Path config = TollgateYaml.following(log).state(state.resolve("state.db")).jsonl(events, "security").api(port)
                .sipAuth(3).write(dir.resolve("tollgate.yaml"));
        Files.writeString(log, "[" + FailureLog.stamp() + "] VERBOSE[2281] asterisk.c: Asterisk Ready.\n");
        return config;
    }

    @Test
    void readsOnThroughEachFaultShowsItWhileItLastsAndLosesOrRepeatsNothing() throws Exception {
        assertThat(Commands.run("mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", state.toString()).ok())
                .as("a small tmpfs for the state database").isTrue();
        startBanningFirst();

        // Deleted, then created again a while later: missing meanwhile, and said so.
        Files.delete(log);
        awaitProblem("does not exist", tollgate);
        attacks.write(log, "203.0.113.51");
        attacks.write(log, "203.0.113.52");
        awaitEvents(tollgate);
        awaitNoProblem(tollgate);

        // Truncated in place (a failure shorter than what was read, so the cut is seen by the size).
        long read = api.metric("tollgate_lines_read_total");
        for (int i = 0; i < 20; i++) {
            Files.writeString(log, "[" + FailureLog.stamp() + "] VERBOSE[2300] pbx.c: chatter " + i + "\n",
                    StandardOpenOption.APPEND);
        }
        awaitLinesRead(read + 20, tollgate);
        truncate(log);
        attacks.write(log, "203.0.113.53");
        awaitEvents(tollgate);

        // copytruncate: copied, cut, written on.
        Files.copy(log, dir.resolve("full.1"));
        truncate(log);
        attacks.write(log, "203.0.113.54");
        awaitEvents(tollgate);

        // Rotated by rename to a new file of mode 000: nothing can be read until its mode says so.
        Files.move(log, dir.resolve("full.2"), StandardCopyOption.ATOMIC_MOVE);
        Files.createFile(log, PosixFilePermissions.asFileAttribute(Set.of()));
        attacks.write(log, "203.0.113.55");
        attacks.write(log, "203.0.113.56");
        awaitProblem("cannot be read", tollgate);
        assertThat(api.metric("tollgate_problems")).as("tollgate_problems while unreadable").isEqualTo(1);
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-r-----"));
        awaitEvents(tollgate);
        awaitNoProblem(tollgate);
        assertThat(count(tollgate.text(), "cannot read the log file")).as("log lines about the unreadable file")
                .isEqualTo(1);

        // Replaced by a symlink to another file.
        Path target = dir.resolve("asterisk-current.log");
        attacks.write(target, "203.0.113.57");
        Files.move(log, dir.resolve("full.3"), StandardCopyOption.ATOMIC_MOVE);
        Files.createSymbolicLink(log, target);
        attacks.write(target, "203.0.113.58");
        awaitEvents(tollgate);

        // The state database's disk full: reading and banning go on, the store's failure shows, then heals.
        Path filler = fill(state);
        for (int i = 0; i < 3; i++) {
            attacks.write(log, DURING_FULL_DISK);
        }
        awaitEvents(tollgate);
        awaitBanned(DURING_FULL_DISK, tollgate);
        awaitProblem("state database", tollgate);
        assertThat(api.metric("tollgate_store_healthy")).as("tollgate_store_healthy on a full disk").isZero();
        Files.delete(filler);
        attacks.write(log, "203.0.113.59");
        awaitEvents(tollgate);
        awaitNoProblem(tollgate);
        assertThat(api.metric("tollgate_store_healthy")).as("tollgate_store_healthy with room again").isEqualTo(1);

        restartAndCheck("203.0.113.60", DURING_FULL_DISK);
    }

    /**
     * The state database made unwritable while the service runs (not at start: that is refused), then writable again.
     * A file system cannot be remounted read-only while the database is open for writing (the kernel refuses,
     * busy), and one the kernel itself turns read-only after an error stays so until it is unmounted; so the
     * database and its write-ahead log are made immutable ({@code chattr +i}: ext4 refuses writes through files
     * already open, as a read-only mount would), on a small ext4 file system of the test's own.
     *
     * <p>Reading and banning go on, the store's fault shows in the status's problems (which the status page shows) and
     * in {@code tollgate_store_healthy} while it lasts, said once in the log; the ban made meanwhile is written once
     * the store takes writes and is in force after a restart, and every failure is an event once.
     */
    @Test
    void aStateDatabaseMadeUnwritableWhileRunningIsAFaultThatHeals() throws Exception {
        Requirements.requireTools(List.of("mkfs.ext4", "chattr"));
        Path image = dir.resolve("state.ext4");
        try (var file = FileChannel.open(image, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            file.truncate(0);
            file.write(java.nio.ByteBuffer.allocate(1), 16L << 20);
        }
        assertThat(Commands.run("mkfs.ext4", "-q", image.toString()).ok()).as("an ext4 file system").isTrue();
        assertThat(Commands.run("mount", "-o", "loop", image.toString(), state.toString()).ok())
                .as("the ext4 file system mounted for the state database").isTrue();
        long began = System.nanoTime();
        startBanningFirst();

        List<String> files = List.of(state.resolve("state.db").toString(), state.resolve("state.db-wal").toString());
        assertThat(Commands.run(concat(List.of("chattr", "+i"), files)).ok()).as("made immutable").isTrue();
        for (int i = 0; i < 3; i++) {
            attacks.write(log, DURING_UNWRITABLE);
        }
        awaitEvents(tollgate);
        awaitBanned(DURING_UNWRITABLE, tollgate);
        awaitProblem("state database", tollgate);
        assertThat(api.metric("tollgate_store_healthy")).as("tollgate_store_healthy while unwritable").isZero();
        assertThat(api.metric("tollgate_store_write_failures_total")).as("store write failures").isPositive();
        attacks.write(log, "203.0.113.61");
        awaitEvents(tollgate);

        assertThat(Commands.run(concat(List.of("chattr", "-i"), files)).ok()).as("writable again").isTrue();
        attacks.write(log, "203.0.113.62");
        awaitEvents(tollgate);
        awaitNoProblem(tollgate);
        assertThat(api.metric("tollgate_store_healthy")).as("tollgate_store_healthy writable again").isEqualTo(1);
        assertThat(count(tollgate.text(), "state database writes failing")).as("log lines: writes failing")
                .isEqualTo(1);
        assertThat(count(tollgate.text(), "writes work again")).as("log lines: writes work again").isEqualTo(1);

        restartAndCheck("203.0.113.63", DURING_UNWRITABLE);
        System.out.printf("state database unwritable and writable again, two starts: %d ms%n",
                (System.nanoTime() - began) / 1_000_000);
    }

    /** Starts the service and bans {@link #FIRST}. */
    private void startBanningFirst() throws Exception {
        tollgate = start(config, 1);
        for (int i = 0; i < 3; i++) {
            attacks.write(log, FIRST);
        }
        awaitEvents(tollgate);
        awaitBanned(FIRST, tollgate);
    }

    /**
     * Stops the service, writes a failure from {@code whileDown} and starts it again: it reads that failure, the
     * bans of {@link #FIRST} and {@code bannedDuringTheFault} are in force, each once, and the events hold every
     * failure written, once each, in order.
     */
    private void restartAndCheck(String whileDown, String bannedDuringTheFault) throws Exception {
        assertThat(tollgate.stop()).as("exit after SIGTERM%s", tollgate.output()).isEqualTo(143);
        attacks.write(log, whileDown);
        tollgate = start(config, 2);
        awaitEvents(tollgate);
        awaitBanned(FIRST, tollgate);
        awaitBanned(bannedDuringTheFault, tollgate);
        assertThat(api.bans()).as("bans after the restart, each once").hasSize(2);
        assertThat(tollgate.stop()).as("exit after SIGTERM%s", tollgate.output()).isEqualTo(143);

        assertThat(FailureLog.events(events).stream().map(FailureLog::callId).toList())
                .as("every failure exactly once, in the order written").containsExactlyElementsOf(attacks.callIds());
    }

    private ServiceProcess start(Path config, int n) throws IOException {
        return ServiceProcess.start(NO_DAC_OVERRIDE, JAR, config, dir.resolve("tollgate-" + n + ".out"),
                "following the log file");
    }

    private void awaitEvents(ServiceProcess tollgate) {
        int want = attacks.count();
        Waits.until(() -> FailureLog.events(events).size() >= want, Waits.PATIENCE,
                () -> "expected " + want + " events in " + events + ", found " + FailureLog.events(events).size()
                        + tollgate.output());
    }

    private void awaitLinesRead(long lines, ServiceProcess tollgate) {
        Waits.until(() -> api.metric("tollgate_lines_read_total") >= lines, Waits.PATIENCE,
                () -> "fewer than " + lines + " lines read" + tollgate.output());
    }

    private void awaitBanned(String ip, ServiceProcess tollgate) {
        Waits.until(() -> api.banned(ip), Waits.PATIENCE,
                () -> ip + " not among the bans of " + api.status() + tollgate.output());
    }

    private void awaitProblem(String text, ServiceProcess tollgate) {
        Waits.until(() -> api.problems().stream().anyMatch(problem -> problem.contains(text)), Waits.PATIENCE,
                () -> "no problem saying '" + text + "' in " + api.problems() + tollgate.output());
        System.out.println("while it lasts: " + api.problems());
        assertThat(api.metric("tollgate_problems")).as("tollgate_problems with %s", api.problems()).isPositive();
    }

    private void awaitNoProblem(ServiceProcess tollgate) {
        Waits.until(() -> api.problems().isEmpty(), Waits.PATIENCE, () -> "problems left: " + api.problems() + tollgate.output());
        assertThat(api.metric("tollgate_problems")).as("tollgate_problems once healed").isZero();
    }

    private static void truncate(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(0);
        }
    }

    /** Fills the file system of {@code directory} until it has no room left; returns the file that fills it. */
    private static Path fill(Path directory) throws IOException {
        Path filler = directory.resolve("filler");
        byte[] block = new byte[64 << 10];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) {
                throw e;
            }
        }
        return filler;
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new java.util.ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
