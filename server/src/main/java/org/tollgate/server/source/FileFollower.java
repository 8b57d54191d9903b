package org.tollgate.server.source;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.banner.BanPathEvent;
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
 * <p>The read position stored is where the outputs stand, not where reading stands ({@link ConfirmedPositions}). A
 * restart after {@code kill -9} then loses nothing and sends again only what was in flight (about a second's lines
 * at most). Reading a backlog goes at the pace of the slowest output: it waits while more than
 * {@link ConfirmedPositions#MAX_IN_FLIGHT} lines are unconfirmed, unless an output is stuck.
 *
 * <p>Read to its end ({@code tollgate run --once}), the follower stops at the end the file has when a read first finds
 * nothing more (a file still growing is read to that end; what comes later, and a last line without its line feed
 * yet, is left for the next run, which goes on from the stored position), once the outputs have written every line
 * read: no output is read past however slow, and {@link #end()} says when, or why not.
 */
public final class FileFollower implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(FileFollower.class);
    static final long POLL_MILLIS = 250;
    /** A long read is marked every so many lines, not only at its end, so that little is ever unconfirmed. */
    private static final int MARK_LINES = 2048;
    /** More lines than the normalizer ever holds back (a pjproject dump is at most 4,000 bytes). */
    private static final int HELD_LINES = 4096;

    private final Path path;
    private final NormalizerOptions options;
    private final LineHandler handler;
    private final ReadPositions store;
    private final ConfirmedPositions positions;
    private final boolean fromEnd;
    /** Whether the file is read to its end, and then the follower stops ({@code run --once}). */
    private final boolean toEnd;
    private final CompletableFuture<Void> end = new CompletableFuture<>();
    private final Clock clock;
    private volatile boolean running = true;
    /**
     * The lines read, as {@link #lines} stood at the last mark or end of a read (every {@link #MARK_LINES} lines at
     * most): a volatile write per line would cost each line a fence.
     */
    private volatile long linesRead;
    /** The lines read so far; the following thread's own. */
    private long lines;
    /** {@link System#nanoTime()} when the path was last found naming no file; -1 while it names one. */
    private volatile long missingSince = -1;
    /** {@link System#nanoTime()} when the path was found naming a file this process may not read; -1 while readable. */
    private volatile long unreadableSince = -1;
    private Thread thread;
    private String idKey;
    private String idPrefix;

    public FileFollower(Path path, NormalizerOptions options, LineHandler handler, ReadPositions store, boolean fromEnd,
                        Clock clock) {
        this(path, options, handler, store, fromEnd, false, clock);
    }

    /** @param toEnd whether the file is read to its end, every line written, and then the follower stops */
    public FileFollower(Path path, NormalizerOptions options, LineHandler handler, ReadPositions store, boolean fromEnd,
                        boolean toEnd, Clock clock) {
        this(path, options, handler, store, fromEnd, toEnd, clock, new ConfirmedPositions(handler, store, toEnd));
    }

    /** With the read positions kept by {@code positions} (other back-pressure bounds: tests). */
    FileFollower(Path path, NormalizerOptions options, LineHandler handler, ReadPositions store, boolean fromEnd,
                 boolean toEnd, Clock clock, ConfirmedPositions positions) {
        this.path = path;
        this.options = options;
        this.handler = handler;
        this.store = store;
        this.positions = positions;
        this.fromEnd = fromEnd;
        this.toEnd = toEnd;
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
            // one slice of a backlog), then waits a few seconds for the outputs.
            thread.join(ConfirmedPositions.LAST_CONFIRM_MILLIS + 7_000);
        }
    }

    public long linesRead() {
        return linesRead;
    }

    /**
     * Done once the follower has stopped with every line it read written by the outputs; failed, saying why in one
     * line, when reading to the end could not read the file or the outputs did not write what was read.
     */
    public CompletionStage<Void> end() {
        return end;
    }

    public Path path() {
        return path;
    }

    /** How long the path has named no file (deleted, or not created yet), or null while it names one. */
    public Duration missingFor() {
        long since = missingSince;
        return since < 0 ? null : Duration.ofNanos(System.nanoTime() - since);
    }

    /** How long the path has named a file this process may not read, or null while it can read it. */
    public Duration unreadableFor() {
        long since = unreadableSince;
        return since < 0 ? null : Duration.ofNanos(System.nanoTime() - since);
    }

    private void notePresence(FileTail tail) {
        if (Files.exists(path)) {
            missingSince = -1;
        } else if (missingSince < 0) {
            missingSince = System.nanoTime();
        }
        if (tail.unreadable() && unreadableSince < 0) {
            unreadableSince = System.nanoTime();
            LOG.atError().addKeyValue(LogFields.PATH, path).log("cannot read the log file (permission denied): nothing "
                    + "is read from it until its mode or owner lets this service read it; tried again every "
                    + POLL_MILLIS + " ms");
        } else if (!tail.unreadable() && unreadableSince >= 0) {
            unreadableSince = -1;
            LOG.atInfo().addKeyValue(LogFields.PATH, path).log("the log file can be read again");
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
        Consumer<ParseResult> out = result -> {
            String prefix = result instanceof ParseResult.Parsed parsed && parsed.event().isScanSignal() ? null
                    : eventIdPrefix(reading[0].key());
            if (prefix == null) {
                handler.handle(result, null);
            } else {
                handler.handle(result, prefix, offsets[(int) (result.sequence() % HELD_LINES)]);
            }
        };
        Runnable lineStarts = () -> {
            lines++;
            positions.lineRead();
            offsets[(int) (lines % HELD_LINES)] = splitting[0].lineStart();
        };
        Runnable lineRead = () -> {
            if (positions.linesSinceMark() >= MARK_LINES && !normalizer.holdsLines()) {
                linesRead = lines;
                positions.mark(reading[0].key(), splitting[0].lineEnd());
                positions.save(false);
            }
        };
        // A plain line (printable ASCII and TABs, most lines of a log) is read from its bytes, without decoding or
        // cleaning (Normalizer#normalizePlain): the same event as the decoded line's.
        LineSplitter splitter = new LineSplitter(LineSplitter.DEFAULT_MAX_LINE_BYTES, (line, truncated) -> {
            lineStarts.run();
            normalizer.normalize(line, truncated, out);
            lineRead.run();
        }, (bytes, from, to, plain) -> {
            if (!plain) {
                return false;
            }
            lineStarts.run();
            normalizer.normalizePlain(bytes, from, to, true, out);
            lineRead.run();
            return true;
        });
        splitting[0] = splitter;
        try (FileTail tail = new FileTail(path, sink(reading, splitter));
             WatchService watch = FileSystems.getDefault().newWatchService()) {
            Path directory = path.toAbsolutePath().getParent();
            if (Files.isDirectory(directory)) {
                directory.register(watch, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE);
                readRestOfRotated(directory, reading, splitter, normalizer);
            }
            reading[0] = tail;
            boolean opened = openAtStoredPosition(tail, true);
            while (running) {
                if (!opened) {
                    // Missing or unreadable at start: once it can be opened, the stored position still applies.
                    opened = openLater(tail);
                }
                long read = opened ? poll(tail) : 0;
                if (read == 0 && normalizer.holdsLines()) {
                    // A pjproject dump is written at once: when nothing more came, its held lines are real ones.
                    normalizer.flush(out);
                }
                endOfChunk(tail, splitter, normalizer);
                positions.save(false);
                notePresence(tail);
                if (read == 0) {
                    if (toEnd) {
                        break; // the file's end as it stands now, or no file to read
                    }
                    if (!waitForChange(watch)) {
                        break;
                    }
                    BanPathEvent.mark(BanPathEvent.WOKE, null);
                }
            }
            if (opened) {
                poll(tail);
            }
            normalizer.flush(out);
            endOfChunk(tail, splitter, normalizer);
            positions.awaitLastConfirmed();
            positions.save(true);
            if (toEnd && unreadableSince >= 0) {
                end.completeExceptionally(new IOException(path + ": cannot be read (permission denied)"));
            }
        } catch (IOException e) {
            LOG.atError().addKeyValue(LogFields.PATH, path).setCause(e).log("cannot follow the log file");
            end.completeExceptionally(new IOException(path + ": " + e.getMessage(), e));
        } catch (RejectedExecutionException e) {
            // Still reading when the service closed under it (a stop that outwaited the join): the position stored
            // is what the outputs confirmed, so the next start reads the rest.
            LOG.atWarn().addKeyValue(LogFields.PATH, path).log("stopped while lines were still being handed on");
            end.completeExceptionally(e);
        } catch (ConfirmedPositions.OutputsFailed e) {
            // Reading to the end only: the position stored is what the outputs confirmed.
            positions.save(true);
            end.completeExceptionally(new IOException(path + ": " + e.getMessage(), e));
        } finally {
            end.complete(null);
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
    private void readRestOfRotated(Path directory, FileTail[] reading, LineSplitter splitter, Normalizer normalizer)
            throws IOException {
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
                    endOfChunk(old, splitter, normalizer);
                    positions.save(false);
                }
                splitter.finish();
                endOfChunk(old, splitter, normalizer);
            }
        }
    }

    /**
     * Waits for a change to the followed file or the poll interval; false when interrupted (stopping). The watch is on
     * the directory, so it also fires for every other file there (the state store's database and journal beside the
     * log, say, written on every ban): those are passed over without a read, which would find nothing and took a core
     * beside the ban's own firewall call.
     */
    private boolean waitForChange(WatchService watch) {
        Path name = path.getFileName();
        long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS);
        try {
            while (true) {
                long left = due - System.nanoTime();
                WatchKey key = left > 0 ? watch.poll(left, TimeUnit.NANOSECONDS) : null;
                if (key == null) {
                    return true; // the interval is up: read anyway, in case the watch missed a change
                }
                boolean ours = concerns(key.pollEvents(), name);
                key.reset();
                if (ours) {
                    return true;
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            return false;
        }
    }

    /**
     * True when {@code events} of the directory's watch may concern the file named {@code name}: an event for that
     * name (written to, created again after a rotation), or an overflow, which names no file.
     */
    static boolean concerns(List<WatchEvent<?>> events, Path name) {
        for (WatchEvent<?> event : events) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW || name.equals(event.context())) {
                return true;
            }
        }
        return false;
    }

    private long poll(FileTail tail) {
        try {
            return tail.poll();
        } catch (IOException e) {
            LOG.atWarn().addKeyValue(LogFields.PATH, path).addKeyValue(LogFields.ERROR, e.toString())
                    .log(toEnd ? "reading the log failed" : "reading the log failed; retrying");
            if (toEnd) {
                end.completeExceptionally(new IOException(path + ": reading failed: " + e.getMessage(), e));
            }
            return 0;
        }
    }

    /** {@link #openAtStoredPosition} after the start: a failure is logged and tried again, never the end of reading. */
    private boolean openLater(FileTail tail) {
        try {
            return openAtStoredPosition(tail, false);
        } catch (IOException e) {
            LOG.atWarn().addKeyValue(LogFields.PATH, path).addKeyValue(LogFields.ERROR, e.toString())
                    .log("opening the log failed; retrying");
            return false;
        }
    }

    /**
     * Opens the file at its stored position, if one is; else at its start, or at its end when {@code start: end} and
     * the file is there when the follower starts ({@code first}): a file that comes later is read from its start.
     *
     * @return false while the file is missing or unreadable
     */
    private boolean openAtStoredPosition(FileTail tail, boolean first) throws IOException {
        // The key is only known once the file is open: open once to learn it, then look up the stored position.
        boolean atEnd = first && fromEnd;
        if (!tail.open(null, 0, atEnd)) {
            if (first && !tail.unreadable()) {
                LOG.atInfo().addKeyValue(LogFields.PATH, path).log(toEnd
                        ? "the log file does not exist; nothing to read"
                        : "the log file does not exist yet; waiting for it");
            }
            return false;
        }
        OptionalLong stored = store == null ? OptionalLong.empty() : store.position(tail.key());
        if (stored.isPresent()) {
            tail.close();
            tail.open(tail.key(), stored.getAsLong(), atEnd);
        }
        LOG.atInfo().addKeyValue(LogFields.PATH, path).addKeyValue(LogFields.POSITION, tail.position())
                .addKeyValue(LogFields.RESUMED, stored.isPresent()).log("following the log file");
        return true;
    }

    /** After a read: the lines handed on go to the outputs with a mark of where reading stands. */
    private void endOfChunk(FileTail tail, LineSplitter splitter, Normalizer normalizer) {
        linesRead = lines;
        positions.endOfChunk(tail.key(), tail.position() - splitter.pendingBytes(), normalizer.holdsLines());
    }

    /**
     * The {@code event.id} of a line is {@code <16 hex digits naming the file>-<byte offset of the line>}: the same
     * line read again (after a restart, or from a stored position) has the same id; another file, or the same inode
     * refilled after copytruncate (another first line), has another. This is its part before the offset (the offset's
     * digits are written with the JSON, on an output's thread), or null for a file not known yet.
     */
    private String eventIdPrefix(String key) {
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
        return idPrefix;
    }
}
