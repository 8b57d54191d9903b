package org.tollgate.normalizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.tollgate.normalizer.json.EcsJsonWriter;

/**
 * Lines built from the catalog's formats, with the sender's parts (To, From, display name, Call-ID, extension,
 * account, peer and user names, digests) filled with arbitrary text that plants addresses from 198.51.100.0/24 and
 * the fixed phrases around addresses, and the transport address from 192.0.2.0/24, in every layout. A trusted source
 * is always the transport address; and where the line has one, it is found, whatever the sender wrote.
 */
class AddressTrustProperties {

    private final EcsJsonWriter writer = new EcsJsonWriter();

    /**
     * One generated line.
     *
     * @param realIp   the transport address Asterisk wrote, or null when the format has none
     * @param realPort its port, or -1 when the format prints none
     * @param mustFind true when the line must come out as a trusted event with the transport address
     */
    record Sample(String template, String line, String realIp, int realPort, boolean mustFind) {
        @Override
        public String toString() {
            return template + ": " + Corpus.visible(line);
        }
    }

    @Property(tries = 1000)
    void aTrustedSourceIsAlwaysTheTransportAddress(@ForAll("samples") Sample sample) {
        ParseResult result = new Normalizer(Corpus.OPTIONS).normalize(sample.line());
        ObjectNode event = Corpus.parse(writer.toJson(result));
        String ip = event.at("/source/ip").asText(null);
        boolean trusted = event.at("/asterisk/source_trusted").asBoolean(false);
        if (trusted) {
            assertThat(ip).isNotNull().isEqualTo(sample.realIp());
        }
        if (ip != null && ip.startsWith("198.51.100.")) {
            assertThat(trusted).isFalse();
        }
        AsteriskEvent fast = new Normalizer(Corpus.OPTIONS).normalizeSecurity(sample.line());
        if (fast != null && fast.finding().sourceTrusted()) {
            assertThat(fast.finding().source().ip()).isEqualTo(sample.realIp());
        }
    }

    @Property(tries = 1000)
    void theTransportAddressIsFoundWhateverTheSenderWrote(@ForAll("samples") Sample sample) {
        Assume.that(sample.mustFind());
        ParseResult result = new Normalizer(Corpus.OPTIONS).normalize(sample.line());
        ObjectNode event = Corpus.parse(writer.toJson(result));
        assertThat(event.at("/event/dataset").asText()).isEqualTo("asterisk.security");
        assertThat(event.at("/asterisk/source_trusted").asBoolean()).isTrue();
        assertThat(event.at("/source/ip").asText()).isEqualTo(sample.realIp());
        if (sample.realPort() >= 0) {
            assertThat(event.at("/source/port").asInt()).isEqualTo(sample.realPort());
        }
        AsteriskEvent fast = new Normalizer(Corpus.OPTIONS).normalizeSecurity(sample.line());
        assertThat(fast).isNotNull();
        assertThat(fast.finding().source().ip()).isEqualTo(sample.realIp());
    }

    // ---- generators ----

    /** A message in one of the catalog's formats, before a layout wraps it. */
    private record Message(String template, String level, String file, String function, String text, String realIp,
                           int realPort, boolean mustFind) {
    }

    @Provide
    Arbitrary<Sample> samples() {
        return Combinators.combine(messages(), Arbitraries.of(Layout.values())).as((m, layout) ->
                new Sample(m.template() + "/" + layout, layout.wrap(m), m.realIp(), m.realPort(), m.mustFind()));
    }

    private Arbitrary<Message> messages() {
        Arbitrary<String> ip = Arbitraries.integers().between(1, 254).map(n -> "192.0.2." + n);
        Arbitrary<Integer> port = Arbitraries.integers().between(1024, 65535);
        Arbitrary<String> a = attackerText();
        Arbitrary<String> token = attackerText().map(s -> s.replace(" ", "").replace("\t", ""));
        Arbitrary<String> reason = Arbitraries.of("Wrong password", "Username/auth name mismatch", "No matching peer found",
                "Not a local domain", "Peer is not supposed to register", "Device does not match ACL",
                "Device not configured to use this transport type", "RTP initialization failed", "Unknown failure");
        Arbitrary<String> pjsipReason = Arbitraries.of("No matching endpoint found", "Not match Endpoint ACL",
                "Not match Endpoint Contact ACL", "Failed to authenticate", "Error to authenticate",
                "No matching endpoint found after 5 tries in 2.500 ms");
        return Arbitraries.oneOf(
                Combinators.combine(a, ip, port, reason).as((to, r, p, why) -> new Message("S2", "NOTICE", "chan_sip.c",
                        "handle_request_register", "Registration from '" + uri(to) + "' failed for '" + r + ":" + p + "' - " + why, r, p, true)),
                Combinators.combine(a, ip, reason.injectNull(0.2)).as((to, r, why) -> new Message("S1", "NOTICE", "chan_sip.c",
                        "handle_request_register", "Registration from '" + uri(to) + "' failed for '" + r + "' - " + (why == null ? "" : why), r, -1, true)),
                Combinators.combine(a, ip, port, Arbitraries.of("", "1001")).as((ext, r, p, peer) -> new Message("S13", "NOTICE", "chan_sip.c",
                        "handle_request_invite", "Call from '" + peer + "' (" + r + ":" + p + ") to extension '" + ext
                        + "' rejected because extension not found in context 'public'.", r, p, true)),
                a.map(ext -> new Message("S11", "NOTICE", "chan_sip.c", "handle_request_invite",
                        "Call from '1001' to extension '" + ext + "' rejected because extension not found.", null, -1, false)),
                a.map(ext -> new Message("S12", "NOTICE", "chan_sip.c", "handle_request_invite",
                        "Call from '1001' to extension '" + ext + "' rejected because extension not found in context 'default'.", null, -1, false)),
                a.map(from -> new Message("S9", "NOTICE", "chan_sip.c", "send_check_user_failure_response",
                        "Failed to authenticate device " + from + " for INVITE, code = -1", null, -1, false)),
                a.map(from -> new Message("S6", "NOTICE", "chan_sip.c", "handle_request_invite",
                        "Failed to authenticate device " + from, null, -1, false)),
                Combinators.combine(token, ip, port).as((method, r, p) -> new Message("S14", "NOTICE", "chan_sip.c",
                        "handle_incoming", "Unknown SIP command '" + method + "' from '" + r + ":" + p + "'", r, p, true)),
                Combinators.combine(a, ip).as((to, r) -> new Message("S20", "NOTICE", "chan_sip.c", "register_verify",
                        "Invalid to address: '" + to + "' from " + r + " (missing sip:) trying to use anyway...", r, -1, true)),
                Combinators.combine(pjsipFrom(), token, a, ip, port, pjsipReason).as((from, method, callId, r, p, why) ->
                        new Message("P3", "NOTICE", "res_pjsip/pjsip_distributor.c", "log_failed_request",
                                "Request '" + method + "' from '" + from + "' failed for '" + r + ":" + p + "' (callid: "
                                + callId + ") - " + why, r, p, true)),
                Combinators.combine(a, ip, port).as((aor, r, p) -> new Message("P6", "WARNING", "res_pjsip_registrar.c",
                        "find_registrar_aor", "AOR '" + aor + "' not found for endpoint 'anonymous' (" + r + ":" + p + ")", r, p, true)),
                Combinators.combine(a, ip, port).as((ext, r, p) -> new Message("P9", "NOTICE", "res_pjsip_session.c", "new_invite",
                        "Call from 'anonymous' (UDP:" + r + ":" + p + ") to extension '" + ext
                        + "' rejected because extension not found in context 'anonymous'.", r, p, true)),
                Combinators.combine(a, ip, port).as((ext, r, p) -> new Message("P10", "NOTICE", "res_pjsip_session.c", "new_invite",
                        " anonymous: Call (UDP:" + r + ":" + p + ") to extension '" + ext
                        + "' rejected because extension not found in context 'anonymous'.", r, p, true)),
                Combinators.combine(a, ip, port).as((user, r, p) -> new Message("I1", "NOTICE", "chan_iax2.c",
                        "socket_process_helper", "Host " + r + ":" + p + " failed to authenticate as " + user, r, p, true)),
                Combinators.combine(a, ip).as((peer, r) -> new Message("I2", "NOTICE", "chan_iax2.c", "register_verify",
                        "No registration for peer '" + peer + "' (from " + r + ")", r, -1, true)),
                Combinators.combine(a, a, ip).as((peer, digest, r) -> new Message("I3", "NOTICE", "chan_iax2.c", "register_verify",
                        "Host " + r + " failed MD5 authentication for '" + peer + "' (" + digest + " != 5d41402abc4b2a76b9719d911017c592)", r, -1, true)),
                Combinators.combine(a, ip).as((user, r) -> new Message("A1", "NOTICE", "manager.c", "authenticate",
                        r + " tried to authenticate with nonexistent user '" + user + "'", r, -1, true)),
                Combinators.combine(a, a, ip, port).as((account, session, r, p) -> new Message("SecurityEvent", "SECURITY",
                        "res_security_log.c", "security_event_stasis_cb",
                        "SecurityEvent=\"InvalidAccountID\",EventTV=\"2026-01-18T17:39:50.000+0000\",Severity=\"Error\","
                        + "Service=\"PJSIP\",EventVersion=\"1\",AccountID=\"" + account + "\",SessionID=\"" + session
                        + "\",LocalAddress=\"IPV4/UDP/192.0.2.1/5060\",RemoteAddress=\"IPV4/UDP/" + r + "/" + p + "\"",
                        r, p, true)),
                Combinators.combine(a, ip, port).as((response, r, p) -> new Message("SecurityEvent-Response", "SECURITY",
                        "res_security_log.c", "security_event_stasis_cb",
                        "SecurityEvent=\"ChallengeResponseFailed\",EventTV=\"1768757990-000001\",Severity=\"Error\","
                        + "Service=\"PJSIP\",EventVersion=\"1\",AccountID=\"1001\",SessionID=\"abc\","
                        + "LocalAddress=\"IPV4/UDP/192.0.2.1/5060\",RemoteAddress=\"IPV4/UDP/" + r + "/" + p
                        + "\",Challenge=\"1768757990/0d4a\",Response=\"" + response + "\",ExpectedResponse=\"\"",
                        r, p, true)));
    }

    /** A To or From value: the sender's text inside a SIP URI, or alone. */
    private static String uri(String text) {
        return text.length() % 2 == 0 ? "<sip:" + text + "@203.0.113.5>" : text;
    }

    /** What pjsip prints for a From: an optional quoted display name (escaped), then the URI with its user escaped. */
    private Arbitrary<String> pjsipFrom() {
        return Combinators.combine(attackerText().injectNull(0.4), attackerText()).as((display, user) ->
                (display == null ? "" : "\"" + display.replace("\\", "\\\\").replace("\"", "\\\"") + "\" ")
                        + "<sip:" + Corpus.escapeUser(user) + "@203.0.113.5>");
    }


    /** Arbitrary text with planted addresses and the phrases Asterisk writes around its own. */
    private Arbitrary<String> attackerText() {
        Arbitrary<String> planted = Arbitraries.integers().between(1, 254).map(n -> "198.51.100." + n);
        List<String> phrases = List.of(
                "' failed for '%s' - Wrong password", "' failed for '%s:5060' - Wrong password",
                "' failed for '%s:5060' (callid: x) - Failed to authenticate", "' (%s:5060) to extension '",
                "' from '%s:5060'", "' from %s (missing sip:) trying to use anyway...", "' (from %s)",
                "' not found for endpoint 'anonymous' (%s:5060)", "' (UDP:%s:5060) to extension '", ": Call (UDP:%s:5060) to extension '",
                " (%s:5060)", "\",RemoteAddress=\"IPV4/UDP/%s/5060\"", "\",RemoteAddress=\"IPV4/UDP/%s/5060", "%s", "%s:5060",
                "[%s]:5060", "Host %s:4569 failed to authenticate as x", "%s tried to authenticate with nonexistent user 'x'",
                "hacking attempt detected '%s'", "Rejecting unknown SIP connection from %s", "(%s:5060)");
        Arbitrary<String> plantedPhrase = Combinators.combine(Arbitraries.of(phrases), planted).as((phrase, address) -> String.format(phrase, address));
        Arbitrary<String> marks = Arbitraries.of("'", "\"", "\\", "(", ")", ": ", " - ", "' - ", ")' - ", "' (", ", code = -1",
                " for INVITE", " != ", " after 5 tries in 2.500 ms", "' rejected because extension not found in context 'x'.",
                "' rejected because extension not found.", "\u001b", "\u001b[", "\u001b[1;31m", "#033[", "#033[0m", "#011", "\t",
                "-- end of packet.", "SecurityEvent=\"", "\",", "=\"", "[C-00000001]", "NOTICE[1]: ", "\uFFFD", "\u00fc");
        Arbitrary<String> runs = Combinators.combine(Arbitraries.of("\u0001", "\uFFFD", "\u001b", " ", "'", "\u00e9"),
                Arbitraries.integers().between(1, 400)).as(String::repeat);
        Arbitrary<String> piece = Arbitraries.frequencyOf(
                Tuple.of(4, plantedPhrase),
                Tuple.of(4, marks),
                Tuple.of(3, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(12)),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(6)),
                Tuple.of(1, runs));
        return piece.list().ofMaxSize(5).map(list -> String.join("", list)
                .replace('\n', ' ').replace('\r', ' ').replace('\u0000', ' '));
    }

    /** The layouts a message reaches a log in. */
    private enum Layout {
        FILE {
            String wrap(Message m) {
                return "[2026-01-18 17:39:50] " + m.level() + "[2744] " + m.file() + ": " + m.text();
            }
        },
        FILE_14 {
            String wrap(Message m) {
                return "[Jan 18 17:39:50] " + m.level() + "[2744] " + m.file() + ": " + m.text();
            }
        },
        FILE_CALLID {
            String wrap(Message m) {
                return "[2026-01-18 17:39:50.123] " + m.level() + "[2744][C-0000001c] " + m.file() + ": " + m.text();
            }
        },
        PLAIN {
            String wrap(Message m) {
                return "[2026-01-18 17:39:50] " + m.level() + "[2744]: " + m.file() + ":1234 " + m.function() + ": " + m.text();
            }
        },
        SYSLOG {
            String wrap(Message m) {
                return "Jan 18 17:39:50 pbx asterisk[2350]: " + m.level() + "[2744]: " + m.file() + ":1234 in " + m.function() + ": " + m.text();
            }
        },
        MESSAGE_ONLY {
            String wrap(Message m) {
                return m.level() + "[2744]: " + m.file() + ":1234 in " + m.function() + ": " + m.text();
            }
        },
        ASTERISK_JSON {
            String wrap(Message m) {
                ObjectNode root = Corpus.JSON.createObjectNode();
                root.put("hostname", "pbx").put("timestamp", "2026-01-18 17:39:50");
                root.putObject("identifiers").put("lwp", 2744).put("callid", "");
                ObjectNode logmsg = root.putObject("logmsg");
                logmsg.putObject("location").put("filename", m.file()).put("function", m.function()).put("line", 1234);
                logmsg.put("level", m.level()).put("message", m.text() + "\n");
                return root.toString();
            }
        },
        JOURNALD_JSON {
            String wrap(Message m) {
                ObjectNode root = Corpus.JSON.createObjectNode();
                root.put("__REALTIME_TIMESTAMP", "1768757990000000").put("_HOSTNAME", "pbx")
                        .put("SYSLOG_IDENTIFIER", "asterisk").put("_PID", "2350")
                        .put("MESSAGE", MESSAGE_ONLY.wrap(m));
                return root.toString();
            }
        };

        abstract String wrap(Message m);
    }
}
