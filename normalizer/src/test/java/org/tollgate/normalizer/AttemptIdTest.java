package org.tollgate.normalizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code asterisk.attempt_id}: the lines one failed login writes share one id, each new guess gets a new one, and two
 * logs of one host (full and security) agree. Lines written for the project from the message formats of
 * res/res_pjsip/pjsip_distributor.c, res/res_pjsip/security_events.c, channels/chan_sip.c, main/manager.c.
 */
class AttemptIdTest {

    private static final String SEC = "SECURITY[2289] res_security_log.c: SecurityEvent=";

    /** One REGISTER round trip for an unknown user on PJSIP 13.10+: challenge, then the authenticated retry. */
    private static List<String> pjsipUnknownUser(String time, String callId) {
        String notice = "[2026-01-18 " + time + "] NOTICE[2290] res_pjsip/pjsip_distributor.c: Request 'REGISTER' from "
                + "'<sip:9999@203.0.113.5>' failed for '192.0.2.40:5060' (callid: " + callId + ") - ";
        String common = "EventTV=\"2026-01-18T" + time + "+0000\",Severity=\"Error\",Service=\"PJSIP\",EventVersion=\"1\",";
        String addresses = ",LocalAddress=\"IPV4/UDP/192.0.2.1/5060\",RemoteAddress=\"IPV4/UDP/192.0.2.40/5060\"";
        String security = "[2026-01-18 " + time + "] " + SEC;
        return List.of(
                notice + "No matching endpoint found",
                security + "\"InvalidAccountID\"," + common + "AccountID=\"9999\",SessionID=\"" + callId + "\"" + addresses,
                security + "\"ChallengeSent\",EventTV=\"2026-01-18T" + time + "+0000\",Severity=\"Informational\","
                        + "Service=\"PJSIP\",EventVersion=\"1\",AccountID=\"<unknown>\",SessionID=\"" + callId + "\""
                        + addresses + ",Challenge=\"1768757990/0d4a\"",
                notice + "No matching endpoint found",
                security + "\"InvalidAccountID\"," + common + "AccountID=\"9999\",SessionID=\"" + callId + "\"" + addresses,
                notice + "Failed to authenticate",
                security + "\"ChallengeResponseFailed\"," + common + "AccountID=\"<unknown>\",SessionID=\"" + callId + "\""
                        + addresses + ",Challenge=\"1768757990/0d4a\",Response=\"00ff\",ExpectedResponse=\"\"");
    }

    @Test
    void theLinesOfOnePjsipRoundTripAreOneAttemptAndTheNextGuessWithTheSameCallIdIsAnother() {
        List<String> lines = new ArrayList<>(pjsipUnknownUser("17:40:01.100", "c1"));
        lines.addAll(pjsipUnknownUser("17:40:02.300", "c1"));
        List<String> ids = ids(lines);
        assertThat(new LinkedHashSet<>(ids.subList(0, 7))).hasSize(1);
        assertThat(new LinkedHashSet<>(ids.subList(7, 14))).hasSize(1);
        assertThat(ids.get(7)).isNotEqualTo(ids.get(0));
    }

    @Test
    void aHundredGuessesUnderOneCallIdAreAHundredAttempts() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            lines.add(String.format("[2026-01-18 17:40:%02d.%03d] NOTICE[2290] res_pjsip/pjsip_distributor.c: Request "
                    + "'REGISTER' from '<sip:1001@203.0.113.5>' failed for '192.0.2.41:5060' (callid: same) - Failed to "
                    + "authenticate", i / 10, (i % 10) * 100));
        }
        assertThat(new LinkedHashSet<>(ids(lines))).hasSize(100);
    }

    @Test
    void theFullLogAndTheSecurityLogAgreeOnTheAttempt() {
        List<String> round = pjsipUnknownUser("17:40:05.000", "c2");
        List<String> full = new ArrayList<>();
        List<String> security = new ArrayList<>();
        for (String line : round) {
            (line.contains("SECURITY[") ? security : full).add(line);
        }
        Set<String> fromFull = new LinkedHashSet<>(ids(full));
        Set<String> fromSecurity = new LinkedHashSet<>(ids(security));
        assertThat(fromFull).hasSize(1).isEqualTo(fromSecurity);

        String notice = "[2026-01-18 17:41:00] NOTICE[2744] chan_sip.c: Registration from '<sip:1001@203.0.113.5>' "
                + "failed for '192.0.2.42:5060' - Wrong password";
        String invalidPassword = "[2026-01-18 17:41:00] " + SEC + "\"InvalidPassword\",EventTV=\"2026-01-18T17:41:00.120+0000\","
                + "Severity=\"Error\",Service=\"SIP\",EventVersion=\"2\",AccountID=\"1001\",SessionID=\"0x7f3a2c0012c0\","
                + "LocalAddress=\"IPV4/UDP/192.0.2.1/5060\",RemoteAddress=\"IPV4/UDP/192.0.2.42/5060\","
                + "Challenge=\"4a1b2c3d\",ReceivedChallenge=\"4a1b2c3d\",ReceivedHash=\"0f1e\"";
        assertThat(ids(List.of(notice, invalidPassword))).containsOnly(ids(List.of(notice)).get(0));
        assertThat(ids(List.of(invalidPassword))).isEqualTo(ids(List.of(notice)));
    }

    @Test
    void anAmiLoginWithANonexistentUserIsOneAttemptAndTheNextSessionAnother() {
        String time1 = "[2026-01-18 17:42:00] ";
        String time2 = "[2026-01-18 17:42:02] ";
        List<String> lines = List.of(
                time1 + "NOTICE[3110] manager.c: 192.0.2.43 tried to authenticate with nonexistent user 'admin'",
                time1 + "NOTICE[3110] manager.c: 192.0.2.43 failed to authenticate as 'admin'",
                time1 + SEC + "\"InvalidAccountID\",EventTV=\"2026-01-18T17:42:00.010+0000\",Severity=\"Error\","
                        + "Service=\"AMI\",EventVersion=\"1\",AccountID=\"admin\",SessionID=\"0x7f3a2c001230\","
                        + "LocalAddress=\"IPV4/TCP/0.0.0.0/5038\",RemoteAddress=\"IPV4/TCP/192.0.2.43/51312\"",
                time2 + "NOTICE[3110] manager.c: 192.0.2.43 failed to authenticate as 'admin'");
        List<String> ids = ids(lines);
        assertThat(ids.get(0)).isEqualTo(ids.get(1)).isEqualTo(ids.get(2));
        assertThat(ids.get(3)).isNotEqualTo(ids.get(0));
    }

    @Test
    void aLineWhoseOnlyAddressIsTheSendersHeaderTextHasNoAttempt() {
        String headerOnly = "[2026-01-18 17:43:00] NOTICE[2744] chan_sip.c: Failed to authenticate device "
                + "\"1001\" <sip:1001@203.0.113.5>;tag=as01";
        ParseResult result = new Normalizer(Corpus.OPTIONS).normalize(headerOnly);
        assertThat(((ParseResult.Parsed) result).event().attemptId()).isNull();
        assertThat(Corpus.parse(new org.tollgate.normalizer.json.EcsJsonWriter().toJson(result))
                .at("/asterisk/attempt_id").isMissingNode()).isTrue();
    }

    private static List<String> ids(List<String> lines) {
        Normalizer normalizer = new Normalizer(Corpus.OPTIONS);
        List<String> ids = new ArrayList<>();
        for (String line : lines) {
            normalizer.normalize(line, false, result -> {
                AsteriskEvent event = ((ParseResult.Parsed) result).event();
                assertThat(event.finding()).as(line).isNotNull();
                ids.add(event.attemptId());
            });
        }
        assertThat(ids).doesNotContainNull();
        return ids;
    }
}
