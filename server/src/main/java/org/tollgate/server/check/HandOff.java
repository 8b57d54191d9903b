package org.tollgate.server.check;

import java.io.Flushable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * Hands items to a thread of their own that passes them on ({@code next}), a batch at a time, so that the work before
 * the hand-off goes on one core while the work after it goes on another. A batch closes at {@link #BATCH} items or
 * once its items weigh {@link #BATCH_WEIGHT} (characters of the lines they hold: a batch of 64 KiB lines is short);
 * at most {@link #BATCHES} batches wait. A thread after the hand-off that falls behind (a slow pipe) holds the one
 * before it back, and memory stays bounded. One queue, one thread: the items come out in the order they went in.
 *
 * <p>{@link #flush()} hands on what is held and asks the thread to flush {@code output} once it has passed it on,
 * without waiting for it: the reader calls it when its input goes quiet. A thread that fails stops passing items on
 * and drops what comes after; the failure is thrown to the caller at its next hand-off, and by {@link #close()}.
 * One thread hands on: the handing side is not thread-safe.
 *
 * @param <T> what is handed on
 */
public final class HandOff<T> implements Consumer<T>, Flushable, AutoCloseable {

    /** Items per hand-off, at most: one queue operation per so many lines, not per line. */
    static final int BATCH = 1024;
    /** A batch closes once its items weigh this much, so long lines make short batches. */
    static final int BATCH_WEIGHT = 256 * 1024;
    /** Batches handed on and not yet passed on, at most. */
    static final int BATCHES = 8;

    /** A batch of items; after them, the thread flushes when {@code flush}; {@code last} ends the thread. */
    private record Batch(Object[] items, int size, boolean flush, boolean last) {
    }

    private final Consumer<? super T> next;
    private final Flushable output;
    private final ToIntFunction<? super T> weight;
    private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(BATCHES);
    private final Thread thread;
    private volatile Throwable failure;
    private Object[] pending = new Object[BATCH];
    private int size;
    private long pendingWeight;
    private boolean closed;

    /**
     * @param name   the thread's name
     * @param next   what each item is passed to, on the thread
     * @param output flushed on the thread after the items handed on before a {@link #flush()} or {@link #close()}
     * @param weight how much memory an item holds, in characters of text (roughly)
     */
    public HandOff(String name, Consumer<? super T> next, Flushable output, ToIntFunction<? super T> weight) {
        this.next = next;
        this.output = output;
        this.weight = weight;
        this.thread = new Thread(this::passOn, name);
        // A caller that dies without close() must not keep the process alive.
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void accept(T item) {
        pending[size++] = item;
        pendingWeight += weight.applyAsInt(item);
        if (size == BATCH || pendingWeight >= BATCH_WEIGHT) {
            handOn(false);
        }
    }

    /** Hands on what is held; the thread flushes the output after passing it on. Does not wait for the thread. */
    @Override
    public void flush() {
        handOn(true);
    }

    /**
     * Hands on what is held, waits until the thread has passed everything on and flushed the output, and ends it.
     *
     * @throws IOException the thread's failure, if it failed
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
            throw new IOException("interrupted while waiting for " + thread.getName(), e);
        }
        pending = null;
        Throwable failed = failure;
        if (failed instanceof UncheckedIOException unchecked) {
            throw unchecked.getCause();
        }
        if (failed instanceof IOException io) {
            throw io;
        }
        if (failed instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failed != null) {
            throw new IOException(failed.toString(), failed);
        }
    }

    private void handOn(boolean flush) {
        throwFailure();
        if (closed) {
            throw new IllegalStateException(thread.getName() + " was closed");
        }
        if (size == 0 && !flush) {
            return;
        }
        try {
            queue.put(new Batch(pending, size, flush, false));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing on to " + thread.getName(), e);
        }
        pending = new Object[BATCH];
        size = 0;
        pendingWeight = 0;
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

    /** The thread: passes each batch on in order until the last one; after a failure, only takes them. */
    @SuppressWarnings("unchecked")
    private void passOn() {
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
                    Object[] items = batch.items();
                    for (int i = 0; i < batch.size(); i++) {
                        next.accept((T) items[i]);
                    }
                    if (batch.flush()) {
                        output.flush();
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
