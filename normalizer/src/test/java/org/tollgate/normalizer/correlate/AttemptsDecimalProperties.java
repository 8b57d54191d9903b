package org.tollgate.normalizer.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * The attempt id digests the text of a number as {@link Long#toString(long)} writes it; {@link Attempts#decimal}
 * writes its digits straight into the digest's buffer and must write exactly that text, for every value (zero, powers
 * of ten and their neighbours, the extremes, negatives), at any place in the buffer, leaving the bytes around it alone.
 */
class AttemptsDecimalProperties {

    @Property(tries = 3000)
    void writesWhatLongToStringWrites(@ForAll("values") long value, @ForAll @IntRange(max = 8) int at) {
        byte[] into = new byte[at + 20 + 8];
        Arrays.fill(into, (byte) '?');
        int end = Attempts.decimal(value, into, at);
        assertThat(new String(into, at, end - at, StandardCharsets.US_ASCII)).isEqualTo(Long.toString(value));
        for (int i = 0; i < into.length; i++) {
            if (i < at || i >= end) {
                assertThat(into[i]).as("byte %d outside the number", i).isEqualTo((byte) '?');
            }
        }
    }

    @Provide
    Arbitrary<Long> values() {
        Arbitrary<Long> nearPowers = Arbitraries.integers().between(0, 18).flatMap(e -> {
            long power = (long) Math.pow(10, e);
            return Arbitraries.longs().between(-1, 1).map(d -> power + d);
        });
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs()),
                Tuple.of(3, Arbitraries.longs().between(0, 5_000_000_000L)),
                Tuple.of(2, nearPowers),
                Tuple.of(1, Arbitraries.of(0L, 9L, 10L, Long.MAX_VALUE, Long.MIN_VALUE, -1L, -10L)));
    }
}
