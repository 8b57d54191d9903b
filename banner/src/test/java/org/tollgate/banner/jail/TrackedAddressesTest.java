package org.tollgate.banner.jail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrackedAddressesTest {

    private static final long SPAN = 600_000;

    /** One address of the model: every timestamp kept, in a plain sorted list, and the attempt ids in a deque. */
    private static final class Kept {
        final List<Long> times = new ArrayList<>();
        final Deque<String> attempts = new ArrayDeque<>();
    }

    /**
     * Against a plain model: per address, the newest {@code capacity} timestamps no older than the span before the
     * newest, late and out-of-order events in their place; the last {@link SeenAttempts#PER_ADDRESS} attempt ids; the
     * least recently seen address forgotten past the limit and purged once its newest event is too old. Few
     * addresses and a short span, so that windows fill, wrap, empty and get evicted, and the first timestamp moves
     * from its field into an array.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 20260118, 424242})
    void countsAsAPlainModelDoes(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int capacity = 1 + random.nextInt(6);
        int maxAddresses = 3 + random.nextInt(5);
        TrackedAddresses tracked = new TrackedAddresses(capacity, SPAN, maxAddresses);
        Map<String, Kept> model = new LinkedHashMap<>(16, 0.75f, true);
        long evictions = 0;
        long clock = 0;
        for (int step = 0; step < 10_000; step++) {
            String ip = "192.0.2." + random.nextInt(12);
            if (random.nextInt(50) == 0) {
                tracked.forget(ip);
                model.remove(ip);
                continue;
            }
            if (random.nextInt(200) == 0) {
                long before = clock - SPAN;
                int removed = 0;
                for (Iterator<Kept> it = model.values().iterator(); it.hasNext(); ) {
                    Kept kept = it.next();
                    if (!kept.times.isEmpty() && kept.times.get(kept.times.size() - 1) >= before) {
                        break;
                    }
                    it.remove();
                    removed++;
                }
                assertThat(tracked.purge(before)).as("step %d: purged", step).isEqualTo(removed);
                continue;
            }
            clock += random.nextInt(60_000);
            long at = clock - (random.nextInt(4) == 0 ? random.nextInt(900_000) : 0);
            String attempt = random.nextBoolean() ? null : "call-" + random.nextInt(12);

            Kept kept = model.get(ip);
            if (kept == null) {
                kept = new Kept();
                model.put(ip, kept);
                if (model.size() > maxAddresses) {
                    Iterator<String> eldest = model.keySet().iterator();
                    eldest.next();
                    eldest.remove();
                    evictions++;
                }
            }
            int expected = expect(kept, at, attempt, capacity);

            assertThat(tracked.add(ip, at, attempt)).as("step %d: %s at %d, attempt %s", step, ip, at, attempt)
                    .isEqualTo(expected);
            assertThat(tracked.size()).isEqualTo(model.size());
            assertThat(tracked.evictions()).isEqualTo(evictions);
        }
    }

    private static int expect(Kept kept, long at, String attempt, int capacity) {
        if (attempt != null) {
            if (kept.attempts.contains(attempt)) {
                return TrackedAddresses.SAME_ATTEMPT;
            }
            if (kept.attempts.size() == SeenAttempts.PER_ADDRESS) {
                kept.attempts.removeFirst();
            }
            kept.attempts.addLast(attempt);
        }
        long newest = kept.times.isEmpty() ? at : Math.max(at, kept.times.get(kept.times.size() - 1));
        kept.times.removeIf(time -> time < newest - SPAN);
        if (at < newest - SPAN) {
            return kept.times.size();
        }
        if (kept.times.size() == capacity) {
            if (at <= kept.times.get(0)) {
                return kept.times.size();
            }
            kept.times.remove(0);
        }
        int place = kept.times.size();
        while (place > 0 && kept.times.get(place - 1) > at) {
            place--;
        }
        kept.times.add(place, at);
        return kept.times.size();
    }

    @Test
    void aReconfiguredCopyKeepsTheWindowsCutToItsCapacityAndTheAttemptsOnlyWhenAsked() {
        TrackedAddresses tracked = new TrackedAddresses(5, SPAN, 100);
        for (int i = 0; i < 4; i++) {
            tracked.add("192.0.2.1", i * 1_000L, "call-" + i);
        }
        tracked.add("2001:db8::1", 0, "call-0");

        TrackedAddresses kept = new TrackedAddresses(3, SPAN, 100);
        tracked.copyInto(kept, true);
        assertThat(kept.size()).isEqualTo(2);
        assertThat(kept.add("192.0.2.1", 5_000, "call-3")).isEqualTo(TrackedAddresses.SAME_ATTEMPT);
        assertThat(kept.add("192.0.2.1", 5_000, "call-9")).isEqualTo(3);

        TrackedAddresses lines = new TrackedAddresses(5, SPAN, 100);
        tracked.copyInto(lines, false);
        assertThat(lines.add("192.0.2.1", 5_000, "call-3")).isEqualTo(5);
        assertThat(lines.add("2001:db8::1", 1_000, "call-0")).isEqualTo(2);
    }
}
