package org.tollgate.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting in tests: polls a condition up to a deadline, so that nothing is timed. A wait ends as soon as its condition
 * holds; its limit only bounds a test that is failing, so it is generous: a busy machine (two cores running something
 * else, a tool that takes a second to start) must never fail a test.
 */
public final class Waits {

    /** {@link #PATIENCE} in seconds, for annotations that need a constant. */
    public static final int PATIENCE_SECONDS = 60;
    /** How long a test waits for anything that should happen at once. */
    public static final Duration PATIENCE = Duration.ofSeconds(PATIENCE_SECONDS);

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

    /** Waits up to {@link #PATIENCE} until {@code condition} holds; fails saying {@code what} did not happen. */
    public static void until(String what, BooleanSupplier condition) {
        until(condition, PATIENCE, () -> "not within " + PATIENCE_SECONDS + " s: " + what);
    }

    /** A check that throws {@link AssertionError} while what it checks does not hold yet. */
    @FunctionalInterface
    public interface Check {
        void run() throws Exception;
    }

    /**
     * Runs {@code check} every 20 ms until it passes, for up to {@link #PATIENCE}; then fails with its last
     * {@link AssertionError}. Any other exception ends the wait at once.
     */
    public static void eventually(Check check) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            try {
                check.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            sleep(POLL);
        }
    }

    /**
     * The result of {@code stage}, waited for up to {@link #PATIENCE}: for a deployment, an undeployment, a server's
     * bind.
     */
    public static <T> T result(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(PATIENCE_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } catch (TimeoutException e) {
            return fail("not completed within " + PATIENCE_SECONDS + " s: " + stage, e);
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
