package org.tollgate.server.output;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.normalizer.json.JsonBlock;
import org.tollgate.server.LogFields;
import org.tollgate.server.bus.Addresses;
import org.tollgate.server.bus.EventChunk;
import org.tollgate.server.bus.ReadMark;
import org.tollgate.server.config.OutputSettings;
import org.tollgate.server.output.jsonl.JsonLinesLog;

/**
 * Writes events as JSON lines to a file or stdout ({@code path: -}) through Logback ({@link JsonLinesLog}), rolling
 * the file over when {@code rotate} says so. The event loop only queues the chunks of events; a writer thread writes
 * their JSON straight into one block of lines and hands the block to the appender (in {@code write(2)}s of 1 MiB):
 * when it reaches {@link #BLOCK_BYTES}, and once no chunk came for 5 ms, so a line is on disk within milliseconds at
 * low rates and in large blocks under load. The queue is bounded in events: when the disk cannot keep up, the events
 * of a chunk that does not fit are dropped and counted, and banning never waits for an output.
 */
public final class JsonlOutputVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(JsonlOutputVerticle.class);
    public static final int DEFAULT_QUEUE = 100_000;
    private static final Object STOP = new Object();
    /** How long the writer waits for more events before it writes what it holds. */
    private static final long FLUSH_AFTER_MILLIS = 5;
    /** Under steady load, a mark waits at most this long for the write that confirms it. */
    private static final long CONFIRM_AFTER_MILLIS = 100;
    /** A block is written once it holds this many bytes (about 2,000 events of all kinds). */
    static final int BLOCK_BYTES = 1 << 20;
    /** A full queue drains in well under a second; a rolled file being compressed can take a few. */
    private static final long STOP_WAIT_SECONDS = 10;

    private final OutputSettings.JsonlOutput settings;
    private final Clock clock;
    /** Chunks of events ({@link EventChunk}), at most {@link #capacity} events in all, and at the end {@link #STOP}. */
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final int capacity;
    private final AtomicInteger queued = new AtomicInteger();
    private final LongAdder written = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    /** The events in the writer's block (writer's thread only). */
    private int blockEvents;
    private MessageConsumer<EventChunk> consumer;
    private Thread writer;

    public JsonlOutputVerticle(OutputSettings.JsonlOutput settings, int queueSize) {
        this(settings, queueSize, Clock.systemDefaultZone());
    }

    /** @param clock the time and zone of daily rolls (midnight in this zone) */
    public JsonlOutputVerticle(OutputSettings.JsonlOutput settings, int queueSize, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.capacity = queueSize;
    }

    @Override
    public Future<?> start() throws Exception {
        JsonLinesLog log = JsonLinesLog.open(settings.path(), settings.rotate(), clock);
        writer = new Thread(() -> write(log), "tollgate-output-" + settings.type());
        writer.setDaemon(true);
        writer.start();
        consumer = vertx.eventBus().localConsumer(Addresses.EVENT_CHUNKS, message -> take(message.body()));
        return consumer.completion();
    }

    /**
     * Queues the chunk for the writer, if its events fit (a chunk is taken whole when nothing is queued). Dropped,
     * its events are counted and its mark said written at once: there is nothing to wait for.
     */
    private void take(EventChunk chunk) {
        int events = chunk.count(settings.allEvents());
        if (events == 0 && chunk.mark() == null) {
            return;
        }
        int now = queued.get();
        if (events > 0 && now > 0 && now + events > capacity) {
            dropped.add(events);
            if (chunk.mark() != null) {
                chunk.mark().written();
            }
            return;
        }
        queued.addAndGet(events);
        queue.add(chunk);
    }

    /** Stops taking events, then waits for the writer to write what is queued and close the file. */
    @Override
    public Future<?> stop() throws Exception {
        return consumer.unregister().compose(done -> vertx.executeBlocking(() -> {
            queue.add(STOP);
            writer.join(TimeUnit.SECONDS.toMillis(STOP_WAIT_SECONDS));
            if (writer.isAlive()) {
                writer.interrupt();
            }
            return null;
        }));
    }

    /**
     * Writes the chunks as they come into the block, and the block out as described above. A chunk's
     * {@link ReadMark} is said written once the block holding its events is written to the file (out of this process,
     * so a {@code kill -9} cannot lose them): at the next idle write, or at once when the last write is
     * {@link #CONFIRM_AFTER_MILLIS} old.
     */
    private void write(JsonLinesLog log) {
        // Room for the chunk that takes the block past its size (a larger one grows it once).
        JsonBlock block = new JsonBlock(BLOCK_BYTES + BLOCK_BYTES / 4);
        List<ReadMark> unconfirmed = new ArrayList<>();
        long lastWrite = System.nanoTime();
        try (log) {
            while (true) {
                Object next = queue.poll();
                if (next == null) {
                    next = queue.poll(FLUSH_AFTER_MILLIS, TimeUnit.MILLISECONDS);
                    if (next == null) {
                        lastWrite = write(log, block, unconfirmed);
                        next = queue.take();
                    }
                }
                if (next == STOP) {
                    write(log, block, unconfirmed);
                    return;
                }
                EventChunk chunk = (EventChunk) next;
                int events = chunk.count(settings.allEvents());
                queued.addAndGet(-events);
                if (events > 0 && add(chunk, events, block)) {
                    blockEvents += events;
                }
                if (chunk.mark() != null) {
                    unconfirmed.add(chunk.mark());
                }
                if (block.size() >= BLOCK_BYTES || !unconfirmed.isEmpty()
                        && System.nanoTime() - lastWrite > TimeUnit.MILLISECONDS.toNanos(CONFIRM_AFTER_MILLIS)) {
                    lastWrite = write(log, block, unconfirmed);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The chunk's events as JSON lines at the end of the block; an event that cannot be written drops the chunk.
     *
     * @return whether they are in the block
     */
    private boolean add(EventChunk chunk, int events, JsonBlock block) {
        int before = block.size();
        try {
            chunk.writeLines(settings.allEvents(), block);
            return true;
        } catch (RuntimeException e) {
            block.cut(before);
            dropped.add(events);
            LOG.atWarn().addKeyValue(LogFields.PATH, settings.path()).addKeyValue(LogFields.ERROR, e.toString())
                    .log("cannot write events as JSON; dropped");
            return false;
        }
    }

    /**
     * Writes the block to the file and flushes it, then confirms the marks of what it held; returns when. The events
     * of a block that did not reach the file (a full disk; the failure is in the log) are counted dropped: the marks
     * are confirmed still, as a full queue's are, since reading cannot wait for a disk that may stay full.
     */
    private long write(JsonLinesLog log, JsonBlock block, List<ReadMark> unconfirmed) {
        boolean reached = true;
        if (block.size() > 0) {
            reached = log.appendLines(block.bytes(), block.size());
            block.cut(0);
        }
        reached &= log.flush();
        (reached ? written : dropped).add(blockEvents);
        blockEvents = 0;
        unconfirmed.forEach(ReadMark::written);
        unconfirmed.clear();
        return System.nanoTime();
    }

    public long written() {
        return written.sum();
    }

    /** Events waiting to be written now. */
    public int queued() {
        return queued.get();
    }

    public long dropped() {
        return dropped.sum();
    }
}
