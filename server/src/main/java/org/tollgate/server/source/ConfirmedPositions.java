package org.tollgate.server.source;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BinaryOperator;
import java.util.function.BooleanSupplier;
import org.tollgate.banner.store.ReadPositions;

/**
 * The read positions of one {@link FileFollower} that its outputs confirmed, and their storing. After a read the
 * follower marks where reading stands ({@link #mark}); the mark goes to the {@link LineHandler} with the lines, which
 * confirms it once every output has written them; only a confirmed position is stored (at most every
 * {@link #SAVE_MILLIS} ms), so a restart after {@code kill -9} loses nothing and sends again only what was in flight.
 *
 * <p>Reading to the end ({@code tollgate run --once}) loses nothing: reading waits for the outputs however long they
 * take, as long as they confirm something every {@link #FAILED_MILLIS} ms; one silent that long has failed, and
 * {@link OutputsFailed} ends the reading. Following a live log, an output stuck for {@link #STUCK_MILLIS} ms is read
 * past instead (its queue drops, counted), so that a stuck output never stops the bans.
 *
 * <p>Used by the follower's thread only, except the confirmation, which runs on an output's thread.
 */
final class ConfirmedPositions {

    /** The confirmed position is stored at most this often. */
    private static final long SAVE_MILLIS = 200;
    /** How long a stopping follower waits for the outputs to confirm its last lines before it stores what they did. */
    static final long LAST_CONFIRM_MILLIS = 3000;
    /**
     * Reading waits while more lines than this are handed on and not yet written by every output, so a backlog read
     * at full speed goes at the pace of the slowest output instead of filling its queue and losing events there.
     * About seven 1 MiB blocks of the jsonl output's JSON: enough to keep an output busy, and little for the young
     * collections to copy, which copy every event in flight (50,000 lines in flight kept 50-230 MB live).
     */
    static final long MAX_IN_FLIGHT = 8_192;
    /** An output that confirms nothing for this long is stuck: reading goes on without it (its queue drops). */
    static final long STUCK_MILLIS = 2000;
    /**
     * Reading to the end, outputs that confirm nothing for this long have failed (a collector that never answers):
     * longer than anything a starved machine pauses a writer for, and a clear end rather than a wait for ever.
     */
    static final long FAILED_MILLIS = 60_000;

    private final LineHandler handler;
    private final ReadPositions store;
    /** A read position the outputs have confirmed (the latest mark wins), and the one stored last. */
    private final AtomicReference<Position> written = new AtomicReference<>();
    private Position saved;
    /** The last mark in each file read before a rotation, each stored once confirmed. */
    private final ArrayDeque<Position> lastOfPreviousFiles = new ArrayDeque<>();
    private long lastSave = System.nanoTime();
    /** The last mark handed on, and how many lines since it; lines handed on in all. */
    private Position lastMark;
    private long linesSinceMark;
    private long lines;
    /**
     * Whether reading last waited for the outputs in vain, and what was confirmed then (null for nothing): until the
     * outputs confirm more, it does not wait again.
     */
    private boolean stuck;
    private Position stuckAt;

    /**
     * Where reading stood after a read: the {@code mark}-th of this follower, after {@code lines} lines handed on in
     * all.
     */
    private record Position(long mark, String key, long offset, long lines) {
    }

    /** The later of two confirmed marks; made once. */
    private static final BinaryOperator<Position> LATER = (now, next) -> now == null || next.mark() > now.mark()
            ? next : now;

    private final long maxInFlight;
    /** How long outputs may confirm nothing: then stuck (read past), or failed when {@link #toEnd}. */
    private final long silentNanos;
    /** Whether every line must be written (reading to the end): no output is read past, however slow. */
    private final boolean toEnd;

    /**
     * @param store where confirmed positions go; null for none (nothing is stored)
     * @param toEnd whether the file is read to its end and every line must be written ({@code run --once})
     */
    ConfirmedPositions(LineHandler handler, ReadPositions store, boolean toEnd) {
        this(handler, store, MAX_IN_FLIGHT, toEnd ? FAILED_MILLIS : STUCK_MILLIS, toEnd);
    }

    /**
     * With other bounds of the back-pressure than {@link #MAX_IN_FLIGHT} and {@link #STUCK_MILLIS} or
     * {@link #FAILED_MILLIS} (tests).
     */
    ConfirmedPositions(LineHandler handler, ReadPositions store, long maxInFlight, long silentMillis, boolean toEnd) {
        this.handler = handler;
        this.store = store;
        this.maxInFlight = maxInFlight;
        this.silentNanos = TimeUnit.MILLISECONDS.toNanos(silentMillis);
        this.toEnd = toEnd;
        // A mark's record and its confirmation's lambda class, made here (never run) and not on the first line read
        // after start, which is often an attack: a lambda's class is spun where its expression first runs.
        confirmation(new Position(0, null, 0, 0));
    }

    /** One more line was handed on since the last mark. */
    void lineRead() {
        linesSinceMark++;
        lines++;
    }

    long linesSinceMark() {
        return linesSinceMark;
    }

    /**
     * After a read: the lines handed on go to the outputs with a mark of {@code offset} in the file {@code key}
     * (only complete lines count as read: a partial last line is read again after a restart). Without new lines, an
     * unknown file, or with lines {@code held} back, no mark: it would count them as written before they are handed on.
     */
    void endOfChunk(String key, long offset, boolean held) {
        if (linesSinceMark == 0 || key == null || held) {
            handler.endOfChunk();
            return;
        }
        mark(key, offset);
    }

    /** Hands on the lines so far with a mark of {@code offset} in the file {@code key}. */
    void mark(String key, long offset) {
        linesSinceMark = 0;
        if (lastMark != null && !lastMark.key().equals(key)) {
            lastOfPreviousFiles.add(lastMark);
        }
        Position mark = new Position(lastMark == null ? 1 : lastMark.mark() + 1, key, offset, lines);
        lastMark = mark;
        handler.endOfChunk(confirmation(mark));
        awaitOutputs();
    }

    /** What the outputs run once they wrote the lines up to {@code mark}. */
    private Runnable confirmation(Position mark) {
        return () -> written.accumulateAndGet(mark, LATER);
    }

    /**
     * Back-pressure: while more than {@link #MAX_IN_FLIGHT} lines are handed on and unconfirmed, waits for the outputs.
     * Following a live log, at most {@link #STUCK_MILLIS} (an output stuck that long is not waited for again until it
     * confirms more); reading to the end, as long as they confirm something every {@link #FAILED_MILLIS}.
     *
     * @throws OutputsFailed reading to the end, when the outputs confirmed nothing for {@link #FAILED_MILLIS}
     */
    private void awaitOutputs() {
        if (lastMark.lines() - confirmedLines() <= maxInFlight || stuck && stuckAt == written.get()) {
            return;
        }
        if (!awaitConfirmed(() -> lastMark.lines() - confirmedLines() <= maxInFlight, 1)) {
            stuck = true;
            stuckAt = written.get();
            return;
        }
        stuck = false;
    }

    /**
     * Waits, polling every {@code pollMillis} ms, until {@code done}. Following a live log, false after
     * {@link #silentNanos} (stuck). Reading to the end, the wait starts again with each confirmation, and throws once
     * the outputs confirmed nothing for {@link #silentNanos}.
     */
    private boolean awaitConfirmed(BooleanSupplier done, long pollMillis) {
        Position seen = written.get();
        long silentSince = System.nanoTime();
        while (!done.getAsBoolean()) {
            Position now = written.get();
            if (toEnd && now != seen) {
                seen = now;
                silentSince = System.nanoTime();
            } else if (System.nanoTime() - silentSince >= silentNanos) {
                if (toEnd) {
                    throw new OutputsFailed(lastMark.lines() - confirmedLines(), silentNanos);
                }
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pollMillis));
        }
        return true;
    }

    private long confirmedLines() {
        Position confirmed = written.get();
        return confirmed == null ? 0 : confirmed.lines();
    }

    /**
     * Stopping: waits for the outputs to confirm the last lines. Following a live log, a moment (they write within
     * milliseconds when up); reading to the end, until they have, as long as they confirm something every
     * {@link #FAILED_MILLIS}.
     *
     * @throws OutputsFailed reading to the end, when the outputs confirmed nothing for {@link #FAILED_MILLIS}
     */
    void awaitLastConfirmed() {
        if (lastMark == null) {
            return;
        }
        if (toEnd) {
            awaitConfirmed(() -> written.get() == lastMark, 5);
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LAST_CONFIRM_MILLIS);
        while (written.get() != lastMark && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /** Reading to the end, the outputs confirmed nothing for {@link #FAILED_MILLIS}: not every line read is written. */
    static final class OutputsFailed extends RuntimeException {
        OutputsFailed(long unwritten, long silentNanos) {
            super("the outputs wrote nothing for " + TimeUnit.NANOSECONDS.toSeconds(silentNanos) + " s, " + unwritten
                    + " lines read not written; reading stopped there", null, false, false);
        }
    }

    /** Stores the last position the outputs confirmed, if it moved, and {@link #SAVE_MILLIS} passed or {@code now}. */
    void save(boolean now) {
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
}
