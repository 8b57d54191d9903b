package org.tollgate.normalizer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LineCleanerTest {

    @Test
    void aCleanLineIsReturnedAsIs() {
        String line = "[Jan 18 17:39:50] NOTICE[1] chan_sip.c: Registration from '<sip:1@203.0.113.5>' failed";
        assertThat(LineCleaner.clean(line)).isSameAs(line);
        assertThat(LineCleaner.clean("a\tb")).isEqualTo("a\tb");
    }

    static Stream<Arguments> dirtyLines() {
        return Stream.of(
                Arguments.of("crlf", "x\r\n", "x"),
                Arguments.of("doubled cr", "x\r\r", "x"),
                Arguments.of("raw colour", "\u001b[1;33mNOTICE\u001b[0m[1]", "NOTICE[1]"),
                Arguments.of("rsyslog colour", "#033[1;33mNOTICE#033[0m[1]", "NOTICE[1]"),
                Arguments.of("rsyslog tab", "pjproject: #011 sip_transport.c", "pjproject: \t sip_transport.c"),
                Arguments.of("nul and bell", "a\u0000b\u0007c", "abc"),
                Arguments.of("del", "a\u007fb", "ab"),
                Arguments.of("cursor sequence", "a\u001b[2Kb", "ab"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dirtyLines")
    void removesWhatIsNotText(String name, String raw, String clean) {
        assertThat(LineCleaner.clean(raw)).isEqualTo(clean);
    }

    @Test
    void anEscapeThatStartsNoColourTakesNothingAfterIt() {
        // A sender's header ending in ESC (or the text "#033[") must not eat the quote Asterisk writes after it.
        assertThat(LineCleaner.clean("'<sip:x>\u001b' failed for '192.0.2.10'")).isEqualTo("'<sip:x>' failed for '192.0.2.10'");
        assertThat(LineCleaner.clean("'<sip:x>\u001b[' failed for '192.0.2.10'")).isEqualTo("'<sip:x>[' failed for '192.0.2.10'");
        assertThat(LineCleaner.clean("'<sip:x>#033[' failed for '192.0.2.10'")).isEqualTo("'<sip:x>[' failed for '192.0.2.10'");
        assertThat(LineCleaner.clean("'<sip:x>#033[1;' failed")).isEqualTo("'<sip:x>[1;' failed");
        assertThat(LineCleaner.clean("x\u001b")).isEqualTo("x");
    }

    @Test
    void aJsonRecordKeepsItsEscapedTabs() {
        String record = "{\"MESSAGE\":\"a#011b\"}";
        assertThat(LineCleaner.clean(record)).isEqualTo(record);
    }

    @Test
    void binaryMeansMostlyControlOrUndecodable() {
        assertThat(LineCleaner.isBinary("")).isFalse();
        assertThat(LineCleaner.isBinary("plain text\r")).isFalse();
        assertThat(LineCleaner.isBinary("\u001b[1;31mred\u001b[0m")).isFalse();
        assertThat(LineCleaner.isBinary("\u0000\u0000\u0000\u0000")).isTrue();
        assertThat(LineCleaner.isBinary("ab\uFFFD\uFFFD\uFFFD")).isTrue();
        assertThat(LineCleaner.isBinary("abcd\uFFFD")).isFalse();
    }
}
