package org.tollgate.server.check;

import java.io.Flushable;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Consumer;
import org.tollgate.normalizer.AsteriskEvent;
import org.tollgate.normalizer.Normalizer;
import org.tollgate.normalizer.NormalizerOptions;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.normalizer.correlate.EndpointAddresses;
import org.tollgate.normalizer.input.LineSplitter;

/**
 * Runs inputs through the normalizer the way {@code tollgate check} shows them: each file with its own normalizer
 * (the file's modification time anchors year-less stamps), every result counted, and handed on.
 *
 * <p>A checker for security events only reads through the normalizer's fast path, which builds nothing for the other
 * lines (nine in ten of a busy PBX's log) and only counts them: the summary is the same, and the results handed on
 * are the security events (and scanner signals) alone.
 */
public final class LogChecker {

    /** Bytes read at a time: a few thousand lines, still in the core's second-level cache when they are cut. */
    static final int READ_BYTES = 256 * 1024;

    private final NormalizerOptions baseOptions;
    private final boolean securityOnly;
    private final boolean sinkCounts;
    private final boolean scanAhead;
    private final CheckSummary summary = new CheckSummary();

    /**
     * @param baseOptions how to read the inputs; without a directory of endpoints of their own, the inputs share one:
     *                    they are one PBX's logs, so a call in the full log names the address its endpoint
     *                    authenticated from in the security log read before it
     */
    public LogChecker(NormalizerOptions baseOptions) {
        this(baseOptions, false);
    }

    /** As {@link #LogChecker(NormalizerOptions)}; {@code securityOnly} hands on security events alone, read faster. */
    public LogChecker(NormalizerOptions baseOptions, boolean securityOnly) {
        this(baseOptions, securityOnly, false);
    }

    /**
     * As {@link #LogChecker(NormalizerOptions, boolean)}; with {@code sinkCounts}, the results reach the sink
     * uncounted, and the sink counts them through {@link #counting(Consumer)}: on its own thread, when it runs on
     * another ({@link HandOff}; the summary is then read once that thread is done).
     */
    public LogChecker(NormalizerOptions baseOptions, boolean securityOnly, boolean sinkCounts) {
        this(baseOptions, securityOnly, sinkCounts, Runtime.getRuntime().availableProcessors() > 1);
    }

    /**
     * As {@link #LogChecker(NormalizerOptions, boolean, boolean)}; with {@code scanAhead} (the default when the process
     * may use more than one core), a checker for security events only cuts the lines and finds the noise among them
     * on the reading thread, and reads the rest through the normalizer on a thread of its own ({@link ScanAhead}).
     */
    public LogChecker(NormalizerOptions baseOptions, boolean securityOnly, boolean sinkCounts, boolean scanAhead) {
        this.scanAhead = scanAhead && securityOnly;
        this.baseOptions = baseOptions.endpoints() != null ? baseOptions
                : baseOptions.withEndpoints(new EndpointAddresses());
        this.securityOnly = securityOnly;
        this.sinkCounts = sinkCounts;
    }

    /** Roughly how much text a result holds, for the bounds of a {@link HandOff}. */
    public static int weight(ParseResult result) {
        return result instanceof ParseResult.Parsed parsed ? 2 * parsed.event().original().length()
                : ((ParseResult.Rejected) result).raw().length();
    }

    /** {@code sink}, each result counted in the summary first. */
    public Consumer<ParseResult> counting(Consumer<ParseResult> sink) {
        return result -> {
            summary.count(result);
            sink.accept(result);
        };
    }

    public CheckSummary summary() {
        return summary;
    }

    /** Reads one file ({@code -} = stdin) and passes every result to {@code sink}. */
    public void check(String name, InputStream stdin, Consumer<ParseResult> sink, PrintStream err, boolean terminal)
            throws IOException {
        check(name, stdin, sink, null, err, terminal);
    }

    /**
     * As {@link #check(String, InputStream, Consumer, PrintStream, boolean)}; {@code output} (or null) is flushed
     * whenever the input, a pipe, has no byte ready and the next read would wait (a live pipe gone quiet), so output
     * held in blocks is never held back while the input is idle.
     */
    public void check(String name, InputStream stdin, Consumer<ParseResult> sink, Flushable output, PrintStream err,
                      boolean terminal) throws IOException {
        boolean standardInput = name.equals("-");
        Path path = standardInput ? null : Path.of(name);
        Instant reference = standardInput ? baseOptions.clock().instant() : Files.getLastModifiedTime(path).toInstant();
        Normalizer normalizer = new Normalizer(baseOptions.withReference(reference).withPath(standardInput ? null : name));
        Consumer<ParseResult> counted = sinkCounts ? sink : counting(sink);
        long[] securityLines = {0};
        Consumer<AsteriskEvent> security = event -> {
            if (!event.isScanSignal()) {
                securityLines[0]++;
            }
            counted.accept(new ParseResult.Parsed(event));
        };
        long size = standardInput ? 0 : Files.size(path);
        ProgressBar progress = new ProgressBar(err, size, terminal);
        // A regular file never keeps a read waiting, so only a pipe (stdin, a FIFO) is asked whether it went quiet.
        Flushable whenIdle = standardInput || !Files.isRegularFile(path) ? output : null;
        try (InputStream in = standardInput ? stdin : Files.newInputStream(path)) {
            if (scanAhead) {
                ScanAhead.read(in, normalizer, security, summary, output, whenIdle != null, progress, name);
            } else {
                readHere(in, normalizer, security, counted, whenIdle, progress, name);
            }
            if (securityOnly) {
                normalizer.flushSecurity(security);
                summary.countSkipped(normalizer.linesRead() - securityLines[0], normalizer.skipped());
            } else {
                normalizer.flush(counted);
            }
        } finally {
            progress.finish();
        }
    }

    /** Reads {@code in} to its end on this thread. */
    private void readHere(InputStream in, Normalizer normalizer, Consumer<AsteriskEvent> security,
                          Consumer<ParseResult> counted, Flushable whenIdle, ProgressBar progress, String name)
            throws IOException {
        LineSplitter splitter = new LineSplitter(LineSplitter.DEFAULT_MAX_LINE_BYTES, (line, truncated) -> {
            if (truncated) {
                summary.countTruncated();
            }
            if (securityOnly) {
                normalizer.normalizeSecurity(line, truncated, security);
            } else {
                normalizer.normalize(line, truncated, counted);
            }
        }, securityOnly ? (bytes, from, to, plain) -> normalizer.normalizeSecurityPlain(bytes, from, to, plain, security)
                : (bytes, from, to, plain) -> normalizer.normalizePlain(bytes, from, to, plain, counted));
        byte[] buffer = new byte[READ_BYTES];
        long done = 0;
        int read;
        while (true) {
            if (whenIdle != null && in.available() == 0) {
                whenIdle.flush();
            }
            if ((read = in.read(buffer)) <= 0) {
                break;
            }
            splitter.feed(buffer, 0, read);
            done += read;
            progress.update(done, name);
        }
        splitter.finish();
    }

    public static NormalizerOptions options(java.time.ZoneId zone, boolean patched) {
        Clock clock = Clock.systemUTC();
        return new NormalizerOptions(zone, clock.instant(), patched, null, clock);
    }
}
