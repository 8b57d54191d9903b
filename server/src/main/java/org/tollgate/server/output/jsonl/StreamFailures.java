package org.tollgate.server.output.jsonl;

import ch.qos.logback.core.recovery.RecoveryListener;
import ch.qos.logback.core.recovery.ResilientOutputStreamBase;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Whether what the jsonl appender was handed reached its file. Logback's file streams never throw: a failed write (a
 * full disk) goes to their recovery listeners and the service's log, and what comes while they recover is dropped in
 * silence. This listens to the stream in use (a new one after each roll; stdout's throws, and its appender stops), so
 * that the writer can count what was lost rather than confirm it.
 *
 * <p>Used by the writer's thread only: the listener is called inside the writes and flushes it makes.
 */
final class StreamFailures implements RecoveryListener {

    private OutputStream watched;
    private boolean failing;
    private long failures;
    private long recoveries;
    /** Where things stood at {@link #before()}. */
    private boolean failingBefore;
    private long failuresBefore;
    private long recoveriesBefore;

    /** Listens to {@code out} from now on, if it is a stream not listened to yet (a new file after a roll). */
    void watch(OutputStream out) {
        if (out == watched) {
            return;
        }
        watched = out;
        if (out instanceof ResilientOutputStreamBase resilient) {
            resilient.addRecoveryListener(this);
        }
        if (failing) {
            recoveryOccured(); // a new file: the failure was the old one's
        }
    }

    /** Called before a write or a flush, for {@link #lost()} to tell after it. */
    void before() {
        failingBefore = failing;
        failuresBefore = failures;
        recoveriesBefore = recoveries;
    }

    /**
     * After a write or a flush: true when what it wrote (or flushed) did not reach the file: it failed, or the stream
     * was failing before it and did not recover on it (Logback then drops the bytes).
     */
    boolean lost() {
        return failures != failuresBefore || failingBefore && recoveries == recoveriesBefore;
    }

    @Override
    public void newFailure(IOException e) {
        failing = true;
        failures++;
    }

    @Override
    public void recoveryOccured() {
        failing = false;
        recoveries++;
    }
}
