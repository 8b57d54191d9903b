package org.tollgate.normalizer.prefix;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.tollgate.normalizer.text.RecentStrings;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The file names and call ids one {@link PrefixScan} hands out again from earlier lines ({@link RecentStrings}) are
 * each line's own: a run of lines read by one scan gives the prefix a new scan gives for each line alone, whatever
 * the lines (names and ids that share their length, their last characters or their middle one, as a sender may pick
 * them to meet in a slot; the same name again after others); also when some lines are read from their bytes (compared
 * with the kept bytes) and others as text, in any order.
 */
class RecentStringsProperties {

    private final PrefixParser parser = new PrefixParser();

    @Provide
    Arbitrary<List<String>> runs() {
        Arbitrary<String> callId = Arbitraries.oneOf(Arbitraries.of("C-0000001c", "C-0000002c", "C-0000001d",
                "C-1000001c", "C-0000101c"), Arbitraries.strings().withChars("C-01cdx").ofMinLength(3).ofMaxLength(12)
                .filter(id -> id.startsWith("C-")));
        Arbitrary<String> file = Arbitraries.oneOf(Arbitraries.of("pbx.c", "acl.c", "pbx.d", "xbx.c", "chan_sip.c",
                "app_dial.c", "res_pjsip/pjsip_options.c", "res_pjsip/pjsip_distributor.c", "a", "pjproject"),
                Arbitraries.strings().withChars("abc._/x").ofMinLength(1).ofMaxLength(8));
        Arbitrary<String> line = Combinators.combine(callId, file, Arbitraries.of(true, false))
                .as((id, name, withId) -> "[2026-01-18 17:39:50.529] VERBOSE[2288]" + (withId ? "[" + id + "]" : "")
                        + " " + name + ": Executing [s@from-trunk:1] Goto(\"PJSIP/1012-00000032\") in new stack");
        return line.list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 2000)
    void aRunReadFromBytesAndTextByOneScanHasEachLinesOwnFileAndCallId(@ForAll("runs") List<String> lines,
                                                                       @ForAll List<Boolean> fromBytes) {
        PrefixScan kept = new PrefixScan();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (i < fromBytes.size() && fromBytes.get(i)) {
                // The line's bytes amid others, as in a chunk of the input.
                byte[] bytes = ("x]" + line + "\n[C-").getBytes(StandardCharsets.ISO_8859_1);
                parser.scan(line, bytes, 2, kept);
            } else {
                parser.scan(line, kept);
            }
            assertReadAlone(line, kept);
        }
    }

    @Property(tries = 2000)
    void aRunReadByOneScanHasEachLinesOwnFileAndCallId(@ForAll("runs") List<String> lines) {
        PrefixScan kept = new PrefixScan();
        for (String line : lines) {
            parser.scan(line, kept);
            assertReadAlone(line, kept);
        }
    }

    /** {@code kept}, just used to read {@code line}, holds the prefix a new scan reads from the line alone. */
    private void assertReadAlone(String line, PrefixScan kept) {
        PrefixScan alone = new PrefixScan();
        parser.scan(line, alone);
        assertThat(kept.file()).as(line).isEqualTo(alone.file());
        assertThat(kept.callId()).as(line).isEqualTo(alone.callId());
        assertThat(kept.toPrefix(null)).as(line).isEqualTo(alone.toPrefix(null));
    }
}
