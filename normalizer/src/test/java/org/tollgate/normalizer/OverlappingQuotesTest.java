package org.tollgate.normalizer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Messages that quote the sender's text and find the address after it by the last {@code "' from '"} (or the like):
 * with the sender's text and its closing quote cut away, the opening quote is the first character of that mark. The
 * parsers took the text between the two for the sender's and cut a substring that ended before it began, and the
 * {@link StringIndexOutOfBoundsException} ended the source's thread. Such a line is not one Asterisk writes: it is a
 * plain log line. The same message with an empty quoted part is Asterisk's, and stays an event.
 */
class OverlappingQuotesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // The fuzzing found this one (FailuresToActionsFuzzTest, -Dfuzz.seed=-7638681970196965141).
        "[2026-01-18 17:39:59] NOTICE[2744] chan_sip.c: Unknown SIP command ' from '192.0.2.10:5060'",
        "[2026-01-18 17:40:00] NOTICE[2744] chan_sip.c: Invalid to address: ' from 192.0.2.10 (missing sip:) trying to use anyway...",
        "[2026-01-18 17:40:00] NOTICE[3402] chan_iax2.c: No registration for peer ' (from 192.0.2.10)",
        "[2026-01-18 17:40:01] WARNING[2512] res_pjsip_registrar.c: AOR ' not found for endpoint 'anonymous' (192.0.2.10:5060)",
    })
    void aLineWhoseOpeningQuoteIsTheMarkIsAPlainLogLine(String line) {
        AsteriskEvent event = event(new Normalizer(Corpus.OPTIONS).normalize(line));
        assertThat(event.isSecurity()).isFalse();
        assertThat(event.original()).isEqualTo(line);
        assertThat(new Normalizer(Corpus.OPTIONS).normalizeSecurity(line)).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[2026-01-18 17:39:59] NOTICE[2744] chan_sip.c: Unknown SIP command '' from '192.0.2.10:5060'|sip-unknown-command",
        "[2026-01-18 17:40:00] NOTICE[2744] chan_sip.c: Invalid to address: '' from 192.0.2.10 (missing sip:) trying to use anyway...|registration-invalid-to",
        "[2026-01-18 17:40:00] NOTICE[3402] chan_iax2.c: No registration for peer '' (from 192.0.2.10)|iax-registration-failed",
        "[2026-01-18 17:40:01] WARNING[2512] res_pjsip_registrar.c: AOR '' not found for endpoint 'anonymous' (192.0.2.10:5060)|aor-not-found",
    })
    void theSameMessageWithAnEmptyQuotedPartIsAnEvent(String line, String action) {
        for (AsteriskEvent event : new AsteriskEvent[] {
            event(new Normalizer(Corpus.OPTIONS).normalize(line)),
            new Normalizer(Corpus.OPTIONS).normalizeSecurity(line),
        }) {
            assertThat(event.isSecurity()).as(line).isTrue();
            assertThat(event.finding().action().id()).isEqualTo(action);
            assertThat(event.finding().source().ip()).isEqualTo("192.0.2.10");
        }
    }

    private static AsteriskEvent event(ParseResult result) {
        assertThat(result).isInstanceOf(ParseResult.Parsed.class);
        return ((ParseResult.Parsed) result).event();
    }
}
