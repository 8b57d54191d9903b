package org.tollgate.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tollgate.server.bus.EventChunk;

/** The event loop is a queue the test runs by hand. */
class CountingBacklogTest {

    private final ArrayDeque<Runnable> loop = new ArrayDeque<>();
    private final List<EventChunk> counted = new ArrayList<>();
    private final CountingBacklog backlog = new CountingBacklog(counted::add, loop::add);

    private static EventChunk chunk() {
        return EventChunk.of(Buffer.buffer("{}"), true);
    }

    @Test
    void chunksAreCountedOneTaskEachInOrder() {
        EventChunk first = chunk();
        EventChunk second = chunk();
        backlog.offer(first);
        backlog.offer(second);

        assertThat(loop).as("one task scheduled for both").hasSize(1);
        loop.poll().run();
        assertThat(counted).containsExactly(first);
        loop.poll().run();
        assertThat(counted).containsExactly(first, second);
        assertThat(loop).isEmpty();
    }

    @Test
    void pastTheLimitChunksAreSkippedAndSaidSo() {
        for (int i = 0; i < CountingBacklog.LIMIT + 5; i++) {
            backlog.offer(chunk());
        }
        assertThat(backlog.skipped()).isEqualTo(5);
        while (!loop.isEmpty()) {
            loop.poll().run();
        }
        assertThat(counted).hasSize(CountingBacklog.LIMIT);

        backlog.offer(chunk());
        loop.poll().run();
        assertThat(counted).as("room again once counted").hasSize(CountingBacklog.LIMIT + 1);
    }
}
