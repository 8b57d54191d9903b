package org.tollgate.testkit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock the test moves by hand; safe to read from other threads, such as an enforcer's worker. */
public final class FakeClock implements InstantSource {

    private volatile Instant now;

    public FakeClock(Instant start) {
        this.now = start;
    }

    /** Starts at {@code start}, an ISO-8601 instant such as {@code 2026-03-01T12:00:00Z}. */
    public FakeClock(String start) {
        this(Instant.parse(start));
    }

    @Override
    public Instant instant() {
        return now;
    }

    public Instant advance(Duration by) {
        now = now.plus(by);
        return now;
    }

    public Instant set(Instant to) {
        now = to;
        return now;
    }
}
