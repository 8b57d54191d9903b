package org.tollgate.normalizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scanner signals: events made from several lines, handed on after the line that completes them. */
class ScanSignalsTest {

    private static String challengeSent(int second, String service, String account, String session, String ip) {
        return String.format("[2026-01-18 17:50:%02d] SECURITY[2289] res_security_log.c: SecurityEvent=\"ChallengeSent\","
                + "EventTV=\"2026-01-18T17:50:%02d.000+0000\",Severity=\"Informational\",Service=\"%s\",EventVersion=\"1\","
                + "AccountID=\"%s\",SessionID=\"%s\",LocalAddress=\"IPV4/UDP/192.0.2.1/5060\","
                + "RemoteAddress=\"IPV4/UDP/%s/5060\",Challenge=\"%s\"", second, second, service, account, session, ip,
                service.equals("SIP") ? "4a1b2c3d" : "1768758600/0d4a");
    }

    @Test
    void pjsipChallengesToUnknownAccountsMakeAChallengeFloodTrusted() {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            log.append(challengeSent(i, "PJSIP", "<unknown>", "c" + i, "192.0.2.50")).append('\n');
        }
        List<ObjectNode> signals = signals(log.toString());
        assertThat(signals).hasSize(1);
        ObjectNode flood = signals.get(0);
        assertThat(flood.at("/event/action").asText()).isEqualTo("scan-challenge-flood");
        assertThat(flood.at("/event/category/0").asText()).isEqualTo("intrusion_detection");
        assertThat(flood.at("/source/ip").asText()).isEqualTo("192.0.2.50");
        assertThat(flood.at("/asterisk/source_trusted").asBoolean()).isTrue();
        assertThat(flood.at("/event/sequence").asLong()).as("after the 20th challenge").isEqualTo(20);
    }

    @Test
    void chanSipChallengesToManyAccountsAreSaidButNotTrusted() {
        // alwaysauthreject: an unknown user is challenged like a known one, and a scanner that never answers leaves
        // only ChallengeSent; chan_sip names p->sa, which the sender's Via maddr= sets.
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            log.append(challengeSent(i, "SIP", String.valueOf(1000 + i), "0x7f3a2c0013" + i, "192.0.2.51")).append('\n');
        }
        List<ObjectNode> signals = signals(log.toString());
        assertThat(signals).hasSize(1);
        assertThat(signals.get(0).at("/event/action").asText()).isEqualTo("scan-challenge-flood");
        assertThat(signals.get(0).at("/asterisk/source_trusted").asBoolean()).isFalse();
    }

    @Test
    void accountsThatLogInAreNoFlood() {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 15; i++) {
            log.append(challengeSent(i, "PJSIP", "ext" + i, "r" + i, "192.0.2.52")).append('\n');
            log.append(String.format("[2026-01-18 17:50:%02d] SECURITY[2289] res_security_log.c: SecurityEvent="
                    + "\"SuccessfulAuth\",EventTV=\"2026-01-18T17:50:%02d.100+0000\",Severity=\"Informational\","
                    + "Service=\"PJSIP\",EventVersion=\"1\",AccountID=\"ext%d\",SessionID=\"r%d\","
                    + "LocalAddress=\"IPV4/UDP/192.0.2.1/5060\",RemoteAddress=\"IPV4/UDP/192.0.2.52/5060\","
                    + "UsingPassword=\"1\"", i, i, i, i)).append('\n');
        }
        assertThat(signals(log.toString())).isEmpty();
    }

    @Test
    void failuresForManyUserNamesAreAnEnumerationAndManyFailedOptionsASweep() {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            log.append(String.format("[2026-01-18 17:51:%02d] NOTICE[2290] res_pjsip/pjsip_distributor.c: Request "
                    + "'REGISTER' from '<sip:%d@203.0.113.5>' failed for '192.0.2.53:5060' (callid: e%d) - No matching "
                    + "endpoint found%n", i, 100 + i, i));
            log.append(String.format("[2026-01-18 17:51:%02d] NOTICE[2290] res_pjsip/pjsip_distributor.c: Request "
                    + "'OPTIONS' from '<sip:100@203.0.113.5>' failed for '192.0.2.54:5060' (callid: o%d) - No matching "
                    + "endpoint found%n", i, i));
        }
        List<ObjectNode> signals = signals(log.toString());
        assertThat(signals).extracting(s -> s.at("/event/action").asText() + " " + s.at("/source/ip").asText())
                .containsExactly("scan-user-enumeration 192.0.2.53", "scan-options-sweep 192.0.2.54");
    }

    /**
     * Counted over 60 s from an address's first event, and said again in a later window: user names spread over more
     * than a minute are no enumeration, ten within one are, once per window.
     */
    @Test
    void anEnumerationIsCountedWithinAWindowOfSixtySecondsAndSaidOncePerWindow() {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            log.append(failedRegister(51, i, 200 + i, "192.0.2.56"));
        }
        for (int i = 0; i < 6; i++) {
            log.append(failedRegister(52, 10 + i, 300 + i, "192.0.2.56"));
        }
        assertThat(signals(log.toString())).as("12 user names over 75 s, at most 6 in any window").isEmpty();

        StringBuilder windows = new StringBuilder();
        for (int minute : new int[] {51, 53}) {
            for (int i = 0; i < 12; i++) {
                windows.append(failedRegister(minute, i, 400 + minute * 20 + i, "192.0.2.57"));
            }
        }
        assertThat(signals(windows.toString())).extracting(s -> s.at("/event/action").asText() + " "
                        + s.at("/@timestamp").asText())
                .containsExactly("scan-user-enumeration 2026-01-18T17:51:09Z",
                        "scan-user-enumeration 2026-01-18T17:53:09Z");
    }

    private static String failedRegister(int minute, int second, int user, String ip) {
        return String.format("[2026-01-18 17:%02d:%02d] NOTICE[2290] res_pjsip/pjsip_distributor.c: Request "
                + "'REGISTER' from '<sip:%d@203.0.113.5>' failed for '%s:5060' (callid: w%d-%d) - No matching "
                + "endpoint found%n", minute, second, user, ip, minute, second);
    }

    @Test
    void aSignalIsNotALineOfTheInput() {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            log.append(challengeSent(i, "PJSIP", "<unknown>", "c" + i, "192.0.2.55")).append('\n');
        }
        byte[] bytes = log.toString().getBytes(StandardCharsets.UTF_8);
        List<ParseResult> all = Corpus.withSignals(bytes, 4096, Corpus.OPTIONS);
        assertThat(all).hasSize(21);
        assertThat(((ParseResult.Parsed) all.get(20)).event().isScanSignal()).isTrue();
        assertThat(((ParseResult.Parsed) all.get(20)).event().attemptId()).isNull();
    }

    private static List<ObjectNode> signals(String log) {
        List<ObjectNode> signals = new ArrayList<>();
        for (ObjectNode event : Corpus.toJson(Corpus.withSignals(log.getBytes(StandardCharsets.UTF_8), 7, Corpus.OPTIONS))) {
            if (event.at("/event/action").asText().startsWith("scan-")) {
                signals.add(event);
            }
        }
        return signals;
    }
}
