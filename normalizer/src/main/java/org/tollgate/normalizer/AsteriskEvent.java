package org.tollgate.normalizer;

import java.time.Instant;
import org.tollgate.normalizer.call.CallEvent;
import org.tollgate.normalizer.message.Finding;
import org.tollgate.normalizer.prefix.LogPrefix;

/**
 * One normalized log line.
 *
 * @param sequence   1-based line number within its input ({@code event.sequence})
 * @param timestamp  when the line was written; the previous line's time when the line has no stamp of its own
 * @param prefix     what the layout said before the message
 * @param message    the message text, with secrets redacted
 * @param original   the line as read (colour codes and the line end removed), with secrets redacted
 * @param finding    what the message says as a security event, or null for a line that is not one
 * @param path       the file the line came from, or null
 * @param packetDump true for a raw packet line that pjproject dumped after "Error processing …": attacker data
 * @param truncated  true when the line was longer than the reader keeps and was cut
 * @param attemptId  the attempt the line is part of ({@code asterisk.attempt_id}), or null for a line that names no
 *                   address
 * @param call       the step of a call the line (a dialplan line, a CDR or CEL record) makes, or null
 */
public record AsteriskEvent(long sequence, Instant timestamp, LogPrefix prefix, String message, String original,
                            Finding finding, String path, boolean packetDump, boolean truncated, String attemptId,
                            CallEvent call) {

    /** A line that makes no call event. */
    public AsteriskEvent(long sequence, Instant timestamp, LogPrefix prefix, String message, String original,
                         Finding finding, String path, boolean packetDump, boolean truncated, String attemptId) {
        this(sequence, timestamp, prefix, message, original, finding, path, packetDump, truncated, attemptId, null);
    }

    public boolean isSecurity() {
        return finding != null;
    }

    /** True for a scanner signal: an event the normalizer made from several lines, after the line that completed it. */
    public boolean isScanSignal() {
        return finding != null && finding.action().isScanSignal();
    }

    /** True for a call event: a call started, answered or ended ({@code event.action} {@code call-…}). */
    public boolean isCall() {
        return call != null;
    }
}
