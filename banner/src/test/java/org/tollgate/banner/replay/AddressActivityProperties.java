package org.tollgate.banner.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.tollgate.banner.jail.SeenAttempts;

/**
 * {@link AddressActivity.Tally}, which keeps an address's counts and attempt ids in one entry, tallies as the plain
 * reference does: counts in one map and the ids in a {@link SeenAttempts} that never forgets an address. Few
 * addresses and ids, so that an address makes more than {@code SeenAttempts.PER_ADDRESS} attempts and an id comes
 * back after it was pushed out; ids in pairs that share a hash ("Aa", "BB"), lines without an id among them.
 */
class AddressActivityProperties {

    @Property(tries = 500)
    void tallyCountsAsCountsBesideSeenAttemptsDo(@ForAll("lines") List<String[]> lines) {
        AddressActivity.Tally tally = new AddressActivity.Tally();
        Reference reference = new Reference();
        for (String[] line : lines) {
            tally.count(line[0], line[1]);
            reference.count(line[0], line[1]);
        }

        assertThat(tally.addresses()).isEqualTo(reference.byAddress.size());
        assertThat(tally.busiestFirst()).isEqualTo(reference.busiestFirst());
    }

    /** What the tally did before: two maps, each looked up once a line. */
    private static final class Reference {
        final Map<String, long[]> byAddress = new HashMap<>();
        final SeenAttempts seen = new SeenAttempts(Integer.MAX_VALUE);

        void count(String ip, String attemptId) {
            long[] counts = byAddress.computeIfAbsent(ip, k -> new long[2]);
            counts[1]++;
            if (attemptId == null || !seen.seenBefore(ip, attemptId)) {
                counts[0]++;
            }
        }

        List<AddressActivity> busiestFirst() {
            List<AddressActivity> all = new ArrayList<>();
            byAddress.forEach((ip, counts) -> all.add(new AddressActivity(ip, counts[0], counts[1])));
            all.sort(AddressActivity.BUSIEST_FIRST);
            return all;
        }
    }

    @Provide
    Arbitrary<List<String[]>> lines() {
        Arbitrary<String> ip = Arbitraries.of("192.0.2.1", "192.0.2.2", "198.51.100.7", "2001:db8::1");
        Arbitrary<String> id = Combinators.combine(Arbitraries.integers().between(0, 11), Arbitraries.of("Aa", "BB"))
                .as((n, tail) -> "attempt-" + n + tail)
                .injectNull(0.15);
        return Combinators.combine(ip, id).as((a, b) -> new String[] {a, b}).list().ofMaxSize(300);
    }
}
