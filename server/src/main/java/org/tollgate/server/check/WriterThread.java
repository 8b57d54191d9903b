package org.tollgate.server.check;

import java.io.Flushable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import org.tollgate.normalizer.ParseResult;

/**
 * Hands results to a thread of their own that writes them ({@link JsonLines}), a batch of {@link #BATCH} at a time,
 * so that reading and normalizing the lines goes on one core while their JSON is written on another. At most
 * {@link #BATCHES} batches wait: a writer that falls behind (a slow pipe) holds the reader back, and memory stays
 * bounded. One queue, one writer: the lines come out in the order they were handed on.
 *
 * <p>{@link #flush()} hands on what is held and asks the writer to flush once it has written it, without waiting for
 * it: the reader calls it when its input goes quiet. A writer that fails stops writing and drops what comes after;
 * the failure is thrown to the reader at its next hand-off, and by {@link #close()}.
 */
public final class WriterThread implements Consumer<ParseResult>, Flushable, AutoCloseable {

    /** Results per hand-off: one queue operation per so many lines, not per line. */
    static final int BATCH = 1024;
    /** Batches handed on and not yet written, at most. */
    static final int BATCHES = 8;

    /** A batch of results; after them, the writer flushes when {@code flush}; {@code last} ends the thread. */
    private record Batch(ParseResult[] results, int size, boolean flush, boolean last) {
    }

    private final JsonLines lines;
    private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(BATCHES);
    private final Thread thread;
    private volatile Throwable failure;
    private ParseResult[] pending = new ParseResult[BATCH];
    private int size;
    private boolean closed;

    public WriterThread(JsonLines lines) {
        this.lines = lines;
        this.thread = new Thread(this::write, "tollgate-json-writer");
        // A reader that dies without close() must not keep the process alive.
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void accept(ParseResult result) {
        pending[size++] = result;
        if (size == BATCH) {
            handOn(false, false);
        }
    }

    /** Hands on what is held; the writer flushes its output after writing it. Does not wait for the writer. */
    @Override
    public void flush() {
        handOn(true, false);
    }

    /**
     * Hands on what is held, waits until the writer has written and flushed everything, and ends it.
     *
     * @throws IOException the writer's failure, if it failed
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            queue.put(new Batch(pending, size, true, true));
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the output was being written", e);
        }
        Throwable failed = failure;
        if (failed instanceof UncheckedIOException unchecked) {
            throw unchecked.getCause();
        }
        if (failed instanceof IOException io) {
            throw io;
        }
        if (failed != null) {
            throw new IOException(failed.toString(), failed);
        }
    }

    private void handOn(boolean flush, boolean last) {
        throwFailure();
        if (closed) {
            throw new IllegalStateException("the writer thread was closed");
        }
        if (size == 0 && !flush) {
            return;
        }
        try {
            queue.put(new Batch(pending, size, flush, last));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing results to the writer", e);
        }
        pending = new ParseResult[BATCH];
        size = 0;
    }

    private void throwFailure() {
        Throwable failed = failure;
        if (failed instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failed instanceof IOException io) {
            throw new UncheckedIOException(io);
        }
        if (failed != null) {
            throw new IllegalStateException(failed.toString(), failed);
        }
    }

    /** The writer: writes each batch in order until the last one; after a failure, only takes them. */
    private void write() {
        while (true) {
            Batch batch;
            try {
                batch = queue.take();
            } catch (InterruptedException e) {
                failure = e;
                return;
            }
            if (failure == null) {
                try {
                    for (int i = 0; i < batch.size(); i++) {
                        lines.accept(batch.results()[i]);
                    }
                    if (batch.flush()) {
                        lines.flush();
                    }
                } catch (IOException | RuntimeException | Error e) {
                    failure = e;
                }
            }
            if (batch.last()) {
                return;
            }
        }
    }
}
