package org.tollgate.normalizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tollgate.normalizer.message.Finding;
import org.tollgate.normalizer.message.SourceProblem;

/**
 * res_security_log lines are read against the fixed key order of their event type (main/security_events.c); the
 * sender's values may hold anything. Real addresses in 192.0.2.0/24, planted 198.51.100.66.
 */
class SecurityLogOrderTest {

    private static final String PLANT = "\",LocalAddress=\"IPV4/UDP/192.0.2.1/5060\",RemoteAddress=\"IPV4/UDP/198.51.100.66/5060";

    @Test
    void everyEventTypeReadsByItsLayoutWhatEverTheAccountHolds() {
        // A pair planted in the AccountID changes nothing when the line is read by its type's key order; read pair by
        // pair (what happens to a line that does not fit its layout), a second RemoteAddress would make it untrusted.
        String log = new String(Corpus.read("security-events.log"), StandardCharsets.UTF_8);
        int read = 0;
        for (String line : log.split("\n")) {
            int account = line.indexOf("AccountID=\"");
            if (account < 0) {
                continue;
            }
            int close = line.indexOf('"', account + 11);
            String planted = line.substring(0, close) + PLANT + line.substring(close);
            Finding original = finding(line);
            Finding attacked = finding(planted);
            assertThat(attacked.source()).as(planted).isEqualTo(original.source());
            assertThat(attacked.sourceTrusted()).as(planted).isEqualTo(original.sourceTrusted());
            assertThat(attacked.action()).as(planted).isEqualTo(original.action());
            read++;
        }
        assertThat(read).isGreaterThan(30);
    }

    @Test
    void aPjsipChallengeResponseFailureTheSenderMadeReadTwoWaysIsAmbiguous() {
        // Call-ID and digest response are both the sender's (res/res_pjsip/security_events.c), on either side of the
        // address: planting a whole LocalAddress/RemoteAddress/Challenge/Response run in the Call-ID reads two ways.
        String line = crf("s" + PLANT + "\",Challenge=\"n\",Response=\"r");
        Finding finding = finding(line);
        assertThat(finding.source()).isNull();
        assertThat(finding.sourceTrusted()).isFalse();
        assertThat(finding.sourceProblem()).isEqualTo(SourceProblem.AMBIGUOUS);
        assertThat(finding.candidates()).containsExactlyInAnyOrder("192.0.2.10", "198.51.100.66");
    }

    @Test
    void theDistributorLineOfTheSameCallIdSettlesWhichReadingIsReal() {
        String callId = "s" + PLANT + "\",Challenge=\"n\",Response=\"r";
        String notice = "[2026-01-18 17:40:01] NOTICE[2290] res_pjsip/pjsip_distributor.c: Request 'REGISTER' from "
                + "'<sip:1001@203.0.113.5>' failed for '192.0.2.10:5060' (callid: " + callId + ") - Failed to authenticate";
        Normalizer normalizer = new Normalizer(Corpus.OPTIONS);
        List<Finding> findings = new ArrayList<>();
        for (String line : List.of(notice, crf(callId))) {
            findings.add(((ParseResult.Parsed) normalizer.normalize(line)).event().finding());
        }
        assertThat(findings.get(0).source().ip()).isEqualTo("192.0.2.10");
        Finding settled = findings.get(1);
        assertThat(settled.sourceProblem()).isNull();
        assertThat(settled.source().ip()).isEqualTo("192.0.2.10");
        assertThat(settled.sourceTrusted()).isTrue();
        assertThat(settled.sessionId()).isEqualTo(callId);
    }

    @Test
    void chanSipDigestValuesCannotHoldAQuoteAndACommaSoTheyNeverMakeALineAmbiguous() {
        // sip_digest_parser cuts a quoted value at its quote and a bare one at a comma (channels/chan_sip.c), and the
        // session is the dialog's pointer: whatever the AccountID holds, the address is the one before the digest keys.
        String line = "[2026-01-18 17:40:02] SECURITY[2289] res_security_log.c: SecurityEvent=\"InvalidPassword\","
                + "EventTV=\"2026-01-18T18:40:02.524+0100\",Severity=\"Error\",Service=\"SIP\",EventVersion=\"2\","
                + "AccountID=\"1001\",SessionID=\"0x7f3a2c001290\",LocalAddress=\"IPV4/UDP/192.0.2.1/5060\"," 
                + "RemoteAddress=\"IPV4/UDP/192.0.2.132/5060\",Challenge=\"4a1b2c3d\",ReceivedChallenge=\"4a1b2c3d\","
                + "ReceivedHash=\"0f1e\"";
        String planted = line.replace("AccountID=\"1001\"", "AccountID=\"1001\",SessionID=\"0x1" + PLANT
                + "\",Challenge=\"4a1b2c3d\",ReceivedChallenge=\"x\",ReceivedHash=\"y\"");
        Finding finding = finding(planted);
        assertThat(finding.sourceProblem()).isNull();
        assertThat(finding.source().ip()).isEqualTo("192.0.2.132");
        assertThat(finding.sessionId()).isEqualTo("0x7f3a2c001290");
    }

    private static String crf(String callId) {
        return "[2026-01-18 17:40:01] SECURITY[2289] res_security_log.c: SecurityEvent=\"ChallengeResponseFailed\","
                + "EventTV=\"2026-01-18T17:40:01.000+0000\",Severity=\"Error\",Service=\"PJSIP\",EventVersion=\"1\","
                + "AccountID=\"<unknown>\",SessionID=\"" + callId + "\",LocalAddress=\"IPV4/UDP/192.0.2.1/5060\","
                + "RemoteAddress=\"IPV4/UDP/192.0.2.10/5060\",Challenge=\"1768757990/0d4a\",Response=\"00ff\","
                + "ExpectedResponse=\"\"";
    }

    private static Finding finding(String line) {
        ParseResult result = new Normalizer(Corpus.OPTIONS).normalize(line);
        Finding finding = ((ParseResult.Parsed) result).event().finding();
        assertThat(finding).as(line).isNotNull();
        return finding;
    }
}
