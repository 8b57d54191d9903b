package org.tollgate.banner.jail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SeenAttemptsTest {

    private static final List<String> IPS = List.of("192.0.2.1", "192.0.2.2", "2001:db8::1");

    /**
     * Against a plain model: per address, the last {@link SeenAttempts#PER_ADDRESS} distinct attempt ids, the oldest
     * pushed out first; an id is "seen" exactly when the model holds it. Few addresses and ids, so that the arrays
     * grow from one slot and wrap; ids in pairs that share a hash, so that only equals tells them apart.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 20260118, 424242})
    void remembersTheLastAttemptsOfEachAddressAsAPlainModelDoes(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        SeenAttempts seen = new SeenAttempts(1_000);
        Map<String, Deque<String>> model = new HashMap<>();
        for (int line = 0; line < 5_000; line++) {
            String ip = IPS.get(random.nextInt(IPS.size()));
            // "Aa" and "BB" share a hash: ids told apart only by equals.
            String id = "call-" + random.nextInt(random.nextBoolean() ? 4 : 20) + (random.nextBoolean() ? "Aa" : "BB");
            Deque<String> kept = model.computeIfAbsent(ip, any -> new ArrayDeque<>());
            boolean expected = kept.contains(id);
            if (!expected) {
                if (kept.size() == SeenAttempts.PER_ADDRESS) {
                    kept.removeFirst();
                }
                kept.addLast(id);
            }

            assertThat(seen.seenBefore(ip, id)).as("line %d: %s %s", line, ip, id).isEqualTo(expected);
        }
    }
}
