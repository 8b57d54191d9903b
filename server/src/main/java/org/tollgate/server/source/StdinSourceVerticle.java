package org.tollgate.server.source;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.normalizer.Normalizer;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.normalizer.input.LineSplitter;
import org.tollgate.server.LogFields;
import org.tollgate.server.config.SourceSettings;

/**
 * Reads the lines of a {@code type: stdin} source ({@code tail -F full | tollgate run}, {@code journalctl -o json |
 * tollgate run --once}) on a thread of its own and hands each, normalized, to the {@link LineHandler}, the lines of
 * one read together. At the end of the input the source is done; the service goes on with its other sources.
 *
 * <p>Reading goes at the pace of the slowest output, as a file's does ({@link ConfirmedPositions}, with nothing to
 * store): a pipe fed faster than an output writes waits in the pipe instead of filling the output's queue. Under
 * {@code run --once} every line read is written before the source is done, or it ends failed saying how many were
 * not; following a live pipe, an output stuck for seconds is read past, as for a file.
 */
public final class StdinSourceVerticle extends VerticleBase implements LineSource {

    private static final Logger LOG = LoggerFactory.getLogger(StdinSourceVerticle.class);

    /** The name on the marks of stdin's reads (a file's would be its key): nothing is stored for a pipe. */
    private static final String KEY = "stdin";

    private final SourceSettings.StdinSource settings;
    private final LineHandler handler;
    private final Clock clock;
    private final SourceOptions reading;
    private final InputStream in;
    private volatile boolean running = true;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private volatile long linesRead;
    private Thread thread;

    /** @param reading the service's numbering plan and endpoint table, shared with its other sources */
    public StdinSourceVerticle(SourceSettings.StdinSource settings, LineHandler handler, Clock clock,
                               SourceOptions reading) {
        this(settings, handler, clock, reading, System.in);
    }

    StdinSourceVerticle(SourceSettings.StdinSource settings, LineHandler handler, Clock clock, SourceOptions reading,
                        InputStream in) {
        this.settings = settings;
        this.reading = reading;
        this.handler = handler;
        this.clock = clock;
        this.in = in;
    }

    @Override
    public Future<?> start() {
        Normalizer normalizer = new Normalizer(reading.of(settings, clock));
        LineHandler lines = handler.chunked(context);
        ConfirmedPositions positions = new ConfirmedPositions(lines, null, reading.toEnd());
        thread = new Thread(() -> read(normalizer, lines, positions), "tollgate-stdin");
        thread.setDaemon(true);
        thread.start();
        return Future.succeededFuture();
    }

    /**
     * Stops handing on lines. A read blocked on an open stdin cannot be interrupted; the thread is a daemon and ends
     * with the process.
     */
    @Override
    public Future<?> stop() {
        running = false;
        return vertx.executeBlocking(() -> {
            thread.join(1_000);
            return null;
        });
    }

    private void read(Normalizer normalizer, LineHandler lines, ConfirmedPositions positions) {
        Consumer<ParseResult> out = lines::handle;
        // A plain line is read from its bytes, as a file's is (Normalizer#normalizePlain).
        LineSplitter splitter = new LineSplitter(LineSplitter.DEFAULT_MAX_LINE_BYTES, (line, truncated) -> {
            if (running) {
                linesRead++;
                positions.lineRead();
                normalizer.normalize(line, truncated, out);
            }
        }, (bytes, from, to, plain) -> {
            if (plain && running) {
                linesRead++;
                positions.lineRead();
                normalizer.normalizePlain(bytes, from, to, true, out);
            }
            return plain;
        });
        byte[] buffer = new byte[64 * 1024];
        long offset = 0;
        try {
            int read;
            while (running && (read = in.read(buffer)) >= 0) {
                splitter.feed(buffer, 0, read);
                offset += read;
                positions.endOfChunk(KEY, offset - splitter.pendingBytes(), normalizer.holdsLines());
            }
            splitter.finish();
            normalizer.flush(out);
            positions.endOfChunk(KEY, offset, false);
            positions.awaitLastConfirmed();
            LOG.atInfo().addKeyValue(LogFields.LINES, linesRead).log("end of stdin");
        } catch (IOException e) {
            LOG.atWarn().addKeyValue(LogFields.ERROR, e.toString()).log("reading stdin failed; the source stops");
        } catch (ConfirmedPositions.OutputsFailed e) {
            ended.completeExceptionally(new IOException("stdin: " + e.getMessage(), e));
        } catch (RejectedExecutionException e) {
            // The service closed while lines were still being handed on.
            LOG.atWarn().log("stdin: stopped while lines were still being handed on");
        } finally {
            ended.complete(null);
        }
    }

    @Override
    public long linesRead() {
        return linesRead;
    }

    /** True once the input has ended (or failed). */
    public boolean ended() {
        return ended.isDone();
    }

    /**
     * Done once stdin is closed and its last line handed on, under {@code run --once} written by every output (a failed
     * read ends it too, logged); failed, saying why in one line, when the outputs did not write what was read.
     */
    @Override
    public CompletionStage<Void> end() {
        return ended;
    }
}
