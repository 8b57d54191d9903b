package org.tollgate.server.service;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.tollgate.server.ColdClasses;
import org.tollgate.server.TollgateService;
import org.tollgate.server.bus.Addresses;
import org.tollgate.server.config.TollgateConfig;

/**
 * The first attack after {@code tollgate run} starts, in a JVM of its own (run by {@link FirstAttackClassesTest}):
 * the service started in-process, following a new log, banning at the first failure; one PJSIP failure line
 * appended; the classes loaded or defined on the threads the ban takes (the file's follower, the enforcer, the event
 * loops) from the write until the ban is published and the follower stored its read position and waits again,
 * printed as {@code COLD <thread> <class>} ({@link ColdClasses}), then {@code DONE} ({@code NOT BANNED}, {@code NOT
 * STORED} if either did not come).
 */
public final class FirstAttackProbe {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT);

    private FirstAttackProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("first-attack");
        Path log = dir.resolve("full");
        Files.createFile(log);
        TollgateConfig file = TollgateConfig.parse(InProcessService.followingLog(log, dir.resolve("state.db"),
                dir.resolve("events.jsonl"), 1), "tollgate.yaml");
        TollgateService service = InProcessService.start(file);
        CountDownLatch banned = new CountDownLatch(1);
        service.vertx().eventBus().<Buffer>localConsumer(Addresses.BANS, message -> banned.countDown()).completion()
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        Thread follower = waiting("tollgate-file-" + log.getFileName());
        ColdClasses cold = new ColdClasses();
        Files.writeString(log, "[" + STAMP.format(LocalDateTime.now(ZoneOffset.UTC)) + "] NOTICE[2290] "
                + "res_pjsip/pjsip_distributor.c: Request 'REGISTER' from '<sip:100@203.0.113.5>' failed for "
                + "'198.51.100.1:5060' (callid: probe-1) - Failed to authenticate\n", StandardCharsets.US_ASCII,
                StandardOpenOption.APPEND);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while ((banned.getCount() > 0 || follower.getState() != Thread.State.TIMED_WAITING)
                && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        if (banned.getCount() > 0) {
            System.out.println("NOT BANNED");
        }
        // And the follower's next round, which stores the read position the output confirmed.
        Path state = dir.resolve("state.db");
        while ((!positionStored(state) || follower.getState() != Thread.State.TIMED_WAITING)
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        if (!positionStored(state)) {
            System.out.println("NOT STORED");
        }
        cold.print(thread -> thread.equals(follower.getName()) || thread.equals("tollgate-enforcer")
                || thread.startsWith("vert.x-eventloop-thread-"));
        System.out.println("DONE");
        service.stop();
        System.exit(0);
    }

    /** True once the state database holds a read position. */
    private static boolean positionStored(Path state) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + state);
             ResultSet rows = connection.createStatement().executeQuery("SELECT count(*) FROM read_positions")) {
            return rows.next() && rows.getLong(1) > 0;
        }
    }

    /** The thread named {@code name}, once it waits with a timer (the follower waiting for the file to change). */
    private static Thread waiting(String name) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (thread.getName().equals(name) && thread.getState() == Thread.State.TIMED_WAITING) {
                    return thread;
                }
            }
            Thread.onSpinWait();
        }
        throw new IllegalStateException(name + " did not start waiting within 60 s");
    }
}
