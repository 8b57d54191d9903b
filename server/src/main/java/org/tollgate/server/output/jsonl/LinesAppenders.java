package org.tollgate.server.output.jsonl;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.locks.ReentrantLock;
import org.tollgate.server.output.jsonl.LinesEncoder.Lines;

/**
 * The jsonl output's appenders (stdout, a file, a rolling file): Logback's, except that a piece of a block of lines
 * goes to the stream straight from the writer's block. Logback's own {@code writeOut} takes the encoder's
 * {@code byte[]}, which for a piece of a block is a copy of it: 256 KiB allocated, zeroed and copied per
 * {@code write(2)}, some 870 MB for a million lines. Anything but {@link Lines} goes the usual way. Each watches its
 * stream's failures ({@link StreamFailures}).
 */
final class LinesAppenders {

    private LinesAppenders() {
    }

    /** stdout ({@code path: -}). */
    static final class Stream extends OutputStreamAppender<ILoggingEvent> {
        private final StreamFailures failures;

        Stream(StreamFailures failures) {
            this.failures = failures;
        }

        @Override
        protected void writeOut(ILoggingEvent event) throws IOException {
            if (!write(event, getOutputStream(), streamWriteLock, failures)) {
                super.writeOut(event);
            }
        }
    }

    /** A file that grows. */
    static final class File extends FileAppender<ILoggingEvent> {
        private final StreamFailures failures;

        File(StreamFailures failures) {
            this.failures = failures;
        }

        @Override
        protected void writeOut(ILoggingEvent event) throws IOException {
            if (isPrudent() || !write(event, getOutputStream(), streamWriteLock, failures)) {
                super.writeOut(event);
            }
        }
    }

    /** A file that rolls over: the piece's bytes are counted as Logback counts an encoded event's. */
    static final class Rolling extends RollingFileAppender<ILoggingEvent> {
        private final StreamFailures failures;

        Rolling(StreamFailures failures) {
            this.failures = failures;
        }

        @Override
        protected void writeOut(ILoggingEvent event) throws IOException {
            if (isPrudent() || !write(event, getOutputStream(), streamWriteLock, failures)) {
                super.writeOut(event);
                return;
            }
            getTriggeringPolicy().getLengthCounter().add(LinesEncoder.linesOf(event).length());
        }
    }

    /**
     * Writes the event's {@link Lines} to {@code out} under the appender's stream lock, as Logback writes an encoded
     * event (never flushed here: the jsonl appenders do not flush per event).
     *
     * @return false when the event carries no lines: the caller writes it the usual way
     */
    private static boolean write(ILoggingEvent event, OutputStream out, ReentrantLock lock, StreamFailures failures)
            throws IOException {
        Lines lines = LinesEncoder.linesOf(event);
        if (lines == null) {
            return false;
        }
        lock.lock();
        try {
            failures.watch(out);
            out.write(lines.bytes(), lines.offset(), lines.length());
        } catch (IOException e) {
            failures.newFailure(e); // stdout's stream throws (its appender then stops); a file's never does
            throw e;
        } finally {
            lock.unlock();
        }
        return true;
    }
}
