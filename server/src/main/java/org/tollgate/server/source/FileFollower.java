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
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.Stream;
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
 * Every line goes through the file's own normalizer to the {@link LineHandler}, with an {@code event.id} made of the
 * file's identity ({@link FileTail#key()}) and the line's byte offset, so a line read again after a restart has the
 * same id and a SIEM can drop the repeat.
 *
 * <p>The read position stored (every second, and when the follower stops) is where the outputs stand, not where
 * reading stands: after each read the handler is asked to say when every output has written the events so far
 * ({@link LineHandler#endOfChunk(Runnable)}), and only a position so confirmed is stored. A restart after
 * {@code kill -9} then loses nothing and sends again only what was in flight (about a second's lines at most).
 */
public final class FileFollower implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(FileFollower.class);
    static final long POLL_MILLIS = 250;
    /** The confirmed position is stored at most this often. */
    private static final long SAVE_MILLIS = 200;
    /** A long read is marked every so many lines, not only at its end, so that little is ever unconfirmed. */
    private static final int MARK_LINES = 2048;
    /** More lines than the normalizer ever holds back (a pjproject dump is at most 4,000 bytes). */
    private static final int HELD_LINES = 4096;
    /** How long a stopping follower waits for the outputs to confirm its last lines before it stores what they did. */
    private static final long LAST_CONFIRM_MILLIS = 3000;

    private final Path path;
    private final NormalizerOptions options;
    private final LineHandler handler;
    private final ReadPositions store;
    private final boolean fromEnd;
    private final Clock clock;
    private volatile boolean running = true;
    private volatile long linesRead;
    /** {@link System#nanoTime()} when the path was last found naming no file; -1 while it names one. */
    private volatile long missingSince = -1;
    private Thread thread;
    /** A read position the outputs have confirmed (the latest mark wins), and the one stored last. */
    private final AtomicReference<Position> written = new AtomicReference<>();
    private Position saved;
    /** Follower thread only: the last mark in each file read before a rotation, each stored once confirmed. */
    private final java.util.ArrayDeque<Position> lastOfPreviousFiles = new java.util.ArrayDeque<>();
    private long lastSave = System.nanoTime();
    /** Follower thread only: the last mark handed on, and how many lines since it. */
    private Position lastMark;
    private long linesSinceMark;
    private String idKey;
    private String idPrefix;
    private Normalizer normalizer;

    /** Where reading stood after a read: the {@code mark}-th of this follower. */
    private record Position(long mark, String key, long offset) {
    }

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
            // No interrupt: it would close the file channel mid-read. The loop sees the flag within POLL_MILLIS (or
            // one slice of a backlog), then waits up to LAST_CONFIRM_MILLIS for the outputs.
            thread.join(LAST_CONFIRM_MILLIS + 7_000);
        }
    }

    public long linesRead() {
        return linesRead;
    }

    public Path path() {
        return path;
    }

    /** How long the path has named no file (deleted, or not created yet), or null while it names one. */
    public Duration missingFor() {
        long since = missingSince;
        return since < 0 ? null : Duration.ofNanos(System.nanoTime() - since);
    }

    private void notePresence() {
        if (Files.exists(path)) {
            missingSince = -1;
        } else if (missingSince < 0) {
            missingSince = System.nanoTime();
        }
    }

    @Override
    public void run() {
        Normalizer normalizer = new Normalizer(options.withPath(path.toString()).withReference(clock.instant()));
        FileTail[] reading = new FileTail[1];
        LineSplitter[] splitting = new LineSplitter[1];
        // The normalizer may hold a few lines back (a pjproject dump) and hand them on later: each result finds its
        // line's offset by its line number (event.sequence). A scanner signal is made from lines, not one: no id.
        long[] offsets = new long[HELD_LINES];
        Consumer<ParseResult> out = result -> handler.handle(result,
                result instanceof ParseResult.Parsed parsed && parsed.event().isScanSignal() ? null
                        : eventId(reading[0].key(), offsets[(int) (result.sequence() % HELD_LINES)]));
        this.normalizer = normalizer;
        LineSplitter splitter = new LineSplitter(LineSplitter.DEFAULT_MAX_LINE_BYTES, (line, truncated) -> {
            linesRead++;
            linesSinceMark++;
            offsets[(int) (linesRead % HELD_LINES)] = splitting[0].lineStart();
            normalizer.normalize(line, truncated, out);
            if (linesSinceMark >= MARK_LINES && !normalizer.holdsLines()) {
                mark(reading[0].key(), splitting[0].lineEnd());
                saveConfirmedPosition(false);
            }
        });
        splitting[0] = splitter;
        try (FileTail tail = new FileTail(path, sink(reading, splitter));
             WatchService watch = FileSystems.getDefault().newWatchService()) {
            Path directory = path.toAbsolutePath().getParent();
            if (Files.isDirectory(directory)) {
                directory.register(watch, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE);
                readRestOfRotated(directory, reading, splitter);
            }
            reading[0] = tail;
            openAtStoredPosition(tail, splitter);
            while (running) {
                long read = poll(tail);
                if (read == 0 && normalizer.holdsLines()) {
                    // A pjproject dump is written at once: when nothing more came, its held lines are real ones.
                    normalizer.flush(out);
                }
                endOfChunk(tail, splitter);
                saveConfirmedPosition(false);
                notePresence();
                if (read == 0 && !waitForChange(watch)) {
                    break;
                }
            }
            poll(tail);
            normalizer.flush(out);
            endOfChunk(tail, splitter);
            awaitLastConfirmed();
            saveConfirmedPosition(true);
        } catch (IOException e) {
            LOG.atError().addKeyValue(LogFields.PATH, path).setCause(e).log("cannot follow the log file");
        } catch (RejectedExecutionException e) {
            // Still reading when the service closed under it (a stop that outwaited the join): the position stored
            // is what the outputs confirmed, so the next start reads the rest.
            LOG.atWarn().addKeyValue(LogFields.PATH, path).log("stopped while lines were still being handed on");
        }
    }

    /** Hands the bytes a tail reads to the splitter, telling it where they start in the file being read. */
    private static FileTail.ByteSink sink(FileTail[] reading, LineSplitter splitter) {
        return (bytes, offset, length) -> {
            // The tail's position is past these bytes already: they start that far back in the file.
            splitter.at(reading[0].position() - length);
            splitter.feed(bytes, offset, length);
        };
    }

    /**
     * Lines written while the service was down to a file that was then rotated away by rename ({@code full} to
     * {@code full.1}) are read first: a file beside this one whose name begins with this one's and a dot, not
     * compressed, with a stored position short of its end (the same inode and first line as a file read before).
     */
    private void readRestOfRotated(Path directory, FileTail[] reading, LineSplitter splitter) throws IOException {
        if (store == null) {
            return;
        }
        String prefix = path.getFileName() + ".";
        List<Path> rotated;
        try (Stream<Path> files = Files.list(directory)) {
            rotated = files.filter(file -> file.getFileName().toString().startsWith(prefix)
                    && !file.getFileName().toString().endsWith(".gz") && Files.isRegularFile(file)).sorted().toList();
        }
        for (Path file : rotated) {
            try (FileTail old = new FileTail(file, sink(reading, splitter))) {
                if (!old.open(null, 0, false)) {
                    continue;
                }
                OptionalLong stored = store.position(old.key());
                if (stored.isEmpty() || stored.getAsLong() >= Files.size(file)) {
                    continue;
                }
                old.close();
                old.open(old.key(), stored.getAsLong(), false);
                reading[0] = old;
                LOG.atInfo().addKeyValue(LogFields.PATH, file).addKeyValue(LogFields.POSITION, old.position())
                        .log("reading the rest of a log file rotated while the service was stopped");
                while (running && old.poll() > 0) {
                    endOfChunk(old, splitter);
                    saveConfirmedPosition(false);
                }
                splitter.finish();
                endOfChunk(old, splitter);
            }
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

    /**
     * After a read: the lines handed on go to the outputs, with a mark of where reading stands (only complete lines
     * count as read: a partial last line is read again after a restart), confirmed once the outputs wrote them.
     */
    private void endOfChunk(FileTail tail, LineSplitter splitter) {
        if (linesSinceMark == 0 || tail.key() == null || normalizer.holdsLines()) {
            // Nothing new, or lines held back: a mark now would count them as written before they are handed on.
            handler.endOfChunk();
            return;
        }
        mark(tail.key(), tail.position() - splitter.pendingBytes());
    }

    /** Hands on the lines so far with a mark of {@code offset} in the file {@code key}. */
    private void mark(String key, long offset) {
        linesSinceMark = 0;
        if (lastMark != null && !lastMark.key().equals(key)) {
            lastOfPreviousFiles.add(lastMark);
        }
        Position mark = new Position(lastMark == null ? 1 : lastMark.mark() + 1, key, offset);
        lastMark = mark;
        handler.endOfChunk(() -> written.accumulateAndGet(mark, (now, next) -> now == null || next.mark() > now.mark()
                ? next : now));
    }

    /** Stopping: gives the outputs a moment to confirm the last lines (they write within milliseconds when up). */
    private void awaitLastConfirmed() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LAST_CONFIRM_MILLIS);
        while (lastMark != null && written.get() != lastMark && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /** Stores the last position the outputs confirmed, if it moved, and {@link #SAVE_MILLIS} passed or {@code now}. */
    private void saveConfirmedPosition(boolean now) {
        Position confirmed = written.get();
        if (store == null || confirmed == null || confirmed == saved
                || !now && System.nanoTime() - lastSave < TimeUnit.MILLISECONDS.toNanos(SAVE_MILLIS)) {
            return;
        }
        while (!lastOfPreviousFiles.isEmpty() && confirmed.mark() >= lastOfPreviousFiles.peek().mark()) {
            // A file rotated away is stored as read to its end, so a restart does not read its last lines again.
            Position previous = lastOfPreviousFiles.poll();
            if (previous != saved) {
                store.save(previous.key(), previous.offset());
            }
        }
        store.save(confirmed.key(), confirmed.offset());
        saved = confirmed;
        lastSave = System.nanoTime();
    }

    /**
     * {@code <16 hex digits naming the file>-<byte offset of the line>}: the same line read again (after a restart,
     * or from a stored position) has the same id; another file, or the same inode refilled after copytruncate (another
     * first line), has another.
     */
    private String eventId(String key, long offset) {
        if (key == null) {
            return null;
        }
        if (!key.equals(idKey)) {
            long hash = 0xcbf29ce484222325L;
            for (int i = 0; i < key.length(); i++) {
                hash ^= key.charAt(i);
                hash *= 0x100000001b3L;
            }
            idKey = key;
            idPrefix = String.format(Locale.ROOT, "%016x-", hash);
        }
        return idPrefix + offset;
    }
}
