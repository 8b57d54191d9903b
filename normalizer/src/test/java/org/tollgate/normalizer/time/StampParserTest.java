package org.tollgate.normalizer.time;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every dateformat logger.conf users set (and the syslog daemons' stamps), read without a pattern per format. */
class StampParserTest {

    private static final int NO_YEAR = StampFields.NO_YEAR;
    private static final int NO_OFFSET = StampFields.NO_OFFSET;

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = '|', value = {
        // text                            | year | mon | day | h  | m  | s  | nanos     | offset seconds
        "Jan 18 17:39:50                   |  -1  | 1   | 18  | 17 | 39 | 50 | 0         | ",   // default %b %e %T
        "Jan  8 07:09:05                   |  -1  | 1   |  8  |  7 |  9 |  5 | 0         | ",   // %e pads with a space
        "Dec 31 23:59:59.999               |  -1  | 12  | 31  | 23 | 59 | 59 | 999000000 | ",   // %b %e %T.%3q
        "2026-01-18 17:39:50               | 2026 | 1   | 18  | 17 | 39 | 50 | 0         | ",   // %F %T
        "2026-01-18 17:39:50.123           | 2026 | 1   | 18  | 17 | 39 | 50 | 123000000 | ",   // %F %T.%3q
        "2026-01-18 17:39:50.123456        | 2026 | 1   | 18  | 17 | 39 | 50 | 123456000 | ",   // %F %T.%6q
        "2026-01-18 17:39:50.1             | 2026 | 1   | 18  | 17 | 39 | 50 | 100000000 | ",   // %1q
        "2026-01-18T17:39:50.123+0100      | 2026 | 1   | 18  | 17 | 39 | 50 | 123000000 | 3600",   // ISO %z
        "2026-01-18T17:39:50.123+01:00     | 2026 | 1   | 18  | 17 | 39 | 50 | 123000000 | 3600",   // RFC 3339
        "2026-01-18T17:39:50.512-0500      | 2026 | 1   | 18  | 17 | 39 | 50 | 512000000 | -18000", // EventTV
        "2026-01-18T17:39:50.123456Z       | 2026 | 1   | 18  | 17 | 39 | 50 | 123456000 | 0",      // RFC 5424
        "2026-01-18T17:39:50+05:30         | 2026 | 1   | 18  | 17 | 39 | 50 | 0         | 19800",
        "2026/01/18 17:39:50 +0100         | 2026 | 1   | 18  | 17 | 39 | 50 | 0         | 3600",
        "2026-01-18 17:39:50 UTC           | 2026 | 1   | 18  | 17 | 39 | 50 | 0         | 0",      // %Z
        "2026-01-18 17:39:50 CET           | 2026 | 1   | 18  | 17 | 39 | 50 | 0         | ",       // ambiguous name: configured zone
        "Sun Jan 18 17:39:50 2026          | 2026 | 1   | 18  | 17 | 39 | 50 | 0         | ",       // %c
        "18 Jan 2026 17:39:50 GMT          | 2026 | 1   | 18  | 17 | 39 | 50 | 0         | 0",
        "01/18/26 17:39:50                 | 2026 | 1   | 18  | 17 | 39 | 50 | 0         | ",       // %D %T
        "01/18/2026 17:39                  | 2026 | 1   | 18  | 17 | 39 |  0 | 0         | ",       // %m/%d/%Y %R
        "January 18 17:39:50               |  -1  | 1   | 18  | 17 | 39 | 50 | 0         | ",       // %B
        "Mar  1 15:35:53                   |  -1  | 3   |  1  | 15 | 35 | 53 | 0         | ",       // BSD syslog
        "2026-06-30 23:59:60               | 2026 | 6   | 30  | 23 | 59 | 59 | 0         | ",       // leap second
        "  2026-01-18 17:39:50             | 2026 | 1   | 18  | 17 | 39 | 50 | 0         | ",
    })
    void readsEveryDateformat(String text, int year, int month, int day, int hour, int minute, int second, int nanos,
                              Integer offset) {
        StampFields fields = StampParser.parse(text, 0, text.length());
        assertThat(fields).as(text).isNotNull();
        assertThat(fields.year()).isEqualTo(year < 0 ? NO_YEAR : year);
        assertThat(fields.hasYear()).isEqualTo(year >= 0);
        assertThat(new int[] {fields.month(), fields.day(), fields.hour(), fields.minute(), fields.second(), fields.nanos()})
                .containsExactly(month, day, hour, minute, second, nanos);
        assertThat(fields.offsetSeconds()).isEqualTo(offset == null ? NO_OFFSET : offset);
        assertThat(fields.hasOffset()).isEqualTo(offset != null);
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = '|', value = {
        "1768757990          | 2026 | 1 | 18 | 17 | 39 | 50 | 0",          // %s
        "1768757990.123      | 2026 | 1 | 18 | 17 | 39 | 50 | 123000000",
        "1768757990.123456789| 2026 | 1 | 18 | 17 | 39 | 50 | 123456789",
        "999999999           | 2001 | 9 |  9 |  1 | 46 | 39 | 0",
    })
    void readsEpochSecondsAsUtc(String text, int year, int month, int day, int hour, int minute, int second, int nanos) {
        StampFields fields = StampParser.parse(text, 0, text.length());
        assertThat(fields).as(text).isNotNull();
        assertThat(new int[] {fields.year(), fields.month(), fields.day(), fields.hour(), fields.minute(), fields.second(), fields.nanos()})
                .containsExactly(year, month, day, hour, minute, second, nanos);
        assertThat(fields.offsetSeconds()).isZero();
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {
        "", "   ", "hello", "Foo 99 99:99:99", "2026-13-01 00:00:00", "2026-01-18", "Jan 18", "17:39:50",
        "2026-01-18 24:00:00", "2026-01-18 17:60:00", "Jan 32 10:00:00", "Jan 00 10:00:00", "99999999999999", "12345",
        "2026-01-18 17:39:50.", "2026-01-18 17:39:50 +2500", "2026-01-18 17:39:50 +01:75", "Jan 18 17:39:50 toolong",
        "2026-01-18 17:39:50 !", "2026-0x-18 17:39:50", "1768757990.12a", "Jan 18 17:39:50 1 2",
        "2026-01-18 17:39:50.0000000000000000000000000000000000000000000000000000000000000000000",
    })
    void rejectsWhatIsNoStamp(String text) {
        assertThat(StampParser.parse(text, 0, text.length())).as(text).isNull();
    }

    @org.junit.jupiter.api.Test
    void readsARangeOfALine() {
        String line = "[2026-01-18 17:39:50.123] NOTICE[1] chan_sip.c: x";
        StampFields fields = StampParser.parse(line, 1, 24);
        assertThat(fields).isNotNull();
        assertThat(fields.nanos()).isEqualTo(123_000_000);
        assertThat(StampParser.monthOf("xxDecember", 2, 3)).isEqualTo(12);
        assertThat(StampParser.monthOf("Ja", 0, 2)).isEqualTo(-1);
    }
}
