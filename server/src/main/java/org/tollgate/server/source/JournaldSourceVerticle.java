package org.tollgate.server.source;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.tollgate.banner.store.ReadPositions;
import org.tollgate.normalizer.NormalizerOptions;
import org.tollgate.server.config.SourceSettings;

/**
 * Follows one systemd unit's journal for a {@code type: journald} source: runs
 * {@code journalctl --follow --output=json --unit=<unit>} (an argument vector, never a shell) and hands each record
 * to the {@link LineHandler} through the normalizer. The work is in {@link JournalFollower}, on its own thread.
 */
public final class JournaldSourceVerticle extends VerticleBase implements LineSource {

    static final List<String> JOURNALCTL = List.of("journalctl");
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

    private final SourceSettings.JournaldSource settings;
    private final LineHandler handler;
    private final ReadPositions store;
    private final Clock clock;
    private final SourceOptions reading;
    private final List<String> command;
    private final Duration firstBackoff;
    private JournalFollower follower;

    /** @param reading the service's numbering plan and endpoint table, shared with its other sources */
    public JournaldSourceVerticle(SourceSettings.JournaldSource settings, LineHandler handler, ReadPositions store,
                                  Clock clock, SourceOptions reading) {
        this(settings, handler, store, clock, reading, JOURNALCTL, FIRST_BACKOFF);
    }

    /**
     * @param command      the program run instead of {@code journalctl} (and arguments before the ones added)
     * @param firstBackoff the pause before the first restart of an exited journalctl
     */
    JournaldSourceVerticle(SourceSettings.JournaldSource settings, LineHandler handler, ReadPositions store, Clock clock,
                           SourceOptions reading, List<String> command, Duration firstBackoff) {
        this.settings = settings;
        this.reading = reading;
        this.handler = handler;
        this.store = store;
        this.clock = clock;
        this.command = List.copyOf(command);
        this.firstBackoff = firstBackoff;
    }

    @Override
    public Future<?> start() {
        NormalizerOptions options = reading.of(settings, clock);
        follower = new JournalFollower(command, settings.unit(), settings.since(), options, handler, store,
                firstBackoff);
        return vertx.executeBlocking(() -> {
            try {
                follower.start();
            } catch (IOException e) {
                throw new IOException("source journald (unit " + settings.unit() + "): cannot run "
                        + command.get(0) + ": " + e.getMessage(), e);
            }
            return null;
        });
    }

    @Override
    public Future<?> stop() {
        return vertx.executeBlocking(() -> {
            follower.stop();
            return null;
        });
    }

    @Override
    public long linesRead() {
        return follower == null ? 0 : follower.linesRead();
    }

    /** How many times journalctl was started. */
    long starts() {
        return follower == null ? 0 : follower.starts();
    }
}
