package org.tollgate.server.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.tollgate.normalizer.input.LineBuffer;

class SyslogFramingTest {

    private static final String RFC5424 = "<133>1 2021-07-22T17:04:36.512-05:00 pbx2 asterisk 2289 - - NOTICE[2290]: "
            + "res_pjsip/pjsip_distributor.c:676 in log_failed_request: Request 'REGISTER' from "
            + "'<sip:1002@203.0.113.5>' failed for '192.0.2.77:5060' (callid: 1889283542-87542901-1273643) - "
            + "Failed to authenticate";
    private static final String RFC3164 = "<29>Sep  8 11:28:36 pbx1 asterisk[4010]: NOTICE[4021][C-0000001d]: "
            + "chan_sip.c:25902 in handle_request_invite: Call from '' (192.0.2.61:5081) to extension "
            + "'9011441632960123' rejected because extension not found in context 'public'.";

    private final List<String> messages = new ArrayList<>();
    private final List<Boolean> truncated = new ArrayList<>();

    private SyslogFraming framing(int max) {
        return new SyslogFraming(max, (line, cut) -> {
            messages.add(line);
            truncated.add(cut);
        });
    }

    /** Feeds {@code text} in chunks of {@code chunk} bytes; false as soon as the framing gives up. */
    private static boolean feed(SyslogFraming framing, String text, int chunk) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += chunk) {
            if (!framing.feed(bytes, i, Math.min(chunk, bytes.length - i))) {
                return false;
            }
        }
        return true;
    }

    private static String octets(String message) {
        return message.getBytes(StandardCharsets.UTF_8).length + " " + message;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 100, 100_000})
    void readsOctetCountedFramesInAnyChunks(int chunk) {
        SyslogFraming framing = framing(64 * 1024);
        assertThat(feed(framing, octets(RFC5424) + octets(RFC3164) + octets("<13>1 - - - - - caf\u00e9"), chunk))
                .isTrue();
        framing.finish();
        assertThat(framing.mode()).isEqualTo(SyslogFraming.Mode.OCTET_COUNTING);
        assertThat(messages).containsExactly(RFC5424, RFC3164, "<13>1 - - - - - caf\u00e9");
        assertThat(truncated).containsOnly(false);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 100, 100_000})
    void readsOneMessagePerLineInAnyChunks(int chunk) {
        SyslogFraming framing = framing(64 * 1024);
        assertThat(feed(framing, RFC3164 + "\n" + RFC5424 + "\r\n" + RFC3164, chunk)).isTrue();
        framing.finish();
        assertThat(framing.mode()).isEqualTo(SyslogFraming.Mode.NEWLINE);
        assertThat(messages).containsExactly(RFC3164, RFC5424 + "\r", RFC3164);
    }

    @Test
    void toleratesALineEndAfterEachFrame() {
        SyslogFraming framing = framing(1024);
        assertThat(feed(framing, octets(RFC3164) + "\n" + octets(RFC5424) + "\r\n", 5)).isTrue();
        assertThat(messages).containsExactly(RFC3164, RFC5424);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 50, 100_000})
    void cutsAnOversizedFrameAndReadsTheNextOne(int chunk) {
        SyslogFraming framing = framing(100);
        String huge = "<13>1 - pbx1 asterisk - - - " + "x".repeat(5_000);
        assertThat(feed(framing, octets(huge) + octets(RFC3164), chunk)).isTrue();
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0)).isEqualTo(huge.substring(0, 50) + LineBuffer.CUT + huge.substring(huge.length() - 50));
        assertThat(messages.get(1)).isEqualTo(RFC3164.substring(0, 50) + LineBuffer.CUT
                + RFC3164.substring(RFC3164.length() - 50));
        assertThat(truncated).containsExactly(true, true);
    }

    @Test
    void cutsAnOversizedLineAndReadsTheNextOne() {
        SyslogFraming framing = framing(1024);
        assertThat(feed(framing, "<13>" + "y".repeat(10_000) + "\n" + RFC3164 + "\n", 333)).isTrue();
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0)).isEqualTo("<13>" + "y".repeat(508) + LineBuffer.CUT + "y".repeat(512));
        assertThat(messages.get(1)).isEqualTo(RFC3164);
        assertThat(truncated).containsExactly(true, false);
    }

    @Test
    void aFrameCutShortByTheEndOfTheConnectionIsHandedOnAsTruncated() {
        SyslogFraming framing = framing(1024);
        feed(framing, "100 <13>1 - pbx1 asterisk - - - partial", 1000);
        framing.finish();
        assertThat(messages).containsExactly("<13>1 - pbx1 asterisk - - - partial");
        assertThat(truncated).containsExactly(true);
    }

    @Test
    void givesUpOnALengthThatIsNotANumber() {
        SyslogFraming framing = framing(1024);
        assertThat(feed(framing, octets(RFC3164) + "12x4 <13>oops", 1000)).isFalse();
        assertThat(framing.error()).contains("expected a message length");
        assertThat(messages).containsExactly(RFC3164);
        assertThat(framing.feed(new byte[] {'1'}, 0, 1)).isFalse();
    }

    @Test
    void givesUpOnAnEndlessLength() {
        SyslogFraming framing = framing(1024);
        assertThat(feed(framing, "1234567890 x", 1)).isFalse();
        assertThat(framing.error()).contains("longer than 9 digits");
    }
}
