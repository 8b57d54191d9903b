package org.tollgate.server.adopt.fail2ban;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The date is taken out of a line where fail2ban takes it out, so that filters written for fail2ban match. */
class DateFinderTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "-                           | [2026-01-18 17:39:50] NOTICE[2290] chan_sip.c: x    | [] NOTICE[2290] chan_sip.c: x",
            "-                           | [2026-01-18 17:39:50.512] NOTICE[2290] x            | [] NOTICE[2290] x",
            "-                           | Jan 18 17:39:50 pbx1 asterisk[4010]: NOTICE[1]: x   | ' pbx1 asterisk[4010]: NOTICE[1]: x'",
            "-                           | [Jan  8 17:39:50] NOTICE[2290] x                    | [] NOTICE[2290] x",
            "-                           | 2026-01-18T17:39:50.250000-05:00 pbx1 asterisk: x   | ' pbx1 asterisk: x'",
            "-                           | no date here at all                                 | no date here at all",
            "-                           | x at 2026-01-18 17:39:50 later                      | 'x at  later'",
            "{^LN-BEG}                   | x at 2026-01-18 17:39:50 later                      | x at 2026-01-18 17:39:50 later",
            "{^LN-BEG}                   | [2026-01-18 17:39:50] NOTICE x                      | [] NOTICE x",
            "{NONE}                      | [2026-01-18 17:39:50] NOTICE x                      | [2026-01-18 17:39:50] NOTICE x",
            "^%Y/%m/%d %H:%M:%S          | 2026/01/18 17:39:50 app: x                          | ' app: x'",
            "^%Y/%m/%d %H:%M:%S          | x 2026/01/18 17:39:50 app                           | x 2026/01/18 17:39:50 app",
            "%d-%b-%Y %H:%M:%S           | seen 18-Jan-2026 17:39:50 from                      | 'seen  from'",
            "EPOCH                       | 1768757990.123 app: x                               | ' app: x'",
            "^\\[%b %d %H:%M:%S\\]       | [Jan 18 17:39:50] NOTICE x                          | ' NOTICE x'",
    })
    void theDateIsTakenOutWhereFail2banTakesItOut(String datepattern, String line, String withoutDate) {
        DateFinder finder = DateFinder.of(datepattern.equals("-") ? null : datepattern);
        assertThat(finder.withoutDate(line)).isEqualTo(withoutDate.replace("'", ""));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"%c %Y | locale", "^%Y {DATE} | {DATE}"})
    void aPatternTollgateCannotUseIsRefused(String datepattern, String why) {
        assertThatThrownBy(() -> DateFinder.of(datepattern.strip())).hasMessageContaining(why.strip());
    }
}
