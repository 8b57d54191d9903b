package org.tollgate.server.output.jsonl;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.LengthCounter;
import ch.qos.logback.core.rolling.LengthCounterBase;
import ch.qos.logback.core.rolling.TriggeringPolicyBase;
import java.io.File;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Says when the jsonl file rolls over: once it has reached {@code maxSize} bytes, and/or at the first event after
 * midnight in the clock's zone. An empty file is never rolled.
 *
 * <p>Logback's {@code SizeBasedTriggeringPolicy} looks at the file's length on disk at most once a minute by
 * default; at the rates an {@code events: all} output sees, a file would overshoot by gigabytes. This one counts the
 * bytes the appender writes ({@link #getLengthCounter()}; the appender adds the file's length at start), so the
 * check before each event costs an addition and a compare.
 */
final class RolloverTrigger extends TriggeringPolicyBase<ILoggingEvent> {

    private final LengthCounter written = new LengthCounterBase();
    private final long maxSize;
    private final boolean daily;
    private final Clock clock;
    private final File file;
    private long nextMidnight;

    /**
     * @param file    the active file, whose last change starts the first day
     * @param maxSize bytes from which the file rolls; 0 for no size limit
     * @param daily   roll on the first event of each day
     */
    RolloverTrigger(File file, long maxSize, boolean daily, Clock clock) {
        this.file = file;
        this.maxSize = maxSize;
        this.daily = daily;
        this.clock = clock;
    }

    @Override
    public void start() {
        // A file last written on an earlier day (the service was stopped over midnight) rolls at the first event.
        long since = file.exists() ? file.lastModified() : clock.millis();
        nextMidnight = midnightAfter(since);
        super.start();
    }

    @Override
    public boolean isTriggeringEvent(File activeFile, ILoggingEvent event) {
        boolean roll = false;
        if (daily) {
            long now = clock.millis();
            if (now >= nextMidnight) {
                nextMidnight = midnightAfter(now);
                roll = true;
            }
        }
        if (maxSize > 0 && written.getLength() >= maxSize) {
            roll = true;
        }
        if (roll && written.getLength() > 0) {
            written.reset();
            return true;
        }
        return false;
    }

    @Override
    public LengthCounter getLengthCounter() {
        return written;
    }

    private long midnightAfter(long millis) {
        LocalDate day = LocalDate.ofInstant(Instant.ofEpochMilli(millis), clock.getZone());
        return day.plusDays(1).atStartOfDay(clock.getZone()).toInstant().toEpochMilli();
    }
}
