package org.tollgate.server.source;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.banner.store.ReadPositions;
import org.tollgate.normalizer.NormalizerOptions;
import org.tollgate.server.LogFields;
import org.tollgate.server.config.SourceSettings;

/**
 * Follows the files of one {@code type: file} source (a path or a glob such as {@code /var/log/asterisk/*.log}),
 * each on its own thread, and hands every normalized line to the {@link LineHandler}. With
 * {@link SourceOptions#toEnd()}, each file is read to its end and every line written ({@link FileFollower}); the
 * source's {@link #end()} is then its files' ends.
 */
public final class FileSourceVerticle extends VerticleBase implements LineSource {

    private final SourceSettings.FileSource settings;
    private final LineHandler handler;
    private final ReadPositions store;
    private final Clock clock;
    private final SourceOptions reading;
    private static final Logger LOG = LoggerFactory.getLogger(FileSourceVerticle.class);

    /** Longer than a rotation takes between the rename and the new file (Asterisk's logger reload). */
    static final Duration MISSING_IS_A_PROBLEM = Duration.ofSeconds(10);

    private final List<FileFollower> followers = new ArrayList<>();
    private volatile String problem;

    /** @param reading the service's numbering plan and endpoint table, shared with its other sources */
    public FileSourceVerticle(SourceSettings.FileSource settings, LineHandler handler, ReadPositions store, Clock clock,
                              SourceOptions reading) {
        this.settings = settings;
        this.reading = reading;
        this.handler = handler;
        this.store = store;
        this.clock = clock;
    }

    @Override
    public Future<?> start() throws Exception {
        Path directory = Path.of(settings.path()).toAbsolutePath().getParent();
        if (directory != null && !Files.isDirectory(directory)) {
            problem = "source file (line " + settings.line() + "): " + settings.path() + ": the directory " + directory
                    + " does not exist, so nothing is read from it; create it or fix the path";
            LOG.atWarn().addKeyValue(LogFields.PATH, settings.path()).addKeyValue(LogFields.LINE, settings.line())
                    .log(problem);
            if (glob()) {
                // A glob is expanded once, at start: restart once the directory exists.
                return Future.succeededFuture();
            }
        }
        NormalizerOptions options = reading.of(settings, clock);
        for (Path path : expand(settings.path())) {
            FileFollower follower = new FileFollower(path, options, handler.chunked(context), store,
                    settings.start().equals("end"), reading.toEnd(), clock);
            followers.add(follower);
            follower.start();
        }
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        return vertx.executeBlocking(() -> {
            for (FileFollower follower : followers) {
                follower.stop();
            }
            return null;
        });
    }

    @Override
    public List<String> problems() {
        String now = problem;
        if (now != null && !glob() && Files.isDirectory(Path.of(settings.path()).toAbsolutePath().getParent())) {
            problem = null;
            now = null;
        }
        List<String> problems = new ArrayList<>();
        if (now != null) {
            problems.add(now);
        }
        for (FileFollower follower : followers) {
            Duration missing = follower.missingFor();
            if (missing != null && missing.compareTo(MISSING_IS_A_PROBLEM) >= 0) {
                problems.add("source file (line " + settings.line() + "): " + follower.path() + " does not exist (for "
                        + missing.toSeconds() + " s): nothing is read from it until it is created again");
            }
            Duration unreadable = follower.unreadableFor();
            if (unreadable != null) {
                problems.add("source file (line " + settings.line() + "): " + follower.path() + " cannot be read "
                        + "(permission denied, for " + unreadable.toSeconds() + " s): nothing is read from it until "
                        + "its mode or owner lets this service read it");
            }
        }
        return problems;
    }

    @Override
    public long linesRead() {
        return followers.stream().mapToLong(FileFollower::linesRead).sum();
    }

    /** Reading to the end: done when every file is; the first failure otherwise. Null when following. */
    @Override
    public CompletionStage<Void> end() {
        if (!reading.toEnd()) {
            return null;
        }
        return CompletableFuture.allOf(followers.stream().map(follower -> follower.end().toCompletableFuture())
                .toArray(CompletableFuture[]::new));
    }

    private boolean glob() {
        String path = settings.path();
        return path.indexOf('*') >= 0 || path.indexOf('?') >= 0 || path.indexOf('[') >= 0;
    }

    /** The files a path names: itself, or every existing match of a glob in its directory. */
    static List<Path> expand(String pattern) throws IOException {
        if (pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0 && pattern.indexOf('[') < 0) {
            return List.of(Path.of(pattern));
        }
        Path glob = Path.of(pattern);
        Path directory = glob.getParent() == null ? Path.of(".") : glob.getParent();
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> matches = Files.newDirectoryStream(directory, glob.getFileName().toString())) {
            for (Path match : matches) {
                if (Files.isRegularFile(match)) {
                    files.add(match);
                }
            }
        }
        files.sort(null);
        return files;
    }
}
