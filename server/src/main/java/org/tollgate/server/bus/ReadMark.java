package org.tollgate.server.bus;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where a source's reading stood after the lines of a chunk, travelling with the chunk to the outputs: each output
 * says {@link #written()} once it has written the chunk's events (or given them up: a full queue drops them, and
 * they are counted there), and when the last one has, {@code onWritten} runs. A source stores as its read position
 * only what its outputs have written, so a restart after {@code kill -9} sends again at most what was in flight.
 *
 * <p>Every output says {@code written()} in the order it took the chunks, so a source's marks complete in order.
 * Thread-safe: outputs call it from their own threads.
 */
public final class ReadMark {

    private final AtomicInteger pending;
    private final Runnable onWritten;

    /** @param outputs how many outputs will say {@link #written()}; with none, {@code onWritten} runs at once */
    ReadMark(int outputs, Runnable onWritten) {
        this.pending = new AtomicInteger(outputs);
        this.onWritten = onWritten;
        if (outputs == 0) {
            onWritten.run();
        }
    }

    /** One output has written (or dropped) the events of the chunk this mark came with. */
    public void written() {
        if (pending.decrementAndGet() == 0) {
            onWritten.run();
        }
    }
}
