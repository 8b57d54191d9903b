package org.tollgate.server.check;

import java.io.Flushable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import org.tollgate.normalizer.AsteriskEvent;
import org.tollgate.normalizer.Normalizer;
import org.tollgate.normalizer.input.LineSplitter;

/**
 * Reads an input for its security events on two threads: this one reads the bytes, cuts the lines and finds the noise
 * lines among them ({@link Normalizer#noiseStampEnd}, which needs nothing of the input's state), decoding the others;
 * a {@link HandOff} takes each read's lines ({@link ScannedLines}), in order, to a thread that reads them through the
 * normalizer, which counts the noise lines ({@link Normalizer#countNoise}: the year context, an open packet dump) and
 * reads the rest as one thread would. The lines in between are bounded by the hand-off (a few reads' worth); a
 * normalizer that falls behind holds the reader back.
 */
final class ScanAhead {

    private final Normalizer normalizer;
    /** Reads whose lines were read, for the next reads: their buffers are used again. */
    private final BlockingQueue<ScannedLines> free = new ArrayBlockingQueue<>(HandOff.BATCHES + 4);
    private ScannedLines current;

    private ScanAhead(Normalizer normalizer) {
        this.normalizer = normalizer;
    }

    /**
     * Reads {@code in} to its end; each security event goes to {@code security}, on the normalizer's thread, and is
     * handed on when this returns. With {@code pipe}, whenever the input has no byte ready, the lines read so far are
     * handed on and {@code output} (or null) flushed after them.
     */
    static void read(InputStream in, Normalizer normalizer, Consumer<AsteriskEvent> security, CheckSummary summary,
                     Flushable output, boolean pipe, ProgressBar progress, String name) throws IOException {
        ScanAhead scan = new ScanAhead(normalizer);
        HandOff<ScannedLines> normalizing = new HandOff<>("tollgate-normalizer", lines -> {
            lines.readInto(normalizer, security, summary);
            lines.clear();
            scan.free.offer(lines);
        }, output != null ? output : () -> { }, ScannedLines::weight);
        boolean done = false;
        try {
            scan.read(in, normalizing, pipe, progress, name);
            done = true;
        } finally {
            if (done) {
                normalizing.close();
            } else {
                closeAfterFailure(normalizing);
            }
        }
    }

    private void read(InputStream in, HandOff<ScannedLines> normalizing, boolean pipe, ProgressBar progress, String name)
            throws IOException {
        LineSplitter splitter = new LineSplitter(LineSplitter.DEFAULT_MAX_LINE_BYTES,
                (line, truncated) -> current.line(line, truncated), this::noise);
        long done = 0;
        while (true) {
            if (pipe && in.available() == 0) {
                normalizing.flush();
            }
            current = next();
            int read = in.read(current.bytes);
            if (read <= 0) {
                break;
            }
            splitter.feed(current.bytes, 0, read);
            normalizing.accept(current);
            done += read;
            progress.update(done, name);
        }
        splitter.finish();
        normalizing.accept(current);
    }

    /**
     * The splitter's shortcut: a noise line stays in the read's bytes, for the normalizer to count; another plain line
     * is taken as it is, its bytes its text (nothing to decode, nothing for the normalizer to clean).
     */
    private boolean noise(byte[] bytes, int from, int to, boolean plain) {
        int stampEnd = normalizer.noiseStampEnd(bytes, from, to, plain);
        if (stampEnd >= 0) {
            current.noise(from, to, stampEnd);
        } else if (plain) {
            current.plainLine(new String(bytes, from, to - from, StandardCharsets.ISO_8859_1));
        }
        return plain;
    }

    private ScannedLines next() {
        ScannedLines lines = free.poll();
        return lines != null ? lines : new ScannedLines(new byte[LogChecker.READ_BYTES]);
    }

    /** Ends the normalizer's thread after a failed read, whose failure is the one to report. */
    private static void closeAfterFailure(HandOff<ScannedLines> normalizing) {
        try {
            normalizing.close();
        } catch (IOException | RuntimeException ignored) {
            // The read's own failure is thrown on.
        }
    }
}
