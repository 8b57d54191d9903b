package org.tollgate.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.testkit.ServiceProcess;
import org.tollgate.testkit.TollgateYaml;
import org.tollgate.testkit.Waits;

/**
 * {@code kill -9} in the middle of a stream: the service (its jar, its own process) follows a log being written at
 * about 50,000 lines a second and writes every event to a jsonl file; it is killed with SIGKILL while it reads, started
 * again, and stopped once it has caught up. Every line must have an event, and every event an {@code event.id} naming
 * its line (the same id when the line is sent again); the events sent twice are only those between the last stored
 * read position and what the outputs had written, a few thousand lines at most, never the backlog.
 */
class KillNineIT {

    private static final int LINES = 200_000;
    private static final int PER_SLICE = 500;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The most events a restart may send again: the position is stored every 0.2 s, marks every 2,048 lines. */
    private static final int MAX_REPEATS = 30_000;

    @TempDir
    Path dir;

    @Test
    void aRestartAfterSigkillLosesNoLineAndRepeatsFewEachWithTheSameEventId() throws Exception {
        Path log = dir.resolve("full");
        Path events = dir.resolve("events.jsonl");
        Path config = TollgateYaml.following(log).fromTheBeginning().state(dir.resolve("state.db")).jsonl(events, "all")
                .write(dir.resolve("tollgate.yaml"));
        Files.writeString(log, "");
        Map<Long, String> lineAt = new HashMap<>();
        AtomicLong offset = new AtomicLong();
        Path output = dir.resolve("tollgate.out");

        Thread writer = new Thread(() -> write(log, lineAt, offset), "log-writer");
        long eventsAtKill;
        try (ServiceProcess first = ServiceProcess.start("target/tollgate.jar", config, output,
                "following the log file")) {
            writer.start();
            long quarter = offsetOfLine(LINES / 4);
            Waits.until(() -> lastEventOffset(events) >= quarter, Duration.ofMinutes(5),
                    () -> "the service did not write " + LINES / 4 + " events" + first.output());
            first.kill();
            eventsAtKill = lines(events);
        }
        try (ServiceProcess second = ServiceProcess.start("target/tollgate.jar", config, output,
                "following the log file")) {
            writer.join();
            long last = offset.get() - (line(LINES - 1).length() + 1);
            Waits.until(() -> lastEventOffset(events) == last, Duration.ofMinutes(5),
                    () -> "the service did not catch up: the last event is at " + lastEventOffset(events) + ", the "
                            + "last line at " + last + second.output());
            assertThat(second.stop()).as("exit after SIGTERM%s", second.output()).isEqualTo(143);
        }

        Set<String> files = new TreeSet<>();
        Map<Long, Integer> seen = new HashMap<>();
        int cut = 0;
        long repeats = 0;
        try (BufferedReader in = Files.newBufferedReader(events, StandardCharsets.UTF_8)) {
            for (String text = in.readLine(); text != null; text = in.readLine()) {
                JsonNode event;
                try {
                    event = JSON.readTree(text);
                } catch (IOException e) {
                    cut++; // the event the kill cut in half, ended by a line feed at the restart
                    continue;
                }
                if (event.at("/event/provider").asText().equals("tollgate")) {
                    continue; // a scanner signal, made from many lines: no event.id
                }
                String id = event.at("/event/id").asText();
                assertThat(id).as("event.id of %s", text).matches("[0-9a-f]{16}-[0-9]+");
                files.add(id.substring(0, 16));
                long at = Long.parseLong(id.substring(17));
                assertThat(event.at("/event/original").asText()).as("the line at offset %d", at).isEqualTo(lineAt.get(at));
                if (seen.merge(at, 1, Integer::sum) > 1) {
                    repeats++;
                }
            }
        }
        System.out.printf(Locale.ROOT, "kill -9 after %,d events of %,d lines: %,d sent again after the restart, "
                + "%d cut event(s)%n", eventsAtKill, LINES, repeats, cut);
        assertThat(files).as("one file, one id prefix").hasSize(1);
        Set<Long> missing = new HashSet<>(lineAt.keySet());
        missing.removeAll(seen.keySet());
        assertThat(missing).as("lines with no event").isEmpty();
        assertThat(cut).as("events cut by the kill").isLessThanOrEqualTo(1);
        assertThat(repeats).as("events sent again").isLessThanOrEqualTo(MAX_REPEATS);
    }

    /** Writes {@link #LINES} lines, {@link #PER_SLICE} every 10 ms, noting each line's offset. */
    private static void write(Path log, Map<Long, String> lineAt, AtomicLong offset) {
        try (OutputStream out = Files.newOutputStream(log, StandardOpenOption.APPEND)) {
            for (int i = 0; i < LINES; i += PER_SLICE) {
                StringBuilder slice = new StringBuilder();
                for (int j = i; j < i + PER_SLICE; j++) {
                    String line = line(j);
                    lineAt.put(offset.get(), line);
                    offset.addAndGet(line.getBytes(StandardCharsets.UTF_8).length + 1);
                    slice.append(line).append('\n');
                }
                out.write(slice.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
                Waits.sleep(Duration.ofMillis(10));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Line {@code n}: every tenth a PJSIP authentication failure, the others chatter; all different. */
    private static String line(int n) {
        String stamp = String.format(Locale.ROOT, "[2026-01-18 %02d:%02d:%02d.%03d]", 10 + n / 3_600_000 % 10,
                n / 60_000 % 60, n / 1000 % 60, n % 1000);
        if (n % 10 == 0) {
            return stamp + " NOTICE[2104] res_pjsip/pjsip_distributor.c: Request 'REGISTER' from '<sip:" + n
                    + "@192.0.2.10>' failed for '203.0.113." + (n / 10 % 250 + 1) + ":5060' (callid: kill9-" + n
                    + ") - Failed to authenticate";
        }
        return stamp + " VERBOSE[2110][C-0000" + Integer.toHexString(n) + "] pbx.c: Executing [" + n
                + "@from-internal:1] NoOp(\"PJSIP/100-0000001a\", \"line " + n + "\") in new stack";
    }

    private static long lines(Path file) {
        try (var stream = Files.lines(file, StandardCharsets.UTF_8)) {
            return stream.count();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    /** Where line {@code n} starts in the log. */
    private static long offsetOfLine(int n) {
        long at = 0;
        for (int i = 0; i < n; i++) {
            at += line(i).length() + 1;
        }
        return at;
    }

    /** The byte offset in {@code event.id} of the last complete event written, or -1 (read from the file's tail). */
    private static long lastEventOffset(Path file) {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            int tail = (int) Math.min(length, 64 << 10);
            byte[] bytes = new byte[tail];
            in.seek(length - tail);
            in.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n');
            int start = text.lastIndexOf('\n', end - 1) + 1;
            String id = JSON.readTree(text.substring(start, end)).at("/event/id").asText();
            return Long.parseLong(id.substring(id.indexOf('-') + 1));
        } catch (IOException | RuntimeException e) {
            return -1; // no file or no complete event yet: asked again
        }
    }
}
