package org.tollgate.server.source;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.banner.store.ReadPositions;
import org.tollgate.normalizer.Normalizer;
import org.tollgate.normalizer.NormalizerOptions;
import org.tollgate.normalizer.input.LineSplitter;
import org.tollgate.server.LogFields;

/**
 * The thread that follows one unit's journal through {@code journalctl -f -o json}, one JSON record per line, each
 * handed as is to the normalizer (which reads {@code MESSAGE}, {@code _HOSTNAME}, {@code __REALTIME_TIMESTAMP}).
 *
 * <p>The cursor of the last record handed on is stored every second and when the follower stops, under
 * {@code journald:<unit>}, so a restart resumes after it ({@code --after-cursor}) and repeats and loses nothing.
 * When journalctl exits, it is started again after the cursor, after a pause that doubles from the first to
 * {@link #MAX_BACKOFF} while it keeps failing. Stopping ends journalctl (and anything it started) with SIGTERM, then
 * SIGKILL.
 */
final class JournalFollower implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(JournalFollower.class);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
    /** A run this long counts as working: the next failure starts the backoff again from the first pause. */
    private static final long HEALTHY_RUN_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final long SAVE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * How long the reader of journalctl's stderr is waited for once journalctl and what it started are gone: its
     * pipe is closed then, so it ends at once, unless the machine is too busy to run it; its complaint about a cursor
     * decides what the next start asks for.
     */
    private static final long ERROR_READER_MILLIS = TimeUnit.SECONDS.toMillis(30);
    /** journalctl's {@code --all} prints fields in full; a record is still cut here. */
    static final int MAX_RECORD_BYTES = 1024 * 1024;
    private static final String CURSOR_KEY = "\"__CURSOR\"";

    private final List<String> command;
    private final String unit;
    private final String since;
    private final NormalizerOptions options;
    private final LineHandler handler;
    private final ReadPositions store;
    private final Duration firstBackoff;
    private final Object pause = new Object();
    private volatile boolean running = true;
    private volatile Process process;
    private volatile long linesRead;
    private volatile long starts;
    private String cursor;
    private String savedCursor;
    private boolean cursorRefused;
    private volatile boolean cursorComplaint;
    private Thread errorReader;
    private Thread thread;

    /**
     * @param command      the journalctl program and any arguments before the ones this class adds
     * @param since        {@code now}, or the cursor to read after when none is stored
     * @param firstBackoff the pause before the first restart
     */
    JournalFollower(List<String> command, String unit, String since, NormalizerOptions options, LineHandler handler,
                    ReadPositions store, Duration firstBackoff) {
        this.command = List.copyOf(command);
        this.unit = unit;
        this.since = since;
        this.options = options;
        this.handler = handler;
        this.store = store;
        this.firstBackoff = firstBackoff;
    }

    /** The unit name that stands for the kernel's messages ({@code journalctl --dmesg}). */
    static final String KERNEL = "kernel";

    /** The store key of the cursor: {@code journald:asterisk.service}. */
    String key() {
        return "journald:" + unit;
    }

    /** Starts journalctl the first time, on the caller's thread so that a missing program fails the start. */
    void start() throws IOException {
        cursor = store == null ? null : store.cursor(key()).orElse(null);
        savedCursor = cursor;
        process = launch();
        LOG.atInfo().addKeyValue(LogFields.UNIT, unit).addKeyValue(LogFields.CURSOR, cursor)
                .log(cursor == null ? "following the journal" : "following the journal after the stored cursor");
        thread = new Thread(this, "tollgate-journald-" + unit);
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops journalctl and the thread, after the cursor of the last record handed on was stored. */
    void stop() throws InterruptedException {
        running = false;
        synchronized (pause) {
            pause.notifyAll();
        }
        Process current = process;
        if (current != null) {
            end(current);
        }
        if (thread != null) {
            thread.join(5_000);
        }
    }

    long linesRead() {
        return linesRead;
    }

    /** How many times journalctl was started. */
    long starts() {
        return starts;
    }

    /** The argument vector for the next start: after the last cursor read, else after {@code since}. */
    List<String> arguments() {
        List<String> argv = new ArrayList<>(command);
        // unit: kernel is the kernel's own log (the shield's drop lines), which belongs to no unit.
        argv.addAll(List.of("--follow", "--output=json", "--all", "--no-tail",
                unit.equals(KERNEL) ? "--dmesg" : "--unit=" + unit));
        String after = cursor != null ? cursor : since.equals("now") || cursorRefused ? null : since;
        argv.add(after == null ? "--since=now" : "--after-cursor=" + after);
        return argv;
    }

    @Override
    public void run() {
        Normalizer normalizer = new Normalizer(options);
        Duration backoff = firstBackoff;
        try {
            while (running) {
                Process current = process;
                if (current == null) {
                    try {
                        current = launch();
                        process = current;
                        if (!running) {
                            end(current); // stop() came while it was starting and did not see it
                            break;
                        }
                    } catch (IOException e) {
                        LOG.atWarn().addKeyValue(LogFields.UNIT, unit).addKeyValue(LogFields.ERROR, e.toString())
                                .addKeyValue(LogFields.RETRY_IN_MS, backoff.toMillis()).log("cannot start journalctl");
                        pause(backoff);
                        backoff = longer(backoff);
                        continue;
                    }
                }
                long started = System.nanoTime();
                long before = linesRead;
                read(current, normalizer);
                int exit = end(current);
                errorReader.join(ERROR_READER_MILLIS);
                process = null;
                saveCursor();
                if (!running) {
                    break;
                }
                if (exit != 0 && linesRead == before && cursorComplaint) {
                    // A cursor journalctl cannot seek to (mistyped in since:, or from another machine): waiting
                    // will not make it valid. Lines logged meanwhile are lost; the warning says so.
                    LOG.atWarn().addKeyValue(LogFields.UNIT, unit).addKeyValue(LogFields.CURSOR, cursor != null ? cursor : since)
                            .log("journalctl refused the cursor; following the journal from now on");
                    cursor = null;
                    cursorRefused = true;
                }
                if (linesRead > before || System.nanoTime() - started > HEALTHY_RUN_NANOS) {
                    backoff = firstBackoff;
                }
                LOG.atWarn().addKeyValue(LogFields.UNIT, unit).addKeyValue(LogFields.EXIT_CODE, exit)
                        .addKeyValue(LogFields.RETRY_IN_MS, backoff.toMillis()).log("journalctl exited; starting it again");
                pause(backoff);
                backoff = longer(backoff);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            saveCursor();
        }
    }

    private Process launch() throws IOException {
        List<String> argv = arguments();
        LOG.atDebug().addKeyValue(LogFields.COMMAND, argv).log("starting journalctl");
        Process started = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        started.getOutputStream().close();
        starts++;
        cursorComplaint = false;
        errorReader = new Thread(() -> logErrors(started), "tollgate-journald-stderr-" + unit);
        errorReader.setDaemon(true);
        errorReader.start();
        return started;
    }

    private void read(Process current, Normalizer normalizer) {
        LineSplitter splitter = new LineSplitter(MAX_RECORD_BYTES, (line, truncated) -> {
            linesRead++;
            normalizer.normalize(line, truncated, handler::handle);
            String next = cursorOf(line);
            if (next != null) {
                cursor = next;
            }
        });
        byte[] buffer = new byte[64 * 1024];
        long lastSave = System.nanoTime();
        try (InputStream in = current.getInputStream()) {
            int read;
            while ((read = in.read(buffer)) > 0) {
                splitter.feed(buffer, 0, read);
                if (System.nanoTime() - lastSave > SAVE_NANOS) {
                    saveCursor();
                    lastSave = System.nanoTime();
                }
            }
            // A record without its line end is one journalctl was killed writing: never handed on.
        } catch (IOException e) {
            if (running) {
                LOG.atWarn().addKeyValue(LogFields.UNIT, unit).addKeyValue(LogFields.ERROR, e.toString()).log("reading journalctl failed");
            }
        }
    }

    /** journalctl's own messages (no access to the system journal, a bad cursor) in the service log. */
    private void logErrors(Process current) {
        LineSplitter splitter = new LineSplitter(4096, (line, truncated) -> {
            LOG.atWarn().addKeyValue(LogFields.UNIT, unit).addKeyValue(LogFields.JOURNALCTL, line).log("journalctl says");
            if (line.contains("cursor")) {
                cursorComplaint = true; // "Failed to seek to cursor: Invalid argument"
            }
        });
        byte[] buffer = new byte[4096];
        try (InputStream in = current.getErrorStream()) {
            int read;
            while ((read = in.read(buffer)) > 0) {
                splitter.feed(buffer, 0, read);
            }
            splitter.finish();
        } catch (IOException e) {
            // The process is gone; nothing more to say.
        }
    }

    /**
     * Ends the process and whatever it started: SIGTERM, then SIGKILL after two seconds. Returns its exit code.
     * Signals go through the process handles: {@link Process#destroy()} also closes the pipes, under the reader of
     * stderr, which then loses what journalctl said last (the complaint about a cursor). The readers close them.
     */
    private static int end(Process current) {
        current.descendants().forEach(ProcessHandle::destroy);
        current.toHandle().destroy();
        try {
            if (!current.waitFor(2, TimeUnit.SECONDS)) {
                current.descendants().forEach(ProcessHandle::destroyForcibly);
                current.toHandle().destroyForcibly();
                current.waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return current.isAlive() ? -1 : current.exitValue();
    }

    private void pause(Duration time) throws InterruptedException {
        synchronized (pause) {
            if (running) {
                pause.wait(Math.max(1, time.toMillis()));
            }
        }
    }

    private static Duration longer(Duration backoff) {
        Duration doubled = backoff.multipliedBy(2);
        return doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
    }

    private void saveCursor() {
        String current = cursor;
        if (store == null || current == null || current.equals(savedCursor)) {
            return;
        }
        try {
            store.saveCursor(key(), current);
            savedCursor = current;
        } catch (RuntimeException e) {
            LOG.atWarn().addKeyValue(LogFields.UNIT, unit).addKeyValue(LogFields.ERROR, e.toString()).log("cannot store the journal cursor");
        }
    }

    /**
     * The {@code __CURSOR} of a record, or null. A plain search is exact here: inside a JSON string a quote is escaped,
     * so {@code "__CURSOR"} with both quotes only occurs as a key, user fields cannot start with {@code __}, and a
     * cursor holds neither quotes nor backslashes.
     */
    static String cursorOf(String record) {
        int key = record.indexOf(CURSOR_KEY);
        if (key < 0) {
            return null;
        }
        int i = skipSpaces(record, key + CURSOR_KEY.length());
        if (i >= record.length() || record.charAt(i) != ':') {
            return null;
        }
        i = skipSpaces(record, i + 1);
        if (i >= record.length() || record.charAt(i) != '"') {
            return null;
        }
        int end = record.indexOf('"', i + 1);
        if (end <= i + 1 || record.lastIndexOf('\\', end) > i) {
            return null;
        }
        return record.substring(i + 1, end);
    }

    private static int skipSpaces(String text, int i) {
        while (i < text.length() && text.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}
