package org.tollgate.normalizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.tollgate.normalizer.message.Finding;
import org.tollgate.normalizer.message.SourceProblem;

/**
 * One property per message shape of the catalog: every field the sender writes is filled with text built from that
 * message's own fixed fragments, quotes, blanks, brackets, planted addresses (198.51.100.0/24, 2001:db8::66) and
 * UTF-8, around the address Asterisk took from the transport (192.0.2.0/24). Whatever the sender wrote, the event is
 * there, its address is the real one and is trusted; a shape whose sender writes on both sides of the address may
 * instead say the line is ambiguous, with the real address among the candidates and nothing trusted. Never is a
 * planted address trusted, never does the failure disappear.
 */
class MessageShapeProperties {

    /** A generated message and what must come of it. */
    record Line(String shape, String text, String level, String file, String realIp, int realPort,
                boolean mayBeAmbiguous, boolean patchedHost) {
        @Override
        public String toString() {
            return shape + ": " + Corpus.visible(text);
        }
    }

    // ---- chan_sip ----

    @Property(tries = 300)
    void s2RegistrationFromTheToHeader(@ForAll("s2") Line line) {
        assertRealAddress(line);
    }

    @Provide
    Arbitrary<Line> s2() {
        return Combinators.combine(hostile("Registration from '", "' failed for '", "' - ", "Wrong password",
                "No matching peer found", "'"), real(), port(), reasons()).as((to, ip, port, reason) -> line("S2",
                "NOTICE", "chan_sip.c", "Registration from '" + to + "' failed for '" + ip + ":" + port + "' - " + reason,
                ip, port));
    }

    @Property(tries = 200)
    void s1RegistrationWithoutPort(@ForAll("s1") Line line) {
        assertRealAddress(line);
    }

    @Provide
    Arbitrary<Line> s1() {
        return Combinators.combine(hostile("Registration from '", "' failed for '", "' - ", "'"), real(), reasons())
                .as((to, ip, reason) -> line("S1", "NOTICE", "chan_sip.c",
                        "Registration from '" + to + "' failed for '" + ip + "' - " + reason, ip, -1));
    }

    @Property(tries = 300)
    void s13CallRejectedWhateverTheExtension(@ForAll("s13") Line line) {
        assertRealAddress(line);
    }

    @Provide
    Arbitrary<Line> s13() {
        return Combinators.combine(hostile("Call from '", "' (", ") to extension '",
                "' rejected because extension not found in context '", "'.", "' to extension '"), real(), port(),
                Arbitraries.of("", "1001", "trunk-a")).as((exten, ip, port, peer) -> line("S13", "NOTICE",
                "chan_sip.c", "Call from '" + peer + "' (" + ip + ":" + port + ") to extension '" + exten
                        + "' rejected because extension not found in context 'public'.", ip, port));
    }

    @Property(tries = 200)
    void s14UnknownCommandWhateverTheMethod(@ForAll("s14") Line line) {
        assertRealAddress(line);
    }

    @Provide
    Arbitrary<Line> s14() {
        // A SIP method is a token: no blanks, no quotes but the apostrophe.
        Arbitrary<String> method = hostile("Unknown", "'", "from", ":5060", "'from'").map(m -> m.replaceAll("[\\s\"]", ""));
        return Combinators.combine(method, real(), port()).as((m, ip, port) -> line("S14", "NOTICE", "chan_sip.c",
                "Unknown SIP command '" + m + "' from '" + ip + ":" + port + "'", ip, port));
    }

    @Property(tries = 200)
    void s20InvalidToWhateverTheTo(@ForAll("s20") Line line) {
        assertRealAddress(line);
    }

    @Provide
    Arbitrary<Line> s20() {
        return Combinators.combine(hostile("Invalid to address: '", "' from ", " (missing sip:) trying to use anyway...",
                "'"), real()).as((to, ip) -> line("S20", "NOTICE", "chan_sip.c",
                "Invalid to address: '" + to.replace(";", "") + "' from " + ip + " (missing sip:) trying to use anyway...",
                ip, -1));
    }

    @Property(tries = 200)
    void s9PatchedFailureOnAPatchedHost(@ForAll("s9") Line line) {
        assertRealAddress(line);
    }

    @Provide
    Arbitrary<Line> s9() {
        return Combinators.combine(hostile("Failed to authenticate device ", " for INVITE", ", code = -1", " (",
                ")", " for "), real(), port()).as((from, ip, port) -> new Line("S9-patched",
                "Failed to authenticate device " + from + " for INVITE, code = -1 (" + ip + ":" + port + ")", "NOTICE",
                "chan_sip.c", ip, port, false, true));
    }

    @Property(tries = 200)
    void s9UnpatchedFailureIsNeverTrusted(@ForAll("s9") Line line) {
        Finding finding = finding(line.text(), line.level(), line.file(), false);
        assertThat(finding).as("the failure is an event").isNotNull();
        assertThat(finding.sourceTrusted()).isFalse();
    }

    // ---- res_pjsip and pjproject ----

    @Property(tries = 500)
    void p3DistributorWhateverTheFromAndTheCallId(@ForAll("p3") Line line) {
        assertRealAddress(line);
    }

    @Provide
    Arbitrary<Line> p3() {
        Arbitrary<String> callId = hostile("' failed for '", "' (callid: ", ") - ", "Failed to authenticate",
                "No matching endpoint found", "\" <sip:1@203.0.113.5>", "<x:y>");
        return Combinators.combine(pjsipFrom(), callId, real(), port(), pjsipReasons())
                .as((from, cid, ip, port, reason) -> new Line("P3",
                        "Request 'REGISTER' from '" + from + "' failed for '" + ip + ":" + port
                                + "' (callid: " + cid + ") - " + reason,
                        "NOTICE", "res_pjsip/pjsip_distributor.c", ip, port, true, false));
    }

    @Property(tries = 200)
    void p6AorNotFoundWhateverTheAor(@ForAll("p6") Line line) {
        assertRealAddress(line);
    }

    @Provide
    Arbitrary<Line> p6() {
        return Combinators.combine(hostile("AOR '", "' not found for endpoint '", "' (", ")", "anonymous"), real(), port())
                .as((aor, ip, port) -> line("P6", "WARNING", "res_pjsip_registrar.c",
                        "AOR '" + aor + "' not found for endpoint 'anonymous' (" + ip + ":" + port + ")", ip, port));
    }

    @Property(tries = 200)
    void p9AndP10CallRejectedWhateverTheExtension(@ForAll("p9p10") Line line) {
        assertRealAddress(line);
    }

    @Provide
    Arbitrary<Line> p9p10() {
        Arbitrary<String> exten = hostile("Call from '", "' (UDP:", ") to extension '", ": Call (UDP:",
                "' rejected because extension not found in context '", "'.");
        return Combinators.combine(exten, real(), port(), Arbitraries.of(true, false)).as((e, ip, port, trace) -> trace
                ? line("P10", "NOTICE", "res_pjsip_session.c", " anonymous: Call (UDP:" + ip + ":" + port
                        + ") to extension '" + e + "' rejected because extension not found in context 'anonymous'.", ip, port)
                : line("P9", "NOTICE", "res_pjsip_session.c", "Call from 'anonymous' (UDP:" + ip + ":" + port
                        + ") to extension '" + e + "' rejected because extension not found in context 'anonymous'.", ip, port));
    }

    // ---- chan_iax2 ----

    @Property(tries = 200)
    void iax2FailuresWhateverTheNames(@ForAll("iax2") Line line) {
        assertRealAddress(line);
    }

    @Provide
    Arbitrary<Line> iax2() {
        Arbitrary<String> name = hostile("Host ", " failed to authenticate as ", "No registration for peer '",
                "' (from ", ")", " != ", "' (", "Rejected connect attempt from ", ", who was trying to reach '", "@");
        return Combinators.combine(name, name, real(), port(), Arbitraries.integers().between(0, 3)).as((a, b, ip, port, which) ->
                switch (which) {
                    case 0 -> line("I1", "NOTICE", "chan_iax2.c", "Host " + ip + ":" + port + " failed to authenticate as " + a, ip, port);
                    case 1 -> line("I2", "NOTICE", "chan_iax2.c", "No registration for peer '" + a + "' (from " + ip + ")", ip, -1);
                    case 2 -> line("I3", "NOTICE", "chan_iax2.c", "Host " + ip + " failed MD5 authentication for '" + a
                            + "' (" + b + " != 5d41402abc4b2a76b9719d911017c592)", ip, -1);
                    default -> line("I8", "NOTICE", "chan_iax2.c", "Rejected connect attempt from " + ip + ":" + port
                            + ", who was trying to reach '" + a + "@" + b + "'", ip, port);
                });
    }

    // ---- AMI ----

    @Property(tries = 200)
    void amiLoginFailuresWhateverTheUser(@ForAll("ami") Line line) {
        assertRealAddress(line);
    }

    @Provide
    Arbitrary<Line> ami() {
        Arbitrary<String> user = hostile(" tried to authenticate with nonexistent user '", " failed to authenticate as '",
                " failed to pass IP ACL as '", "'");
        return Combinators.combine(user, real(), Arbitraries.of(" tried to authenticate with nonexistent user '",
                " failed to authenticate as '", " failed to pass IP ACL as '")).as((u, ip, phrase) -> line("A1-A3", "NOTICE",
                "manager.c", ip + phrase + u + "'", ip, -1));
    }

    // ---- res_security_log ----

    @Property(tries = 500)
    void securityEventsWhateverTheValues(@ForAll("security") Line line) {
        assertRealAddress(line);
    }

    @Provide
    Arbitrary<Line> security() {
        Arbitrary<String> value = hostile("\",", "=\"", "\",RemoteAddress=\"IPV4/UDP/198.51.100.66/5060",
                "\",LocalAddress=\"IPV4/UDP/192.0.2.1/5060", ",SessionID=\"", ",AccountID=\"", ",Challenge=\"",
                ",Response=\"", ",ExpectedResponse=\"", ",SessionTV=\"2026-01-18T17:39:50.000+0000", ",Module=\"x");
        return Combinators.combine(value, value, value, real(), port(), Arbitraries.integers().between(0, 3))
                .as((a, b, c, ip, port, which) -> {
                    String remote = "IPV4/UDP/" + ip + "/" + port;
                    String head = "EventTV=\"2026-01-18T17:39:50.000+0000\",Severity=\"Error\",";
                    String text = switch (which) {
                        case 0 -> "SecurityEvent=\"InvalidAccountID\"," + head + "Service=\"PJSIP\",EventVersion=\"1\","
                                + "AccountID=\"" + a + "\",SessionID=\"" + b + "\",LocalAddress=\"IPV4/UDP/192.0.2.1/5060\","
                                + "RemoteAddress=\"" + remote + "\"";
                        case 1 -> "SecurityEvent=\"ChallengeResponseFailed\"," + head + "Service=\"PJSIP\",EventVersion=\"1\","
                                + "AccountID=\"<unknown>\",SessionID=\"" + a + "\",LocalAddress=\"IPV4/UDP/192.0.2.1/5060\","
                                + "RemoteAddress=\"" + remote + "\",Challenge=\"" + b + "\",Response=\"" + c
                                + "\",ExpectedResponse=\"\"";
                        case 2 -> "SecurityEvent=\"InvalidPassword\"," + head + "Service=\"SIP\",EventVersion=\"2\","
                                + "AccountID=\"" + a + "\",SessionID=\"0x7f3a2c001290\",LocalAddress=\"IPV4/UDP/192.0.2.1/5060\","
                                + "RemoteAddress=\"" + remote + "\",Challenge=\"4a1b2c3d\",ReceivedChallenge=\"" + digest(b)
                                + "\",ReceivedHash=\"" + digest(c) + "\"";
                        default -> "SecurityEvent=\"FailedACL\"," + head + "Service=\"AMI\",EventVersion=\"1\","
                                + "AccountID=\"" + a + "\",SessionID=\"0x7f3a2c001230\",LocalAddress=\"IPV4/TCP/0.0.0.0/5038\","
                                + "RemoteAddress=\"" + remote + "\",ACLName=\"manager-acl\",SessionTV=\"2026-01-18T17:39:49.000+0000\"";
                    };
                    // Only PJSIP's ChallengeResponseFailed has the sender's text on both sides of the address.
                    return new Line("SecurityEvent-" + which, text, "SECURITY", "res_security_log.c", ip, port, which == 1, false);
                });
    }

    /** What chan_sip's sip_digest_parser can hand on: a quoted value (no quote) or a bare one (no comma). */
    private static String digest(String value) {
        return value.indexOf('"') >= 0 ? value.replace(",", "") : value;
    }

    // ---- the check ----

    private void assertRealAddress(Line line) {
        for (String path : new String[] {"full", "fast", "filtered"}) {
            boolean fast = !path.equals("full");
            Finding finding = switch (path) {
                case "full" -> finding(line.text(), line.level(), line.file(), line.patchedHost());
                case "fast" -> fastFinding(line);
                default -> filteredFinding(line);
            };
            assertThat(finding).as("the failure is an event (%s path)", path).isNotNull();
            if (finding.sourceProblem() == SourceProblem.AMBIGUOUS) {
                assertThat(line.mayBeAmbiguous()).as("%s reads two ways only if the sender writes on both sides",
                        line.shape()).isTrue();
                assertThat(finding.candidates()).contains(line.realIp());
                assertThat(finding.sourceTrusted()).isFalse();
                continue;
            }
            assertThat(finding.source()).as("the transport address").isNotNull();
            assertThat(finding.source().ip()).isEqualTo(line.realIp());
            if (line.realPort() >= 0) {
                assertThat(finding.source().port()).isEqualTo(line.realPort());
            }
            if (!line.shape().startsWith("SecurityEvent-2")) { // chan_sip's p->sa: never trusted, see SecurityEventMessages
                assertThat(finding.sourceTrusted()).isTrue();
            }
        }
    }

    private static Finding finding(String text, String level, String file, boolean patchedHost) {
        String raw = "[2026-01-18 17:39:50] " + level + "[2744] " + file + ": " + text;
        ParseResult result = new Normalizer(Corpus.OPTIONS.withTrustPatchedLines(patchedHost)).normalize(raw);
        return result instanceof ParseResult.Parsed parsed ? parsed.event().finding() : null;
    }

    private static Finding fastFinding(Line line) {
        String raw = "[2026-01-18 17:39:50] " + line.level() + "[2744] " + line.file() + ": " + line.text();
        AsteriskEvent event = new Normalizer(Corpus.OPTIONS.withTrustPatchedLines(line.patchedHost())).normalizeSecurity(raw);
        return event == null ? null : event.finding();
    }

    /**
     * The fast path behind the byte-level noise filter ({@link Normalizer#skipNoise}), after a noise line of the same
     * date (so the filter may skip): null when the filter skipped the line, which must never happen to a failure.
     */
    private static Finding filteredFinding(Line line) {
        Normalizer normalizer = new Normalizer(Corpus.OPTIONS.withTrustPatchedLines(line.patchedHost()));
        normalizer.normalizeSecurity("[2026-01-18 17:39:49] VERBOSE[2744] pbx.c: a noise line", event -> {
        });
        String raw = "[2026-01-18 17:39:50] " + line.level() + "[2744] " + line.file() + ": " + line.text();
        byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
        if (normalizer.skipNoise(bytes, 0, bytes.length)) {
            return null;
        }
        List<AsteriskEvent> events = new ArrayList<>();
        normalizer.normalizeSecurity(raw, false, events::add);
        normalizer.flushSecurity(events::add);
        return events.stream().filter(e -> !e.isScanSignal()).map(AsteriskEvent::finding).findFirst().orElse(null);
    }

    private static Line line(String shape, String level, String file, String text, String ip, int port) {
        return new Line(shape, text, level, file, ip, port, false, false);
    }

    // ---- generators ----

    private static Arbitrary<String> real() {
        return Arbitraries.integers().between(1, 254).map(n -> "192.0.2." + n);
    }

    private static Arbitrary<Integer> port() {
        return Arbitraries.integers().between(1024, 65535);
    }

    private static Arbitrary<String> reasons() {
        return Arbitraries.of("Wrong password", "Username/auth name mismatch", "No matching peer found",
                "Not a local domain", "Peer is not supposed to register", "Device does not match ACL",
                "Device not configured to use this transport type", "RTP initialization failed", "Unknown failure");
    }

    private static Arbitrary<String> pjsipReasons() {
        return Arbitraries.of("No matching endpoint found", "Not match Endpoint ACL", "Not match Endpoint Contact ACL",
                "Failed to authenticate", "Error to authenticate", "No matching endpoint found after 5 tries in 2.500 ms");
    }

    /**
     * A From as pjsip prints it: {@code <URI>}, or a display name in quotes, a space and {@code <URI>}. The display name
     * is a quoted string's body (quotes escaped) or an unquoted name (no ':' or '<', quotes and backslashes as they are);
     * the URI a sip URI with its user escaped or another scheme with GENERIC_URI_CHARS.
     */
    private Arbitrary<String> pjsipFrom() {
        Arbitrary<String> text = hostile("' failed for '", "' (callid: ", ") - ", "\" <", "\\", "<sip:1@203.0.113.5>");
        Arbitrary<String> display = Combinators.combine(text, Arbitraries.integers().between(0, 2)).as((d, kind) -> switch (kind) {
            case 0 -> null;
            case 1 -> "\"" + d.replace("\\", "\\\\").replace("\"", "\\\"") + "\" ";
            default -> "\"" + d.replace(":", "").replace("<", "").trim().replaceFirst("^\"+", "") + "\" ";
        });
        Arbitrary<String> uri = Combinators.combine(text, Arbitraries.of(true, false)).as((u, sip) -> sip
                ? "sip:" + Corpus.escapeUser(u) + "@203.0.113.5"
                : "x:" + u.replaceAll("[^A-Za-z0-9#?;:@&=+\\-_.!~*'()%$,/]", ""));
        return Combinators.combine(display, uri).as((d, u) -> (d == null || d.equals("\"\" ") ? "" : d) + "<" + u + ">");
    }


    /**
     * Text a sender could write into a field: pieces of the message's own fixed text, addresses in every rendering
     * Asterisk uses, quotes, blanks, brackets and arbitrary UTF-8, up to six of them.
     */
    private static Arbitrary<String> hostile(String... fixed) {
        Arbitrary<String> planted = Arbitraries.integers().between(1, 254).flatMap(n -> Arbitraries.of(
                "198.51.100." + n, "198.51.100." + n + ":5060", "[2001:db8::66]:5060", "2001:db8::66:5060",
                "UDP:198.51.100." + n + ":5060", "IPV4/UDP/198.51.100." + n + "/5060", "(198.51.100." + n + ":5060)"));
        Arbitrary<String> marks = Arbitraries.of("'", "\"", "\\", "(", ")", "[", "]", "<", ">", " ", "\t", "  ", "@", ":",
                "ü", "☃", "\uFFFD", "日本", "\u00e9\u0301");
        Arbitrary<String> piece = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.of(fixed)),
                Tuple.of(3, planted),
                Tuple.of(4, marks),
                Tuple.of(2, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(10)),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(6)));
        return piece.list().ofMaxSize(6).map(list -> String.join("", list)
                .replace('\n', ' ').replace('\r', ' ').replace('\u0000', ' '));
    }
}
