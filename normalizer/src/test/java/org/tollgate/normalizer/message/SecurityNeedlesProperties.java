package org.tollgate.normalizer.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * {@link SecurityNeedles#anyIn} is exactly "one of the texts lies inside the range": the search that looks at one
 * position in eight, a word at a time, and compares a needle's first eight bytes at once finds every needle wherever
 * it stands (across words, at the range's start and end, cut by either end) and nothing else, with any bytes around
 * the range, non-ASCII ones included.
 */
class SecurityNeedlesProperties {

    private static final List<String> TEXTS = SecurityNeedles.ALL.texts();

    @Property(tries = 2000)
    void aNeedleIsFoundExactlyWhenOneLiesInTheRange(@ForAll("texts") byte[] bytes, @ForAll("cuts") int[] cut) {
        int from = Math.min(cut[0], bytes.length);
        int to = Math.max(from, bytes.length - Math.min(cut[1], bytes.length));
        boolean expected = naive(bytes, from, to);
        assertThat(SecurityNeedles.ALL.anyIn(bytes, from, to)).as("%s [%d, %d)",
                new String(bytes, StandardCharsets.ISO_8859_1), from, to).isEqualTo(expected);
        Statistics.label("needle in range").collect(expected);
        Statistics.label("needle in range").coverage(c -> c.check(true).percentage(p -> p > 15));
    }

    private static boolean naive(byte[] bytes, int from, int to) {
        for (String text : TEXTS) {
            byte[] needle = text.getBytes(StandardCharsets.US_ASCII);
            for (int start = from; start + needle.length <= to; start++) {
                int k = 0;
                while (k < needle.length && bytes[start + k] == needle[k]) {
                    k++;
                }
                if (k == needle.length) {
                    return true;
                }
            }
        }
        return false;
    }

    @Provide
    Arbitrary<int[]> cuts() {
        return Arbitraries.integers().between(0, 12).array(int[].class).ofSize(2);
    }

    @Provide
    Arbitrary<byte[]> texts() {
        Arbitrary<byte[]> piece = Arbitraries.oneOf(
                Arbitraries.of(TEXTS).map(SecurityNeedlesProperties::ascii),
                // A needle's start or end alone, one byte changed, or in another case: near misses.
                Arbitraries.of(TEXTS).flatMap(t -> Arbitraries.integers().between(1, t.length() - 1)
                        .map(k -> ascii(t.substring(0, k)))),
                Arbitraries.of(TEXTS).flatMap(t -> Arbitraries.integers().between(1, t.length() - 1)
                        .map(k -> ascii(t.substring(k)))),
                Arbitraries.of(TEXTS).flatMap(t -> Arbitraries.integers().between(0, t.length() - 1).map(k -> {
                    byte[] b = ascii(t);
                    b[k] ^= (byte) 0x80; // the same low seven bits: the pair a word probe reads stays the same
                    return b;
                })),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(9).map(SecurityNeedlesProperties::ascii),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(3));
        return piece.list().ofMaxSize(8).map(pieces -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            pieces.forEach(out::writeBytes);
            return out.toByteArray();
        });
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
