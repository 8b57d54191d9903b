package org.tollgate.server.api;

import java.util.ArrayDeque;
import java.util.function.Consumer;
import org.tollgate.server.bus.EventChunk;

/**
 * The chunks of events the status counts ({@link AttackStats}) wait in, at most {@link #LIMIT}: a chunk that finds it
 * full is not counted, so however fast the sources read, the API holds a few chunks, never a flood's backlog; the
 * counts of a flood are then a sample of it, and {@link #skipped()} says how many events they missed. Each waiting
 * chunk is counted in a task of its own, so chunks that arrive meanwhile are taken (or skipped) between them. Used on
 * the API verticle's event loop only.
 */
final class CountingBacklog {

    /** Chunks waiting to be counted, at most: a few thousand events. */
    static final int LIMIT = 16;

    private final ArrayDeque<EventChunk> waiting = new ArrayDeque<>();
    private final Consumer<EventChunk> count;
    private final Consumer<Runnable> later;
    private boolean scheduled;
    private long skipped;

    /**
     * @param count counts one chunk
     * @param later runs a task after the ones already waiting on the event loop
     */
    CountingBacklog(Consumer<EventChunk> count, Consumer<Runnable> later) {
        this.count = count;
        this.later = later;
    }

    /** Takes a chunk to count, or skips it when {@link #LIMIT} wait already. */
    void offer(EventChunk chunk) {
        if (waiting.size() >= LIMIT) {
            skipped += chunk.size();
            return;
        }
        waiting.add(chunk);
        if (!scheduled) {
            scheduled = true;
            later.accept(this::countOne);
        }
    }

    /** Events not counted because too many waited. */
    long skipped() {
        return skipped;
    }

    private void countOne() {
        EventChunk chunk = waiting.poll();
        if (chunk != null) {
            count.accept(chunk);
        }
        if (waiting.isEmpty()) {
            scheduled = false;
        } else {
            later.accept(this::countOne);
        }
    }
}
