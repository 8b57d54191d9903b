package org.tollgate.server.output;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.server.bus.Addresses;
import org.tollgate.server.config.OutputSettings;

/**
 * Writes events as JSON lines to a file or stdout ({@code path: -}). The event loop only queues; a writer thread
 * writes. The queue is bounded: when the disk cannot keep up, events are dropped and counted, and banning never
 * waits for an output.
 */
public final class JsonlOutputVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(JsonlOutputVerticle.class);
    public static final int DEFAULT_QUEUE = 100_000;
    private static final Buffer STOP = Buffer.buffer();
    /** How long the writer waits for more events before it flushes what it holds. */
    private static final long FLUSH_AFTER_MILLIS = 5;

    private final OutputSettings settings;
    private final BlockingQueue<Buffer> queue;
    private final LongAdder written = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private MessageConsumer<Buffer> consumer;
    private Thread writer;

    public JsonlOutputVerticle(OutputSettings settings, int queueSize) {
        this.settings = settings;
        this.queue = new ArrayBlockingQueue<>(queueSize);
    }

    @Override
    public Future<?> start() throws Exception {
        OutputStream out = open();
        writer = new Thread(() -> write(out), "tollgate-output-" + settings.type());
        writer.setDaemon(true);
        writer.start();
        consumer = vertx.eventBus().consumer(Addresses.EVENTS, message -> {
            if (!settings.allEvents() && !"true".equals(message.headers().get(Addresses.SECURITY))) {
                return;
            }
            if (!queue.offer(message.body())) {
                dropped.increment();
            }
        });
        return consumer.completion();
    }

    @Override
    public Future<?> stop() throws Exception {
        return consumer.unregister().compose(done -> vertx.executeBlocking(() -> {
            queue.put(STOP);
            writer.join(5_000);
            return null;
        }));
    }

    private OutputStream open() throws IOException {
        if (settings.path().equals("-")) {
            return new BufferedOutputStream(new FileOutputStream(java.io.FileDescriptor.out), 64 * 1024);
        }
        Path path = Path.of(settings.path());
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        return new BufferedOutputStream(new FileOutputStream(path.toFile(), true), 64 * 1024);
    }

    private void write(OutputStream out) {
        try (out) {
            while (true) {
                Buffer line = queue.poll();
                if (line == null) {
                    // Idle for a moment: flush then. Under load the buffer fills and goes out in 64 KiB writes
                    // instead of one write per event or two.
                    line = queue.poll(FLUSH_AFTER_MILLIS, TimeUnit.MILLISECONDS);
                    if (line == null) {
                        out.flush();
                        line = queue.take();
                    }
                }
                if (line == STOP) {
                    return;
                }
                ((BufferInternal) line).getByteBuf().getBytes(0, out, line.length());
                out.write('\n');
                written.increment();
            }
        } catch (IOException e) {
            LOG.atError().addKeyValue("path", settings.path()).setCause(e).log("cannot write events");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
