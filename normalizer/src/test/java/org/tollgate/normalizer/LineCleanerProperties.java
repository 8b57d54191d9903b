package org.tollgate.normalizer;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * {@link LineCleaner#clean(String, int[])} reads a line's low bytes first and returns it as it is when they show
 * nothing to clean: the same line and the same count of undecodable or control characters as reading it character by
 * character ({@link LineCleaner#cleanChars}), whatever the line holds, above all characters beyond Latin-1 whose low
 * byte is a TAB, {@code #}, DEL, a control byte or printable ASCII, and U+FFFD.
 */
class LineCleanerProperties {

    @Provide
    Arbitrary<String> lines() {
        Arbitrary<String> special = Arbitraries.of("\t", "#", "#033[1;31m", "#011", "#0", "\u001b[0m", "\u001b", "\u0000",
                "\u007f", "\r", "\n", "\ufffd", "\u0109", "\u0123", "\u017f", "\u0141", "\u011b", "\uff23", "\ufe09",
                "\u00e9", "\u00a0", "\u0080", "\ud83d\ude00", "\ud83d", "\ude00", "{");
        Arbitrary<String> pieces = Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.chars().range(' ', '~').map(String::valueOf)),
                Tuple.of(3, special),
                Tuple.of(1, Arbitraries.chars().map(String::valueOf)));
        return pieces.list().ofMaxSize(80).map(p -> String.join("", p));
    }

    @Property(tries = 5000)
    void theLowByteTestChangesNothing(@ForAll("lines") String line) {
        int[] count = {-1};
        String cleaned = LineCleaner.clean(line, count);
        int length = line.length();
        while (length > 0 && (line.charAt(length - 1) == '\r' || line.charAt(length - 1) == '\n')) {
            length--;
        }
        int[] byChar = {-1};
        assertThat(cleaned).isEqualTo(LineCleaner.cleanChars(line, length, byChar));
        assertThat(count[0]).isEqualTo(byChar[0]);
        // A caller's buffer, shorter than some lines and holding the bytes of the lines before, changes nothing.
        int[] withScratch = {-1};
        assertThat(LineCleaner.clean(line, withScratch, scratch)).isEqualTo(cleaned);
        assertThat(withScratch[0]).isEqualTo(count[0]);
    }

    private final byte[] scratch = new byte[40];
}
