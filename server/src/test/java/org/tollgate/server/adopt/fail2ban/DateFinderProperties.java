package org.tollgate.server.adopt.fail2ban;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The shortcut for Asterisk's stamps finds the date exactly where fail2ban's templates find it, on stamps near the
 * edge of every range (months 00 and 13, hour 24, seconds 60, seven digits after the second, two spaces, other
 * brackets and separators).
 */
class DateFinderProperties {

    private static final DateFinder SHORTCUT = DateFinder.of(null);
    private static final DateFinder TEMPLATES = SHORTCUT.withoutShortcut();
    private static final DateFinder LINE_BEGIN = DateFinder.of("{^LN-BEG}");
    private static final DateFinder LINE_BEGIN_TEMPLATES = LINE_BEGIN.withoutShortcut();

    @Property(tries = 3000)
    void theShortcutAgreesWithTheTemplates(@ForAll("stampedLines") String line) {
        assertThat(SHORTCUT.find(line)).as(line).isEqualTo(TEMPLATES.find(line));
        assertThat(LINE_BEGIN.find(line)).as(line).isEqualTo(LINE_BEGIN_TEMPLATES.find(line));
    }

    @Provide
    Arbitrary<String> stampedLines() {
        Arbitrary<String> before = Arbitraries.of("", "[", "[[", "[[[", " [", "<", "x[", "\u00a0[");
        Arbitrary<String> year = Arbitraries.of("2026", "2099", "1999", "202", "20261");
        Arbitrary<String> separator = Arbitraries.of("-", "/", ".", ":", "");
        Arbitrary<String> month = Arbitraries.of("01", "09", "10", "12", "00", "13", "1", "7");
        Arbitrary<String> day = Arbitraries.of("01", "09", "10", "29", "30", "31", "32", "00", "1", " 1");
        Arbitrary<String> between = Arbitraries.of(" ", "T", "  ", "   ", "", "t");
        Arbitrary<String> time = Arbitraries.of("17:39:50", "00:00:00", "23:59:59", "24:00:00", "19:60:00",
                "12:00:60", "12:00:61", "9:05:07", "12:5:07");
        Arbitrary<String> fraction = Arbitraries.of("", ".1", ".123", ".123456", ".1234567", ",5", ".", ".x");
        Arbitrary<String> after = Arbitraries.of("]", "] NOTICE[1] x", "]x", " ]", "+0200]", " UTC]", "Z]", "", " x",
                "5]");
        return Combinators.combine(before, year, separator, month, day, between, time,
                Combinators.combine(fraction, after).as(String::concat))
                .as((b, y, s, m, d, t, h, rest) -> b + y + s + m + s + d + t + h + rest);
    }
}
