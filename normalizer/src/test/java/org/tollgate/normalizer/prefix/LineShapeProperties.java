package org.tollgate.normalizer.prefix;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * The byte-level line shapes the noise filter trusts ({@link FileLineShape}, {@link SyslogLineShape}) are strict parts
 * of what the {@link PrefixParser} reads: a line of a shape is one the parser reads in that layout, never bare, with
 * its stamp exactly where the shape says. Lines near the shapes (months in other cases, a year after the time, an
 * Asterisk stamp after the syslog header, short days and times, brackets) and text of no shape at all.
 */
class LineShapeProperties {

    private final PrefixParser parser = new PrefixParser();

    @Property(tries = 3000)
    void aLineOfTheSyslogShapeIsReadAsSyslogWithThatStamp(@ForAll("syslogLines") String line) {
        byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
        readAsTheShapeSays(line, SyslogLineShape.stampEnd(bytes, 0, bytes.length), 0, Layout.SYSLOG);
    }

    @Property(tries = 3000)
    void aLineOfTheFileShapeIsReadWithItsStampInTheBrackets(@ForAll("fileLines") String line) {
        byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
        readAsTheShapeSays(line, FileLineShape.stampEnd(bytes, 0, bytes.length), FileLineShape.DATE_FROM,
                Layout.FILE, Layout.PLAIN);
    }

    /** A line of a shape ({@code stampEnd} 0 or more) is read in one of {@code layouts}, its stamp where it says. */
    private void readAsTheShapeSays(String line, int stampEnd, int stampFrom, Layout... layouts) {
        Statistics.label("of the shape").collect(stampEnd >= 0);
        Statistics.label("of the shape").coverage(c -> {
            c.check(true).percentage(p -> p > 10);
            c.check(false).percentage(p -> p > 10);
        });
        if (stampEnd < 0) {
            return;
        }
        PrefixScan scan = new PrefixScan();
        parser.scan(line, scan);
        assertThat(scan.layout()).as(line).isIn((Object[]) layouts);
        assertThat(scan.stampSource()).as(line).isEqualTo(line);
        assertThat(scan.stampFrom()).as(line).isEqualTo(stampFrom);
        assertThat(scan.stampTo()).as(line).isEqualTo(stampEnd);
    }

    /** The lines the syslog shape leaves out are ones the parser reads another way: each exclusion is needed. */
    @Example
    void theSyslogShapeLeavesOutTheLinesWhoseStampIsElsewhere() {
        for (String line : new String[] {
            "Jan 18 17:39:51 2026 pbx1 asterisk[2281]: NOTICE[2290]: chan_sip.c:1 in f: a year after the time",
            "Jan 18 17:39:51 pbx1 asterisk[2281]: [2026-01-18 17:39:51.123] NOTICE[2290]: chan_sip.c: Asterisk's stamp",
            "Jan 18 17:39:51 asterisk: [2026-01-18 17:39:51.123] NOTICE[2290]: chan_sip.c: a tag, Asterisk's stamp"}) {
            byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
            PrefixScan scan = new PrefixScan();
            parser.scan(line, scan);
            assertThat(SyslogLineShape.stampEnd(bytes, 0, bytes.length)).as(line).isEqualTo(-1);
            assertThat(scan.layout()).as(line).isEqualTo(Layout.SYSLOG);
            assertThat(scan.stampFrom() == 0 && scan.stampTo() == "Jan 18 17:39:51".length()).as(line).isFalse();
        }
    }

    @Provide
    Arbitrary<String> syslogLines() {
        Arbitrary<String> near = Combinators.combine(
                mostly(List.of("Jan", "Jun", "Dec", "Oct"), List.of("JAN", "jun", "OCT", "Foo", "Ja")),
                mostly(List.of(" 18", "  1", " 1"), List.of(" 001", "  ", " 7x", "18")),
                mostly(List.of(" 17:39:51", " 17:39:51.123456"), List.of(" 17:39:5", " 17:39:51.", " 7:39:51",
                        " 17-39-51")),
                mostly(List.of(" "), List.of(" 2026 ", " 20261 ", "  ", " 2026", "")),
                mostly(List.of("pbx1 asterisk[2281]: ", "asterisk: ", "pbx1 ", "pbx1 kernel: "),
                        List.of("pbx1 [x]: ", "pbx1 asterisk[2281]: [2026-01-18 17:39:51.123] ",
                                "asterisk: [2026-01-18 17:39:51] ", "pbx1 asterisk[2281]:", "x ", "pbx1 asterisk[1]:[",
                                "pbx1 a: b: [", "")),
                mostly(List.of("NOTICE[2290]: chan_sip.c:28912 in f: ", "VERBOSE[2290][C-0000001c]: pbx.c:1 in g: ",
                        "SECURITY[2301]: res_security_log.c:96 in h: ", "a message"), List.of("", "[", "x: [y] ")),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(12))
                .as((month, day, time, gap, header, body, rest) -> month + day + time + gap + header + body + rest);
        return Arbitraries.frequencyOf(Tuple.of(8, near),
                Tuple.of(1, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(60)));
    }

    @Provide
    Arbitrary<String> fileLines() {
        Arbitrary<String> near = Combinators.combine(
                mostly(List.of("[2026-01-18"), List.of("[2026-01-1", "[2026-01-18T", "[Jan 18 2026", "2026-01-18")),
                mostly(List.of(" 17:39:50]", " 17:39:50.123]"), List.of("T17:39:50]", " 17:39:50", "]", " 17:39:50] x]")),
                mostly(List.of(" "), List.of("", "  ")),
                mostly(List.of("VERBOSE", "NOTICE"), List.of("X", "", "notice", "VERBOSEVERBOSEVERBOSE")),
                mostly(List.of("[2290]", "[7]", "[123456789]"), List.of(" [12]", "[]", "2290]", "[1234567890]")),
                mostly(List.of("", "[C-0000001c]", ":"), List.of("[C-", "[C-00000000000000000000000000001c]")),
                mostly(List.of(" pbx.c: ", " chan_sip.c:1 in f: "), List.of("", " ", ": x")),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(12))
                .as((date, time, gap, level, thread, callId, module, rest) ->
                        date + time + gap + level + thread + callId + module + rest);
        return Arbitraries.frequencyOf(Tuple.of(8, near),
                Tuple.of(1, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(60)));
    }

    /** One of {@code usual} six times in seven, else one of {@code unusual}. */
    private static Arbitrary<String> mostly(List<String> usual, List<String> unusual) {
        return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of(usual)), Tuple.of(1, Arbitraries.of(unusual)));
    }
}
