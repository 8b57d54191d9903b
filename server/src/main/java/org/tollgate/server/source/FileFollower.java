package org.tollgate.server.source;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.banner.store.ReadPositions;
import org.tollgate.normalizer.Normalizer;
import org.tollgate.normalizer.NormalizerOptions;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.normalizer.input.LineSplitter;
import org.tollgate.server.LogFields;

/**
 * The thread that follows one log file: woken by the file system the moment the file changes (inotify), and every
 * {@link #POLL_MILLIS} ms whatever happens, in case the watch misses a change (network file systems, rotation races).
 * Every line goes through the file's own normalizer to the {@link LineHandler}; the read position is stored every
 * second and when the follower stops, so a restart repeats and loses nothing.
 */
public final class FileFollower implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(FileFollower.class);
    static final long POLL_MILLIS = 250;
    private static final long SAVE_MILLIS = 1000;

    private final Path path;
    private final NormalizerOptions options;
    private final LineHandler handler;
    private final ReadPositions store;
    private final boolean fromEnd;
    private final Clock clock;
    private volatile boolean running = true;
    private volatile long linesRead;
    private Thread thread;

    public FileFollower(Path path, NormalizerOptions options, LineHandler handler, ReadPositions store, boolean fromEnd,
                        Clock clock) {
        this.path = path;
        this.options = options;
        this.handler = handler;
        this.store = store;
        this.fromEnd = fromEnd;
        this.clock = clock;
    }

    public void start() {
        thread = new Thread(this, "tollgate-file-" + path.getFileName());
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops following, after the last complete line was handed on and the position stored. */
    public void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            // No interrupt: it would close the file channel mid-read. The loop sees the flag within POLL_MILLIS.
            thread.join(5_000);
        }
    }

    public long linesRead() {
        return linesRead;
    }

    @Override
    public void run() {
        Normalizer normalizer = new Normalizer(options.withPath(path.toString()).withReference(clock.instant()));
        Consumer<ParseResult> out = handler::handle;
        LineSplitter splitter = new LineSplitter(LineSplitter.DEFAULT_MAX_LINE_BYTES, (line, truncated) -> {
            linesRead++;
            normalizer.normalize(line, truncated, out);
        });
        try (FileTail tail = new FileTail(path, splitter::feed);
             WatchService watch = FileSystems.getDefault().newWatchService()) {
            Path directory = path.toAbsolutePath().getParent();
            if (Files.isDirectory(directory)) {
                directory.register(watch, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE);
            }
            openAtStoredPosition(tail, splitter);
            long lastSave = System.nanoTime();
            while (running) {
                long read = poll(tail);
                handler.endOfChunk();
                if (System.nanoTime() - lastSave > TimeUnit.MILLISECONDS.toNanos(SAVE_MILLIS)) {
                    savePosition(tail, splitter);
                    lastSave = System.nanoTime();
                }
                if (read == 0 && normalizer.holdsLines()) {
                    // A pjproject dump is written at once: when nothing more came, its held lines are real ones.
                    normalizer.flush(out);
                    handler.endOfChunk();
                }
                if (read == 0 && !waitForChange(watch)) {
                    break;
                }
            }
            poll(tail);
            normalizer.flush(out);
            handler.endOfChunk();
            savePosition(tail, splitter);
        } catch (IOException e) {
            LOG.atError().addKeyValue(LogFields.PATH, path).setCause(e).log("cannot follow the log file");
        }
    }

    /** Waits for a change in the directory or the poll interval; false when interrupted (stopping). */
    private static boolean waitForChange(WatchService watch) {
        try {
            WatchKey key = watch.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            if (key != null) {
                key.pollEvents();
                key.reset();
            }
            return true;
        } catch (InterruptedException | ClosedWatchServiceException e) {
            return false;
        }
    }

    private long poll(FileTail tail) {
        try {
            return tail.poll();
        } catch (IOException e) {
            LOG.atWarn().addKeyValue(LogFields.PATH, path).addKeyValue(LogFields.ERROR, e.toString()).log("reading the log failed; retrying");
            return 0;
        }
    }

    private void openAtStoredPosition(FileTail tail, LineSplitter splitter) throws IOException {
        // The key is only known once the file is open: open once to learn it, then look up the stored position.
        if (!tail.open(null, 0, fromEnd)) {
            LOG.atInfo().addKeyValue(LogFields.PATH, path).log("the log file does not exist yet; waiting for it");
            return;
        }
        OptionalLong stored = store == null ? OptionalLong.empty() : store.position(tail.key());
        if (stored.isPresent()) {
            tail.close();
            tail.open(tail.key(), stored.getAsLong(), fromEnd);
        }
        LOG.atInfo().addKeyValue(LogFields.PATH, path).addKeyValue(LogFields.POSITION, tail.position())
                .addKeyValue(LogFields.RESUMED, stored.isPresent()).log("following the log file");
    }

    private void savePosition(FileTail tail, LineSplitter splitter) {
        if (store == null || tail.key() == null) {
            return;
        }
        // Only complete lines count as read: a partial last line is read again after a restart.
        store.save(tail.key(), tail.position() - splitter.pendingBytes());
    }
}
