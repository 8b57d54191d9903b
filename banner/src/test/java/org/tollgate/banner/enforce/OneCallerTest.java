package org.tollgate.banner.enforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tollgate.testkit.Waits;

class OneCallerTest {

    private final OneCaller caller = new OneCaller("the enforcer");

    @Test
    void aSecondThreadInsideAtOnceIsRefusedAndMayEnterAfterTheFirstLeft() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> {
            try (OneCaller.Turn turn = caller.enter()) {
                inside.countDown();
                await(leave);
            }
        });
        await(inside);

        assertThatThrownBy(caller::enter).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the enforcer called from " + Thread.currentThread().getName())
                .hasMessageContaining("one owner, one at a time");

        leave.countDown();
        first.get(Waits.PATIENCE.toSeconds(), TimeUnit.SECONDS);
        try (OneCaller.Turn turn = caller.enter()) {
            assertThat(turn).isNotNull();
        }
    }

    @Test
    void theThreadInsideMayCallInAgainAndLeavesOnlyOnItsOuterTurn() throws Exception {
        try (OneCaller.Turn outer = caller.enter()) {
            try (OneCaller.Turn inner = caller.enter()) {
                assertThat(inner).isNotNull();
            }
            // Still inside after the inner turn: another thread is refused.
            CompletableFuture<Throwable> other = CompletableFuture.supplyAsync(() -> {
                try (OneCaller.Turn turn = caller.enter()) {
                    return null;
                } catch (IllegalStateException refused) {
                    return refused;
                }
            });
            assertThat(other.get(Waits.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
        }
        CompletableFuture<Boolean> after = CompletableFuture.supplyAsync(() -> {
            try (OneCaller.Turn turn = caller.enter()) {
                return true;
            }
        });
        assertThat(after.get(Waits.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(Waits.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
