package org.tollgate.banner.enforce;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock the test moves by hand; read from the enforcer, the jails and the store alike. */
final class FakeClock implements InstantSource {

    private volatile Instant now;

    FakeClock(String start) {
        this.now = Instant.parse(start);
    }

    @Override
    public Instant instant() {
        return now;
    }

    Instant advance(Duration by) {
        now = now.plus(by);
        return now;
    }
}
