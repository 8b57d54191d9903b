package org.tollgate.normalizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tollgate.normalizer.input.LineBuffer;
import org.tollgate.normalizer.input.LineSplitter;
import org.tollgate.testkit.OverlongLines;

/**
 * A failure line with a From header of 1 MiB is cut to its head and tail by the splitter, and still gives its event
 * with the transport address, marked {@code asterisk.truncated}; the next line is whole.
 */
class OverlongLineTest {

    private static List<ObjectNode> read(String text, int chunk) {
        byte[] bytes = (text + "\n[2026-01-18 17:40:03] VERBOSE[2290] pbx.c: next\n").getBytes(StandardCharsets.UTF_8);
        List<ParseResult> results = Corpus.normalize(bytes, chunk, Corpus.OPTIONS);
        assertThat(results).hasSize(2);
        List<ObjectNode> events = Corpus.toJson(results);
        assertThat(events.get(1).at("/message").asText()).isEqualTo("next");
        assertThat(events.get(1).has("asterisk") && events.get(1).at("/asterisk/truncated").asBoolean()).isFalse();
        return events;
    }

    private static void assertFailureFrom(ObjectNode event, String ip, String action) {
        assertThat(event.at("/event/action").asText()).isEqualTo(action);
        assertThat(event.at("/source/ip").asText()).isEqualTo(ip);
        assertThat(event.at("/asterisk/truncated").asBoolean()).isTrue();
        String original = event.at("/event/original").asText();
        assertThat(original).contains(LineBuffer.CUT)
                .hasSizeLessThanOrEqualTo(LineSplitter.DEFAULT_MAX_LINE_BYTES + LineBuffer.CUT.length());
    }

    @ParameterizedTest(name = "chunks of {0}")
    @ValueSource(ints = {1, 7, 4096, 1 << 21})
    void aPjsipFailureWithAHugeFromHeaderKeepsItsAddress(int chunk) {
        assertFailureFrom(read(OverlongLines.pjsip(), chunk).get(0), OverlongLines.PJSIP_SOURCE, "auth-failed");
    }

    @ParameterizedTest(name = "chunks of {0}")
    @ValueSource(ints = {1, 7, 4096, 1 << 21})
    void aChanSipRegistrationWithAHugeFromHeaderKeepsItsAddress(int chunk) {
        assertFailureFrom(read(OverlongLines.chanSip(), chunk).get(0), OverlongLines.CHAN_SIP_SOURCE, "registration-failed");
    }

    @ParameterizedTest(name = "chunks of {0}")
    @ValueSource(ints = {7, 4096})
    void aJournaldRecordWithAHugeMessageKeepsItsAddress(int chunk) {
        ObjectNode event = read(OverlongLines.journaldRecord(), chunk).get(0);
        assertFailureFrom(event, OverlongLines.PJSIP_SOURCE, "auth-failed");
        assertThat(event.at("/asterisk/layout").asText()).isEqualTo("journald-json");
        assertThat(event.at("/host/hostname").asText()).as("a field after the message").isEqualTo("pbx1");
    }
}
