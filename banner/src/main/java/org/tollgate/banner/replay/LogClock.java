package org.tollgate.banner.replay;

import java.time.Instant;
import java.time.InstantSource;

/** The present of a replay: the newest log time seen so far. It never goes back. */
final class LogClock implements InstantSource {

    private Instant now = Instant.EPOCH;

    void advanceTo(Instant logTime) {
        if (logTime.isAfter(now)) {
            now = logTime;
        }
    }

    @Override
    public Instant instant() {
        return now;
    }
}
