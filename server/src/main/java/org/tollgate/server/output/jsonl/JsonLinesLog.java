package org.tollgate.server.output.jsonl;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.util.FileSize;
import io.vertx.core.buffer.Buffer;
import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;
import org.tollgate.server.LogFields;
import org.tollgate.server.config.RotationSettings;

/**
 * Event JSON lines written through Logback: a Logback context of its own (never the global one the service's
 * diagnostics go through, so neither can disturb the other), with one appender (console on stdout for {@code -}, a
 * file, or a rolling file) that writes blocks of JSON lines as they are ({@link LinesAppenders}): the events were
 * written as JSON already, straight into the block, and nothing parses or copies them here. A block goes out in pieces
 * of up to {@link #PIECE} bytes, one {@code write(2)} each, from the block itself. Configured here in code; no XML is
 * read.
 *
 * <p>Not thread-safe: one writer thread appends, flushes and closes. Nothing is flushed per block: the caller flushes
 * when it has nothing more to write for now.
 */
public final class JsonLinesLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JsonLinesLog.class);
    /** The logger name the events carry; nothing logs to it, the appender is handed each event. */
    static final String LOGGER_NAME = "tollgate.events";
    /** The appender's stream buffer: what is written in smaller pieces goes out 64 KiB at a time. */
    static final int FILE_BUFFER = 64 * 1024;
    /**
     * The largest piece of a block handed to the appender, one {@code write(2)}: the output's whole block of 1 MiB
     * in one. The JDK copies each piece into a buffer of its size on its way to the kernel; after the first, the C
     * library serves that buffer from its heap, not from a new mapping.
     */
    static final int PIECE = 1 << 20;

    private final String path;
    private final LoggerContext context;
    private final OutputStreamAppender<ILoggingEvent> appender;
    /**
     * A block goes to the appender in pieces of whole lines of at most this many bytes: {@link #PIECE}, or less so
     * that a file rolls near its size.
     */
    private final long piece;
    private final StreamFailures failures;

    private JsonLinesLog(String path, LoggerContext context, OutputStreamAppender<ILoggingEvent> appender, long piece,
                         StreamFailures failures) {
        this.path = path;
        this.context = context;
        this.appender = appender;
        this.piece = piece;
        this.failures = failures;
    }

    /**
     * Opens the output: stdout for {@code -}, otherwise the file (its directory created, appended to).
     *
     * @param rotate when the file rolls over; null to let it grow
     * @param clock  the time and zone of daily rolls
     * @throws IOException when the file cannot be opened, with Logback's reason
     */
    public static JsonLinesLog open(String path, RotationSettings rotate, Clock clock) throws IOException {
        LoggerContext context = new LoggerContext();
        context.setName("tollgate-jsonl " + path);
        context.getStatusManager().add(status -> report(path, status));
        context.start();

        LinesEncoder encoder = new LinesEncoder();
        encoder.setContext(context);
        encoder.start();

        if (!path.equals("-")) {
            endCutLine(Path.of(path));
        }
        // The context first: a Logback component without one reports on stdout, which may be carrying events.
        StreamFailures failures = new StreamFailures();
        OutputStreamAppender<ILoggingEvent> appender = path.equals("-") ? new LinesAppenders.Stream(failures)
                : rotate == null ? new LinesAppenders.File(failures) : new LinesAppenders.Rolling(failures);
        appender.setContext(context);
        appender.setName("jsonl");
        if (appender instanceof RollingFileAppender<ILoggingEvent> rolling) {
            configureRolling(rolling, path, rotate, clock);
        } else if (appender instanceof FileAppender<ILoggingEvent> file) {
            configureFile(file, path);
        }
        appender.setEncoder(encoder);
        if (path.equals("-")) {
            appender.setOutputStream(new BufferedOutputStream(new Stdout(System.out), FILE_BUFFER));
        }
        appender.setImmediateFlush(false);
        appender.start();
        if (!appender.isStarted()) {
            String reason = firstError(context);
            context.stop();
            throw new IOException("cannot open " + path + ": " + reason);
        }
        // A file with a size limit rolls before a piece that would take it past the limit by more than a quarter.
        long piece = rotate == null || rotate.maxSize() <= 0 ? PIECE
                : Math.max(1, Math.min(PIECE, rotate.maxSize() / 4));
        return new JsonLinesLog(path, context, appender, piece, failures);
    }

    /**
     * A file that does not end with a line feed was cut mid-event ({@code kill -9}, a full disk): a line feed ends the
     * cut line, so the next event starts a line of its own and stays readable. The event cut was not confirmed to its
     * source, which sends it again.
     */
    private static void endCutLine(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            ByteBuffer last = ByteBuffer.allocate(1);
            if (size == 0 || channel.read(last, size - 1) != 1 || last.get(0) == '\n') {
                return;
            }
            channel.write(ByteBuffer.wrap(new byte[] {'\n'}), size);
        }
        LOG.atWarn().addKeyValue(LogFields.PATH, file).log("the events file ended in a cut event (the service was "
                + "killed while writing it); a line feed ends it, and its event is sent again");
    }

    /**
     * stdout as the appender's stream. Logback's ConsoleAppender writes through {@code System.out}, which flushes
     * every write: one {@code write(2)} per event. Behind a 64 KiB buffer instead, and closing the appender leaves
     * stdout open.
     */
    private static final class Stdout extends OutputStream {
        private final PrintStream out;

        Stdout(PrintStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            checkError();
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            checkError();
        }

        @Override
        public void flush() throws IOException {
            out.flush();
            checkError();
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }

        /**
         * {@code System.out} never throws: a failed write (stdout closed, a reader gone) only sets its error, which
         * is told here, so that the appender stops and the events are counted lost rather than written.
         */
        private void checkError() throws IOException {
            if (out.checkError()) {
                throw new IOException("cannot write to stdout");
            }
        }
    }

    private static void configureFile(FileAppender<ILoggingEvent> appender, String path) {
        appender.setFile(path);
        appender.setAppend(true);
        appender.setBufferSize(new FileSize(FILE_BUFFER));
    }

    /** Numbered rolled files as logrotate names them, {@code .1} the newest, {@code .gz} when compressed. */
    private static void configureRolling(RollingFileAppender<ILoggingEvent> appender, String path,
                                         RotationSettings rotate, Clock clock) {
        configureFile(appender, path);
        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy() {
            @Override
            protected int getMaxWindowSize() {
                // Logback stops at 20 by default; a year of daily files is allowed, as logrotate's rotate 366.
                return RotationSettings.MAX_FILES;
            }
        };
        rolling.setContext(appender.getContext());
        rolling.setParent(appender);
        rolling.setFileNamePattern(path + ".%i" + (rotate.compress() ? ".gz" : ""));
        rolling.setMinIndex(1);
        rolling.setMaxIndex(rotate.maxFiles());
        rolling.start();

        RolloverTrigger trigger = new RolloverTrigger(new File(path), rotate.maxSize(), rotate.daily(), clock);
        trigger.setContext(appender.getContext());
        trigger.start();

        appender.setRollingPolicy(rolling);
        appender.setTriggeringPolicy(trigger);
    }

    /**
     * Appends one event's JSON as a line.
     *
     * @return false when {@code json} is not one JSON object, and nothing was written
     */
    public boolean append(Buffer json) {
        int length = json.length();
        if (length < 2 || json.getByte(0) != '{' || json.getByte(length - 1) != '}') {
            return false;
        }
        byte[] line = new byte[length + 1];
        json.getBytes(line);
        line[length] = '\n';
        appendLines(line, line.length);
        return true;
    }

    /**
     * Appends the first {@code length} bytes of {@code lines}: whole JSON lines, each ended by a line feed, written in
     * pieces of whole lines of up to {@link #PIECE} bytes (less when the file rolls at a size).
     *
     * @return false when a piece did not reach the file (a failed write, or one while the file is failing: a full
     *         disk), or the output has stopped after a failure (stdout closed); what was lost is said in the log
     */
    public boolean appendLines(byte[] lines, int length) {
        boolean reached = true;
        int from = 0;
        while (from < length) {
            int to = length;
            if (to - from > piece) {
                // The last line end within the piece, or the first line's end when one line is longer.
                int cut = from + (int) piece - 1;
                while (cut > from && lines[cut] != '\n') {
                    cut--;
                }
                if (cut == from && lines[cut] != '\n') {
                    cut = from;
                    while (cut < length - 1 && lines[cut] != '\n') {
                        cut++;
                    }
                }
                to = cut + 1;
            }
            LoggingEvent event = new LoggingEvent();
            event.setLoggerContext(context);
            event.setLoggerName(LOGGER_NAME);
            event.setLevel(Level.INFO);
            event.setMDCPropertyMap(Map.of());
            event.setArgumentArray(new Object[] {new LinesEncoder.Lines(lines, from, to - from)});
            failures.before();
            appender.doAppend(event);
            reached &= appender.isStarted() && !failures.lost();
            from = to;
        }
        return reached;
    }

    /**
     * Writes what the appender's buffer holds.
     *
     * @return false when it did not reach the file (see {@link #appendLines})
     */
    public boolean flush() {
        OutputStream out = appender.getOutputStream();
        if (out == null || !appender.isStarted()) {
            return appender.isStarted();
        }
        failures.before();
        try {
            out.flush();
        } catch (IOException e) {
            failures.newFailure(e);
            LOG.atWarn().addKeyValue(LogFields.PATH, path).setCause(e).log("cannot flush events");
        }
        return !failures.lost();
    }

    /** Flushes and closes the file (waiting for a rolled file's compression), then stops the context. */
    @Override
    public void close() {
        flush();
        appender.stop();
        context.stop();
    }

    /** The private context's warnings and errors (a failed write, a failed roll) go to the service's own log. */
    private static void report(String path, Status status) {
        if (status.getLevel() < Status.WARN) {
            return;
        }
        LoggingEventBuilder log = status.getLevel() == Status.WARN ? LOG.atWarn() : LOG.atError();
        log.addKeyValue(LogFields.PATH, path).setCause(status.getThrowable()).log(status.getMessage());
    }

    private static String firstError(LoggerContext context) {
        for (Status status : context.getStatusManager().getCopyOfStatusList()) {
            if (status.getLevel() == Status.ERROR) {
                Throwable cause = status.getThrowable();
                return cause == null ? status.getMessage() : status.getMessage() + " " + cause.getMessage();
            }
        }
        return "the appender did not start";
    }
}
