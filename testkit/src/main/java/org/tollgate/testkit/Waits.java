package org.tollgate.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting in tests: polls up to a deadline, so that nothing is timed. */
public final class Waits {

    private static final Duration POLL = Duration.ofMillis(20);

    private Waits() {
    }

    /** Waits until {@code condition} holds, checking every 20 ms; fails with {@code message} after {@code within}. */
    public static void until(BooleanSupplier condition, Duration within, Supplier<String> message) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(message.get());
            }
            sleep(POLL);
        }
    }

    /** {@link Thread#sleep}; an interrupt ends the test with the interrupt flag set again. */
    public static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
