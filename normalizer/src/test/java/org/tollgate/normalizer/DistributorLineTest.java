package org.tollgate.normalizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.tollgate.normalizer.json.EcsJsonWriter;
import org.tollgate.normalizer.message.Finding;
import org.tollgate.normalizer.message.SourceProblem;

/**
 * res_pjsip's "Request … from '<From>' failed for '<addr>' (callid: <Call-ID>) - <reason>" (catalog P1–P3): the sender
 * writes the From on the left of the address and the Call-ID on the right. The From is read by the grammar pjsip
 * prints it in (display name, {@code <URI>}); real addresses are in 192.0.2.0/24, planted ones 198.51.100.66.
 */
class DistributorLineTest {

    private static final String PREFIX = "[2026-01-18 17:40:06] NOTICE[2290] res_pjsip/pjsip_distributor.c: ";

    @Test
    void anUnquotedDisplayNameWithAQuoteAndAFakeFailedForNoLongerHidesTheFailure() {
        // From: a"x' failed for 'q <sip:1001@203.0.113.5> (an unquoted display name may hold quotes, not ':'); pjsip
        // prints it in quotes as it is. Read left to right from the first quote, the line had no address at all.
        Finding finding = finding(PREFIX + "Request 'REGISTER' from '\"a\"x' failed for 'q\" <sip:1001@203.0.113.5>' failed for "
                + "'192.0.2.10:5060' (callid: c1) - Failed to authenticate");
        assertThat(finding.source().ip()).isEqualTo("192.0.2.10");
        assertThat(finding.sourceTrusted()).isTrue();
        assertThat(finding.sessionId()).isEqualTo("c1");
        assertThat(finding.userName()).isEqualTo("1001");
    }

    @Test
    void aLineTheSenderMadeReadTwoWaysNamesNeitherAddressAsTrusted() {
        // From: a\ <x:y> (unquoted, ending in a backslash, printed "a\"), Call-ID: z" <sip:1001@203.0.113.5>' failed for
        // '198.51.100.66:5060' (callid: c. Read with the display name as a quoted string, the planted address follows.
        String line = PREFIX + "Request 'REGISTER' from '\"a\\\" <x:y>' failed for '192.0.2.10:5060' (callid: z\" "
                + "<sip:1001@203.0.113.5>' failed for '198.51.100.66:5060' (callid: c) - Failed to authenticate";
        Finding finding = finding(line);
        assertThat(finding.source()).isNull();
        assertThat(finding.sourceTrusted()).isFalse();
        assertThat(finding.sourceProblem()).isEqualTo(SourceProblem.AMBIGUOUS);
        assertThat(finding.candidates()).containsExactlyInAnyOrder("192.0.2.10", "198.51.100.66");
        ObjectNode json = json(line);
        assertThat(json.at("/asterisk/source_problem").asText()).isEqualTo("ambiguous");
        assertThat(json.has("source")).isFalse();
        assertThat(json.at("/related/ip").toString()).contains("192.0.2.10", "198.51.100.66");
        assertThat(json.at("/event/action").asText()).isEqualTo("auth-failed");
    }

    @Test
    void aCallIdRepeatingTheFixedTextIsTheCallersAndChangesNothing() {
        Finding finding = finding(PREFIX + "Request 'INVITE' from '<x:a'b(c)>' failed for '192.0.2.10:5060' (callid: "
                + "x' failed for '198.51.100.66:5060' (callid: y) - Failed to authenticate");
        assertThat(finding.source().ip()).isEqualTo("192.0.2.10");
        assertThat(finding.sourceTrusted()).isTrue();
        assertThat(finding.sessionId()).isEqualTo("x' failed for '198.51.100.66:5060' (callid: y");
    }

    @Test
    void aQuotedDisplayNameHoldingTheWholeMessageIsSkippedByItsGrammar() {
        Finding finding = finding(PREFIX + "Request 'REGISTER' from '\"x' failed for '198.51.100.66:5060' (callid: a) - "
                + "Failed to authenticate \\\"\" <sip:1001@203.0.113.5>' failed for '[2001:db8::10]:5062' (callid: b) "
                + "- No matching endpoint found");
        assertThat(finding.source().ip()).isEqualTo("2001:db8::10");
        assertThat(finding.source().port()).isEqualTo(5062);
        assertThat(finding.action().id()).isEqualTo("endpoint-not-found");
    }

    @Test
    void theOldUnbracketedRenderingAndTheRetryCountAreRead() {
        Finding finding = finding(PREFIX + "Request 'REGISTER' from '<sip:1001@203.0.113.5>' failed for '2001:db8::10:5060' "
                + "(callid: k) - No matching endpoint found after 5 tries in 2.500 ms");
        assertThat(finding.source().ip()).isEqualTo("2001:db8::10");
        assertThat(finding.attempts()).isEqualTo(5);
        assertThat(finding.versionFamily()).isEqualTo("13.10-16.0");
        Finding p1 = finding(PREFIX + "Request from '\"Bob\" <sip:1001@203.0.113.5>' failed for '192.0.2.11:5060' "
                + "(callid: k2) - No matching endpoint found");
        assertThat(p1.source().ip()).isEqualTo("192.0.2.11");
        assertThat(p1.versionFamily()).isEqualTo("12-13.9");
    }

    private static Finding finding(String line) {
        ParseResult result = new Normalizer(Corpus.OPTIONS).normalize(line);
        assertThat(result).isInstanceOf(ParseResult.Parsed.class);
        Finding finding = ((ParseResult.Parsed) result).event().finding();
        assertThat(finding).as(line).isNotNull();
        return finding;
    }

    private static ObjectNode json(String line) {
        return Corpus.parse(new EcsJsonWriter().toJson(new Normalizer(Corpus.OPTIONS).normalize(line)));
    }
}
