package org.tollgate.banner.jail;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock the test moves by hand. */
final class TestClock implements InstantSource {

    private Instant now;

    TestClock(Instant start) {
        this.now = start;
    }

    TestClock(String start) {
        this(Instant.parse(start));
    }

    @Override
    public Instant instant() {
        return now;
    }

    Instant advance(Duration by) {
        now = now.plus(by);
        return now;
    }

    Instant set(Instant to) {
        now = to;
        return now;
    }
}
