package org.tollgate.server.output;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.tollgate.server.bus.Addresses;
import org.tollgate.server.bus.EventChunk;
import org.tollgate.server.bus.ReadMark;
import org.tollgate.server.config.OutputSettings;
import org.tollgate.server.output.jsonl.JsonLinesLog;

/**
 * Writes events as JSON lines to a file or stdout ({@code path: -}) through Logback ({@link JsonLinesLog}), rolling
 * the file over when {@code rotate} says so. The event loop only queues; a writer thread hands each event to the
 * appender and flushes once no event came for 5 ms, so a line is on disk within milliseconds at low rates and
 * written in large blocks under load. The queue is bounded: when the disk cannot keep up, events are dropped and
 * counted, and banning never waits for an output.
 */
public final class JsonlOutputVerticle extends VerticleBase {

    public static final int DEFAULT_QUEUE = 100_000;
    private static final Object STOP = new Object();
    /** How long the writer waits for more events before it flushes what it holds. */
    private static final long FLUSH_AFTER_MILLIS = 5;
    /** Under steady load, a mark waits at most this long for the flush that confirms it. */
    private static final long CONFIRM_AFTER_MILLIS = 100;
    /** A full queue drains in well under a second; a rolled file being compressed can take a few. */
    private static final long STOP_WAIT_SECONDS = 10;

    private final OutputSettings.JsonlOutput settings;
    private final Clock clock;
    /** Events ({@link Buffer}) and, after each chunk's events, its {@link ReadMark}. */
    private final BlockingQueue<Object> queue;
    private final LongAdder written = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private MessageConsumer<EventChunk> consumer;
    private Thread writer;

    public JsonlOutputVerticle(OutputSettings.JsonlOutput settings, int queueSize) {
        this(settings, queueSize, Clock.systemDefaultZone());
    }

    /** @param clock the time and zone of daily rolls (midnight in this zone) */
    public JsonlOutputVerticle(OutputSettings.JsonlOutput settings, int queueSize, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.queue = new ArrayBlockingQueue<>(queueSize);
    }

    @Override
    public Future<?> start() throws Exception {
        JsonLinesLog log = JsonLinesLog.open(settings.path(), settings.rotate(), clock);
        writer = new Thread(() -> write(log), "tollgate-output-" + settings.type());
        writer.setDaemon(true);
        writer.start();
        consumer = vertx.eventBus().localConsumer(Addresses.EVENT_CHUNKS,
                message -> message.body().forEach(settings.allEvents(), json -> {
                    if (!queue.offer(json)) {
                        dropped.increment();
                    }
                }, mark -> {
                    if (!queue.offer(mark)) {
                        mark.written(); // the chunk's events were dropped: nothing to wait for
                    }
                }));
        return consumer.completion();
    }

    /** Stops taking events, then waits for the writer to write what is queued and close the file. */
    @Override
    public Future<?> stop() throws Exception {
        return consumer.unregister().compose(done -> vertx.executeBlocking(() -> {
            if (!queue.offer(STOP, STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                writer.interrupt();
            }
            writer.join(TimeUnit.SECONDS.toMillis(STOP_WAIT_SECONDS));
            return null;
        }));
    }

    /**
     * Appends events as they come. A chunk's {@link ReadMark} is said written when the events before it are flushed
     * to the file (out of this process, so a {@code kill -9} cannot lose them): at the next idle flush, or at once
     * when the last flush is {@link #CONFIRM_AFTER_MILLIS} old.
     */
    private void write(JsonLinesLog log) {
        List<ReadMark> unconfirmed = new ArrayList<>();
        long lastFlush = System.nanoTime();
        try (log) {
            while (true) {
                Object next = queue.poll();
                if (next == null) {
                    // Idle for a moment: flush then. Under load the appender's buffer fills and goes out in 64 KiB
                    // writes instead of one write per event or two.
                    next = queue.poll(FLUSH_AFTER_MILLIS, TimeUnit.MILLISECONDS);
                    if (next == null) {
                        lastFlush = flush(log, unconfirmed);
                        next = queue.take();
                    }
                }
                if (next == STOP) {
                    flush(log, unconfirmed);
                    return;
                }
                if (next instanceof ReadMark mark) {
                    unconfirmed.add(mark);
                    if (System.nanoTime() - lastFlush > TimeUnit.MILLISECONDS.toNanos(CONFIRM_AFTER_MILLIS)) {
                        lastFlush = flush(log, unconfirmed);
                    }
                } else if (log.append((Buffer) next)) {
                    written.increment();
                } else {
                    dropped.increment();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Flushes the file, then confirms the marks of what it held; returns when. */
    private static long flush(JsonLinesLog log, List<ReadMark> unconfirmed) {
        log.flush();
        unconfirmed.forEach(ReadMark::written);
        unconfirmed.clear();
        return System.nanoTime();
    }

    public long written() {
        return written.sum();
    }

    /** Events waiting to be written now. */
    public int queued() {
        return queue.size();
    }

    public long dropped() {
        return dropped.sum();
    }
}
