package org.tollgate.server.source;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.normalizer.Normalizer;
import org.tollgate.normalizer.input.LineSplitter;
import org.tollgate.server.LogFields;
import org.tollgate.server.config.SourceSettings;

/**
 * Reads the lines of a {@code type: stdin} source ({@code tail -F full | tollgate run}, {@code journalctl -o json |
 * tollgate run --once}) on a thread of its own and hands each, normalized, to the {@link LineHandler}. At the end of
 * the input the source is done; the service goes on with its other sources.
 */
public final class StdinSourceVerticle extends VerticleBase implements LineSource {

    private static final Logger LOG = LoggerFactory.getLogger(StdinSourceVerticle.class);

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
        thread = new Thread(() -> read(normalizer), "tollgate-stdin");
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

    private void read(Normalizer normalizer) {
        LineSplitter splitter = new LineSplitter(LineSplitter.DEFAULT_MAX_LINE_BYTES, (line, truncated) -> {
            if (running) {
                linesRead++;
                normalizer.normalize(line, truncated, handler::handle);
            }
        });
        byte[] buffer = new byte[64 * 1024];
        try {
            int read;
            while (running && (read = in.read(buffer)) >= 0) {
                splitter.feed(buffer, 0, read);
            }
            splitter.finish();
            normalizer.flush(handler::handle);
            LOG.atInfo().addKeyValue(LogFields.LINES, linesRead).log("end of stdin");
        } catch (IOException e) {
            LOG.atWarn().addKeyValue(LogFields.ERROR, e.toString()).log("reading stdin failed; the source stops");
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

    /** Done once stdin is closed and its last line handed on (a failed read ends it too, logged). */
    @Override
    public CompletionStage<Void> end() {
        return ended;
    }
}
