package org.tollgate.server.output;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;
import org.tollgate.server.LogFields;
import org.tollgate.server.bus.ReadMark;

/**
 * A TCP connection to a collector that stays up: framed events wait in a bounded queue while the socket cannot take
 * them, and the connection is made again with {@link Backoff} whenever it fails or breaks. A full queue drops the new
 * event and counts it, so a slow or absent collector never holds up anything else. Every method except the getters
 * runs on the owning verticle's event loop, and none of them blocks.
 */
final class TcpForwarder {

    private static final Logger LOG = LoggerFactory.getLogger(TcpForwarder.class);
    private static final long END_TIMEOUT_MILLIS = 2_000;

    private final String output;
    private final String host;
    private final int port;
    private final int capacity;
    private final Backoff backoff;
    /** Frames ({@link Buffer}) and, between them, the {@link ReadMark}s of the chunks they came in. */
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    /** The last frame handed to the socket, whose completion a mark after it waits for; null when none. */
    private Future<Void> lastWrite;
    private final LongAdder sent = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder connects = new LongAdder();
    private volatile ForwardingOutput.State state = ForwardingOutput.State.WAITING;
    private volatile int queued;
    private Vertx vertx;
    private NetClient client;
    private NetSocket socket;
    private long retryTimer = -1;
    private boolean outageLogged;

    /**
     * @param output   the output's type, for logs
     * @param capacity the most frames that wait; more are dropped
     */
    TcpForwarder(String output, String host, int port, int capacity, Backoff backoff) {
        this.output = output;
        this.host = host;
        this.port = port;
        this.capacity = capacity;
        this.backoff = backoff;
    }

    /** Starts connecting; frames offered before the connection is up wait in the queue. */
    void start(Vertx vertx, NetClientOptions options) {
        this.vertx = vertx;
        this.client = vertx.createNetClient(options);
        connect();
    }

    /** Queues one framed event, or drops it when the queue is full. */
    void offer(Buffer frame) {
        if (queue.size() >= capacity) {
            dropped.increment();
            return;
        }
        queue.add(frame);
        queued = queue.size();
        pump();
    }

    /**
     * The mark of the chunk whose frames were offered last: said written once they are in the socket (or dropped).
     * While the collector is away it waits with them, so the source's stored position waits too; with the queue full,
     * the chunk's frames were dropped and the mark is said written at once.
     */
    void mark(ReadMark mark) {
        if (queue.size() >= capacity) {
            mark.written();
            return;
        }
        queue.add(mark);
        pump();
    }

    /** Writes what is queued, then closes the connection; frames the socket cannot take in time are lost. */
    Future<Void> stop() {
        state = ForwardingOutput.State.STOPPED;
        if (retryTimer >= 0) {
            vertx.cancelTimer(retryTimer);
        }
        NetSocket open = socket;
        if (open == null) {
            return client == null ? Future.succeededFuture() : client.close();
        }
        pump();
        return open.end().timeout(END_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .recover(slow -> Sockets.abort(open))
                .eventually(() -> client.close());
    }

    private void connect() {
        state = ForwardingOutput.State.CONNECTING;
        client.connect(port, host).onComplete(result -> {
            if (state == ForwardingOutput.State.STOPPED) {
                if (result.succeeded()) {
                    result.result().close();
                }
                return;
            }
            if (result.failed()) {
                retryLater("cannot connect to the collector", result.cause());
                return;
            }
            connected(result.result());
        });
    }

    private void connected(NetSocket connection) {
        socket = connection;
        state = ForwardingOutput.State.CONNECTED;
        connects.increment();
        LOG.atInfo().addKeyValue(LogFields.OUTPUT, output).addKeyValue(LogFields.HOST, host).addKeyValue(LogFields.PORT, port)
                .addKeyValue(LogFields.ATTEMPTS, backoff.attempts() + 1).addKeyValue(LogFields.QUEUED, queue.size())
                .log("connected to the collector");
        backoff.reset();
        outageLogged = false;
        // A collector has nothing to say; whatever it sends is read and discarded so it never fills a buffer.
        connection.handler(ignored -> { });
        connection.drainHandler(ignored -> pump());
        connection.exceptionHandler(e -> LOG.atDebug().addKeyValue(LogFields.OUTPUT, output).setCause(e)
                .log("connection error"));
        connection.closeHandler(ignored -> {
            if (socket == connection) {
                socket = null;
                if (state != ForwardingOutput.State.STOPPED) {
                    retryLater("the collector closed the connection", null);
                }
            }
        });
        pump();
    }

    private void retryLater(String why, Throwable cause) {
        state = ForwardingOutput.State.WAITING;
        long delay = backoff.nextDelayMillis();
        // Once per outage at warn: a collector down for an hour would otherwise log every 30 s.
        LoggingEventBuilder log = outageLogged ? LOG.atDebug() : LOG.atWarn();
        log = log.addKeyValue(LogFields.OUTPUT, output).addKeyValue(LogFields.HOST, host).addKeyValue(LogFields.PORT, port)
                .addKeyValue(LogFields.RETRY_MS, delay);
        if (cause != null) {
            log = log.addKeyValue(LogFields.ERROR, cause.toString());
        }
        log.log(outageLogged ? why : why + "; retrying with backoff, events queue meanwhile");
        outageLogged = true;
        retryTimer = vertx.setTimer(delay, id -> {
            retryTimer = -1;
            connect();
        });
    }

    /** Moves queued frames into the socket until it reports a full write queue; its drain handler resumes. */
    private void pump() {
        NetSocket out = socket;
        if (out == null) {
            return;
        }
        while (!queue.isEmpty() && !out.writeQueueFull()) {
            Object next = queue.poll();
            if (next instanceof ReadMark mark) {
                Future<Void> before = lastWrite;
                if (before == null || before.isComplete()) {
                    mark.written();
                } else {
                    before.onComplete(done -> mark.written());
                }
                continue;
            }
            lastWrite = out.write((Buffer) next);
            lastWrite.onComplete(written -> {
                if (written.succeeded()) {
                    sent.increment();
                } else {
                    dropped.increment();
                }
            });
        }
        queued = queue.size();
    }

    ForwardingOutput.State state() {
        return state;
    }

    long sent() {
        return sent.sum();
    }

    long dropped() {
        return dropped.sum();
    }

    int queued() {
        return queued;
    }

    long connects() {
        return connects.sum();
    }
}
