package org.tollgate.normalizer.prefix;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * The prefix read from a line's bytes ({@link PrefixParser#scan(String, byte[], int, PrefixScan)}) is the prefix read
 * from its text, field by field, on lines near the usual file line at each of the parser's bounds (a stamp closed at
 * 72 and 73 characters, levels of 16 and 17 capitals and unknown ones, thread ids of 18 and 19 digits, call ids closed
 * at 24 and 25, file names of 96 characters, {@code file:123 function: }, {@code Ext. }, {@code <?>}) and with any
 * character a sender can put there (all of Latin-1, one byte each, as a plain line is read); the line's bytes sit in a
 * larger array between other text, so a read outside the line shows.
 */
class FilePrefixBytesProperties {

    private final PrefixParser parser = new PrefixParser();

    @Property(tries = 5000)
    void theBytesGiveThePrefixTheTextGives(@ForAll("lines") String line, @ForAll("surroundings") String before,
                                           @ForAll("surroundings") String after) {
        byte[] bytes = (before + line + after).getBytes(StandardCharsets.ISO_8859_1);
        PrefixScan fromText = new PrefixScan();
        parser.scan(line, fromText);
        PrefixScan fromBytes = new PrefixScan();
        boolean read = FilePrefixBytes.scan(line, bytes, before.length(), new PrefixScan());
        parser.scan(line, bytes, before.length(), fromBytes);
        Statistics.label("read from the bytes").collect(read);
        Statistics.label("read from the bytes").coverage(c -> {
            c.check(true).percentage(p -> p > 30);
            c.check(false).percentage(p -> p > 10);
        });
        assertThat(state(fromBytes)).as(line).isEqualTo(state(fromText));
    }

    /** A scan reused from line to line is as good as a new one (the byte path resets what it sets). */
    @Property(tries = 1000)
    void aReusedScanGivesThePrefixOfTheLastLine(@ForAll("lines") String first, @ForAll("lines") String second) {
        PrefixScan reused = new PrefixScan();
        parser.scan(first, first.getBytes(StandardCharsets.ISO_8859_1), 0, reused);
        parser.scan(second, second.getBytes(StandardCharsets.ISO_8859_1), 0, reused);
        PrefixScan fromText = new PrefixScan();
        parser.scan(second, fromText);
        assertThat(state(reused)).as(second).isEqualTo(state(fromText));
    }

    @Example
    void theUsualLinesAreReadFromTheirBytes() {
        for (String line : new String[] {
            "[2026-01-18 20:26:15.023] VERBOSE[2336][C-000029b7] app_dial.c:     -- SIP/1022-00003227 answered",
            "[2026-01-18 22:42:48.856] DEBUG[2288] pjproject: \t       sip_endpoint.c Processing incoming message",
            "[Jan 18 17:39:50] NOTICE[2290] res_pjsip/pjsip_distributor.c: Request 'INVITE' from '<sip:1@x>' failed",
            "[2026-01-18 17:39:50] WARNING[1]: a message without a file"}) {
            assertThat(FilePrefixBytes.scan(line, line.getBytes(StandardCharsets.ISO_8859_1), 0, new PrefixScan()))
                    .as(line).isTrue();
        }
    }

    /** Everything a scan holds, the strings it cuts included. */
    private static List<Object> state(PrefixScan s) {
        return Arrays.asList(s.layout, s.text, s.messageStart, s.stampSource, s.stampFrom, s.stampTo, s.instant,
                s.level, s.threadId, s.callIdFrom, s.callIdTo, s.fileFrom, s.fileTo, s.fileLine, s.functionFrom,
                s.functionTo, s.jsonCallId, s.hostname, s.program, s.pid, s.file(), s.callId(), s.function());
    }

    @Provide
    Arbitrary<String> lines() {
        Arbitrary<String> near = Combinators.combine(
                mostly(List.of("[2026-01-18 17:39:50.123] ", "[Jan 18 17:39:50] "),
                        List.of("[" + "9".repeat(71) + "] ", "[" + "9".repeat(72) + "] ", "[" + "9".repeat(70) + "] ",
                                "[2026-01-18]", "[]", "[", "", "[x]] ", "[2026-01-18 17:39:50.123]  ")),
                mostly(List.of("VERBOSE", "NOTICE", "DEBUG", "WARNING", "SECURITY", "ERROR", "DTMF"),
                        List.of("X", "", "notice", "FAX", "TRACE", "EVENT", "VERBOSEVERBOSEVE", "VERBOSEVERBOSEVER",
                                "DEBUGX", "Asterisk 20.5.0 built")),
                mostly(List.of("[2290]", "[7]", "[123456789]"),
                        List.of(" [12]", "[]", "2290]", "[" + "1".repeat(18) + "]", "[" + "1".repeat(19) + "]", "[1",
                                "  [3]")),
                mostly(List.of("", "[C-0000001c]", ":", "[C-000029b7]:"),
                        List.of("[C-", "[C-]", "[C-" + "0".repeat(20) + "]", "[C-" + "0".repeat(21) + "]",
                                "[C-" + "0".repeat(22) + "]", "[X-1]", "x")),
                mostly(List.of(" pbx.c: ", " res_pjsip/pjsip_distributor.c: ", " pjproject: ", " "),
                        List.of("", " chan_sip.c:1 in f: ", " chan_sip.c:28912 handle_request_register: ",
                                " pjproject:<?>: ", " Ext. 100: ", " Ext. :", " a b: ", " file.c:", " file.c:x",
                                " " + "f".repeat(95) + ": ", " " + "f".repeat(96) + ": ", " :x ", " x:")),
                Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(16))
                .as((stamp, level, thread, callId, module, rest) -> stamp + level + thread + callId + module + rest);
        return Arbitraries.frequencyOf(Tuple.of(8, near),
                Tuple.of(1, Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(80)),
                Tuple.of(1, Arbitraries.strings().withChars("[]: CVERBOSE0123-.x").ofMaxLength(80)));
    }

    /** Text around the line in the array: what a read outside it would find (brackets, colons, blanks, digits). */
    @Provide
    Arbitrary<String> surroundings() {
        return Arbitraries.strings().withChars("] :0a[C-").ofMaxLength(8);
    }

    /** One of {@code usual} six times in seven, else one of {@code unusual}. */
    private static Arbitrary<String> mostly(List<String> usual, List<String> unusual) {
        return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of(usual)), Tuple.of(1, Arbitraries.of(unusual)));
    }
}
