package org.tollgate.normalizer.message;

import static org.tollgate.normalizer.message.Text.at;

import org.tollgate.normalizer.address.Endpoint;

/**
 * chan_sip messages (catalog S1–S23, 1.4 to 20). Where attacker-written header text shares a line with the address,
 * the address is taken from the side of the line that Asterisk alone writes.
 */
final class ChanSipMessages {

    static final String PROVIDER = "chan_sip";

    private static final String REGISTRATION_FROM = "Registration from '";
    private static final String FAILED_FOR = "' failed for '";
    private static final String AUTH_USER = "Failed to authenticate user ";
    private static final String AUTH_DEVICE = "Failed to authenticate device ";
    private static final String FAKE_USER = "Sending fake auth rejection for user ";
    private static final String FAKE_DEVICE = "Sending fake auth rejection for device ";
    private static final String CALL_LIMIT_DEVICE = "Call limit reached for device ";
    private static final String RTP_FAILURE_DEVICE = "RTP init failure for device ";
    private static final String UNEXPECTED_DEVICE = "Unexpected error for device ";
    private static final String FOR_SUBSCRIBE = " for SUBSCRIBE";
    private static final String CODE = ", code = ";
    private static final String CALL_FROM = "Call from '";
    private static final String TO_EXTENSION = ") to extension '";
    private static final String NOT_FOUND_IN_CONTEXT = "' rejected because extension not found in context '";
    private static final String NOT_FOUND = "' rejected because extension not found.";
    private static final String UNKNOWN_COMMAND = "Unknown SIP command '";
    private static final String PEER = "Peer '";
    private static final String NOT_DYNAMIC = "' is trying to register, but not configured as host=dynamic";
    private static final String USERNAME_MISMATCH = "username mismatch, have <";
    private static final String CONTACT_ACL = "Registration denied because of contact ACL";
    private static final String VIOLATING_IP = "' disallowed by contact ACL (violating IP ";
    private static final String INVALID_TO = "Invalid to address: '";
    private static final String INVALID_TO_TAIL = " (missing sip:) trying to use anyway...";
    private static final String USAGE_LIMIT = " rejected due to usage limit of ";
    private static final String TOO_MANY_CALLS = "Failed to place call for user ";

    private ChanSipMessages() {
    }

    static Finding parse(String t, int s, boolean trustPatched) {
        switch (t.charAt(s)) {
            case 'R':
                if (at(t, s, REGISTRATION_FROM)) {
                    return registration(t, s);
                }
                if (at(t, s, CONTACT_ACL)) {
                    return Finding.of(EventAction.CONTACT_ACL_DENIED, PROVIDER).reason("contact ACL").version("1.4.27-20").build();
                }
                if (at(t, s, "Rejecting TCP/TLS packet from '") || at(t, s, "Rejecting TCP packet from '")
                        || at(t, s, "Rejecting TLS packet from '")) {
                    return packetTooLarge(t, s);
                }
                if (at(t, s, RTP_FAILURE_DEVICE)) {
                    return deviceFailure(t, s + RTP_FAILURE_DEVICE.length(), EventAction.RTP_INIT_FAILED, trustPatched);
                }
                return null;
            case 'F':
            case 'U':
                if (at(t, s, UNEXPECTED_DEVICE)) {
                    // 13.32+: the default case of send_check_user_failure_response; in 13.32.0, 16.9.0 and 17.3.0
                    // it is where an ACL refusal (code -7) lands.
                    return authFailure(t, s + UNEXPECTED_DEVICE.length(), EventAction.AUTH_FAILED, true, trustPatched);
                }
                if (at(t, s, UNKNOWN_COMMAND)) {
                    return unknownCommand(t, s);
                }
                if (at(t, s, AUTH_DEVICE)) {
                    return authFailure(t, s + AUTH_DEVICE.length(), EventAction.AUTH_FAILED, true, trustPatched);
                }
                if (at(t, s, AUTH_USER)) {
                    return authFailure(t, s + AUTH_USER.length(), EventAction.AUTH_FAILED, false, trustPatched);
                }
                if (at(t, s, TOO_MANY_CALLS)) {
                    int end = t.indexOf(", too many calls", s);
                    return Finding.of(EventAction.CALL_LIMIT_REACHED, PROVIDER).reason("too many calls")
                            .user(Text.substring(t, s + TOO_MANY_CALLS.length(), end)).version("1.2-1.6.0").build();
                }
                return null;
            case 'S':
                if (at(t, s, FAKE_DEVICE)) {
                    return authFailure(t, s + FAKE_DEVICE.length(), EventAction.AUTH_FAKE_REJECTION, true, trustPatched);
                }
                if (at(t, s, FAKE_USER)) {
                    return authFailure(t, s + FAKE_USER.length(), EventAction.AUTH_FAKE_REJECTION, false, trustPatched);
                }
                return null;
            case 'C':
                if (at(t, s, CALL_FROM)) {
                    return callRejected(t, s);
                }
                if (at(t, s, CALL_LIMIT_DEVICE)) {
                    return deviceFailure(t, s + CALL_LIMIT_DEVICE.length(), EventAction.CALL_LIMIT_REACHED, trustPatched);
                }
                if (at(t, s, "Correct auth, but based on stale nonce received from '")) {
                    return headerOnly(t, s, "Correct auth, but based on stale nonce received from '", EventAction.AUTH_STALE_NONCE);
                }
                if (at(t, s, "Call ") && t.indexOf(USAGE_LIMIT, s) > 0) {
                    int quote = t.indexOf('\'', s);
                    int close = quote < 0 ? -1 : t.indexOf('\'', quote + 1);
                    return Finding.of(EventAction.CALL_LIMIT_REACHED, PROVIDER).reason("usage limit")
                            .user(quote < 0 || close < 0 ? null : t.substring(quote + 1, close)).version("1.2-20").build();
                }
                return null;
            case 'P':
                if (at(t, s, PEER) && t.endsWith(NOT_DYNAMIC)) {
                    return Finding.of(EventAction.REGISTRATION_PEER_NOT_DYNAMIC, PROVIDER).reason("not configured as host=dynamic")
                            .user(t.substring(s + PEER.length(), t.length() - NOT_DYNAMIC.length())).version("1.2-20").build();
                }
                return null;
            case 'u':
                if (at(t, s, USERNAME_MISMATCH)) {
                    int digest = t.indexOf(">, digest has <", s);
                    String user = digest < 0 ? null : Text.substring(t, digest + ">, digest has <".length(), t.length() - 1);
                    return Finding.of(EventAction.AUTH_USERNAME_MISMATCH, PROVIDER).reason("username mismatch").user(user)
                            .version("1.4-20").build();
                }
                return null;
            case 'H':
            case 'D':
                if ((at(t, s, "Host '") || at(t, s, "Domain '")) && t.indexOf(VIOLATING_IP, s) > 0) {
                    return contactAcl(t, s);
                }
                if (at(t, s, "Duplicate authentication received from '")) {
                    return headerOnly(t, s, "Duplicate authentication received from '", EventAction.AUTH_DUPLICATE);
                }
                return null;
            case 'I':
                return at(t, s, INVALID_TO) && t.endsWith(INVALID_TO_TAIL) ? invalidTo(t, s) : null;
            case 'B':
                return at(t, s, "Bad authentication received from '")
                        ? headerOnly(t, s, "Bad authentication received from '", EventAction.AUTH_BAD_REQUEST) : null;
            default:
                return null;
        }
    }

    /** S1/S2: {@code Registration from '<To>' failed for '<addr>' - <reason>}; the To header is attacker text, so read from the end. */
    private static Finding registration(String t, int s) {
        int reasonMark = t.lastIndexOf("' - ");
        if (reasonMark < 0) {
            return null;
        }
        int addrMark = t.lastIndexOf(FAILED_FOR, reasonMark);
        // The To header (empty at least) lies between the two: "from ' failed for '" has none, and no address.
        if (addrMark < s + REGISTRATION_FROM.length()) {
            return null;
        }
        int addrStart = addrMark + FAILED_FOR.length();
        Endpoint source = Text.endpoint(t, addrStart, reasonMark);
        if (source == null && !Text.isAddressField(t, addrStart, reasonMark)) {
            return null;
        }
        String to = t.substring(s + REGISTRATION_FROM.length(), addrMark);
        String reason = t.substring(reasonMark + 4).trim();
        return Finding.of(EventAction.REGISTRATION_FAILED, PROVIDER)
                .reason(reason.isEmpty() ? null : reason)
                .address(source, t, addrStart, reasonMark, AddressOrigin.TRANSPORT)
                .user(Text.uriUser(to))
                .sipMethod("REGISTER")
                .version(Text.hasPort(source, t, addrStart, reasonMark) ? "1.8-20" : "1.4-1.6")
                .build();
    }

    /**
     * S3–S9 and their patched forms. {@code rest} starts at the From header. The patched form ends in
     * {@code (ip:port)}; the unpatched form has only the From header, whose URI host the sender wrote.
     */
    private static Finding authFailure(String t, int rest, EventAction action, boolean device, boolean trustPatched) {
        if (at(t, rest, "on ") || at(t, rest, "MESSAGE with host")) {
            return null; // outbound: this PBX failing to authenticate to a provider
        }
        PatchedTail tail = PatchedTail.of(t, rest);
        Endpoint patchedSource = tail.source();
        int end = tail.end();
        String method = null;
        String reason = null;
        String version;
        int code = t.lastIndexOf(CODE, end);
        if (code > rest && device) {
            int forMethod = t.lastIndexOf(" for ", code);
            if (forMethod > rest) {
                method = t.substring(forMethod + 5, code);
                reason = checkAuthResult(t.substring(code + CODE.length(), end));
                end = forMethod;
            }
            version = "13.32-20";
        } else if (t.startsWith(FOR_SUBSCRIBE, end - FOR_SUBSCRIBE.length()) && end - FOR_SUBSCRIBE.length() > rest) {
            method = "SUBSCRIBE";
            end -= FOR_SUBSCRIBE.length();
            version = device ? "1.6.1-17" : "1.2-1.6.0";
        } else {
            version = device ? "1.6.1-17" : "1.2-1.6.0";
        }
        if (action == EventAction.AUTH_FAKE_REJECTION) {
            version = device ? "1.6.1-11.2" : "1.2-1.6.0";
            reason = "unknown user";
        }
        String from = t.substring(rest, end);
        Finding.Builder finding = Finding.of(action, PROVIDER).reason(reason).sipMethod(method).user(Text.uriUser(from));
        if (patchedSource != null) {
            finding.source(patchedSource, AddressOrigin.PATCH).trusted(trustPatched).patched(true);
        } else {
            finding.source(Text.uriHost(from), AddressOrigin.HEADER);
        }
        return finding.version(version).build();
    }

    /** S10: {@code Call limit reached for device %s for %s, code = %d} and the RTP form, optionally patched. */
    private static Finding deviceFailure(String t, int rest, EventAction action, boolean trustPatched) {
        PatchedTail tail = PatchedTail.of(t, rest);
        Endpoint patchedSource = tail.source();
        int end = tail.end();
        int code = t.lastIndexOf(CODE, end);
        int forMethod = code < 0 ? -1 : t.lastIndexOf(" for ", code);
        String from = forMethod > rest ? t.substring(rest, forMethod) : t.substring(rest, end);
        Finding.Builder finding = Finding.of(action, PROVIDER)
                .reason(action == EventAction.CALL_LIMIT_REACHED ? "call limit" : "RTP initialization failed")
                .sipMethod(forMethod > rest ? t.substring(forMethod + 5, code) : null)
                .user(Text.uriUser(from))
                .version("13.32-20");
        if (patchedSource != null) {
            finding.source(patchedSource, AddressOrigin.PATCH).trusted(trustPatched).patched(true);
        } else {
            finding.source(Text.uriHost(from), AddressOrigin.HEADER);
        }
        return finding.build();
    }

    /** The meaning of chan_sip's {@code enum check_auth_result} as S9 prints it. */
    private static String checkAuthResult(String code) {
        return switch (code.trim()) {
            case "-1" -> "Wrong password";
            case "-2" -> "Username/auth name mismatch";
            case "-3" -> "No matching peer found";
            case "-5" -> "Not a local domain";
            case "-6" -> "Peer is not supposed to register";
            case "-7" -> "Device does not match ACL";
            case "-8" -> "Device not configured to use this transport type";
            case "-9" -> "RTP initialization failed";
            case "-10" -> "Call limit reached";
            default -> "code " + code.trim();
        };
    }

    /**
     * S11–S13: {@code Call from '<peer>' [(<addr>) ]to extension '<exten>' rejected because extension not found[ in context '<ctx>'].}
     * The peer name is configuration (empty for guests) and the extension is the attacker's, so the address is read
     * forwards from the peer name and the context backwards from the end.
     */
    private static Finding callRejected(String t, int s) {
        int nameStart = s + CALL_FROM.length();
        int contextMark = t.lastIndexOf(NOT_FOUND_IN_CONTEXT);
        String context = null;
        int extensionEnd;
        String version;
        if (contextMark > nameStart) {
            context = Text.quotedTail(t, contextMark + NOT_FOUND_IN_CONTEXT.length());
            extensionEnd = contextMark;
        } else if (t.endsWith(NOT_FOUND)) {
            extensionEnd = t.length() - NOT_FOUND.length();
        } else {
            return null;
        }
        // The peer name is configuration and holds no quote: its closing quote is the first one. Anything later,
        // an "' (ip:port) to extension '" included, may be the sender's extension.
        int peerEnd = t.indexOf('\'', nameStart);
        if (peerEnd < 0) {
            return null;
        }
        int addrMark = at(t, peerEnd, "' (") ? peerEnd : -1;
        int toMark = addrMark < 0 ? -1 : t.indexOf(TO_EXTENSION, addrMark);
        Endpoint source = null;
        int addrStart = -1;
        int addrEnd = -1;
        String transport = null;
        String peer;
        int extensionStart;
        String provider = PROVIDER;
        if (addrMark >= 0 && toMark > addrMark && toMark < extensionEnd) {
            addrStart = addrMark + 3;
            int colon = t.indexOf(':', addrStart);
            if (colon > addrStart && colon < toMark && isTransportWord(t, addrStart, colon)) {
                // res_pjsip_session (P8/P9): "(UDP:192.0.2.7:5060)"
                transport = t.substring(addrStart, colon);
                addrStart = colon + 1;
                source = Text.endpointWithPort(t, addrStart, toMark);
                provider = PjsipMessages.PROVIDER;
                version = colon + 1 < toMark && t.charAt(colon + 1) == '[' ? "13.24-18.0"
                        : source != null && source.isIpv6() ? "12-16.0" : "12-18.0";
            } else {
                source = Text.endpoint(t, addrStart, toMark);
                version = "1.8.5-20";
            }
            if (source == null && !Text.isAddressField(t, addrStart, toMark)) {
                return null;
            }
            addrEnd = toMark;
            peer = t.substring(nameStart, addrMark);
            extensionStart = toMark + TO_EXTENSION.length();
        } else {
            int plainTo = at(t, peerEnd, "' to extension '") ? peerEnd : -1;
            if (plainTo < 0 || plainTo > extensionEnd) {
                return null;
            }
            peer = t.substring(nameStart, plainTo);
            extensionStart = plainTo + "' to extension '".length();
            version = context == null ? "1.4.12-1.6.2" : "1.6.0-1.8.4";
        }
        if (extensionStart > extensionEnd) {
            return null;
        }
        Finding.Builder finding = Finding.of(EventAction.CALL_REJECTED_UNKNOWN_EXTENSION, provider)
                .reason("extension not found")
                .user(peer)
                .extension(t.substring(extensionStart, extensionEnd))
                .context(context)
                .transport(transport)
                .sipMethod("INVITE")
                .version(version);
        if (addrStart >= 0) {
            finding.address(source, t, addrStart, addrEnd, AddressOrigin.TRANSPORT);
        }
        return finding.build();
    }

    static boolean isTransportWord(String t, int from, int to) {
        int length = to - from;
        return (length == 3 && (at(t, from, "UDP") || at(t, from, "TCP") || at(t, from, "TLS")))
                || (length == 2 && at(t, from, "WS")) || (length == 3 && at(t, from, "WSS"));
    }

    /** S14: {@code Unknown SIP command '<attacker text>' from '<addr>'}: the address is the last quoted part. */
    private static Finding unknownCommand(String t, int s) {
        int fromMark = t.lastIndexOf("' from '");
        // The command's opening quote can be the first of "' from '" ("Unknown SIP command ' from '…'"): not a line
        // Asterisk writes, and no command between the quotes.
        if (fromMark < s + UNKNOWN_COMMAND.length() || !t.endsWith("'")) {
            return null;
        }
        Endpoint source = Text.endpoint(t, fromMark + 8, t.length() - 1);
        if (source == null && !Text.isAddressField(t, fromMark + 8, t.length() - 1)) {
            return null;
        }
        return Finding.of(EventAction.SIP_UNKNOWN_COMMAND, PROVIDER)
                .reason("unknown SIP command")
                .sipMethod(t.substring(s + UNKNOWN_COMMAND.length(), fromMark))
                .address(source, t, fromMark + 8, t.length() - 1, AddressOrigin.TRANSPORT)
                .version(Text.hasPort(source, t, fromMark + 8, t.length() - 1) ? "1.8-20" : "1.2-1.6")
                .build();
    }

    /** S15: {@code Rejecting TCP packet from '<addr>' because way too large: N}. */
    private static Finding packetTooLarge(String t, int s) {
        int open = t.indexOf("from '", s) + 6;
        int close = t.indexOf("' because way too large", open);
        Endpoint source = close < 0 ? null : Text.endpoint(t, open, close);
        if (source == null && !Text.isAddressField(t, open, close)) {
            return null;
        }
        String transport = at(t, s, "Rejecting TLS") ? "TLS" : "TCP";
        return Finding.of(EventAction.SIP_PACKET_TOO_LARGE, PROVIDER)
                .reason("packet too large")
                .address(source, t, open, close, AddressOrigin.TRANSPORT)
                .transport(transport)
                .version(at(t, s, "Rejecting TCP/TLS") ? "1.8.30-20" : "1.8.19-12.4")
                .build();
    }

    /** S19: {@code Host|Domain '<contact host>' disallowed by contact ACL (violating IP <ip>)}: the Contact header's address. */
    private static Finding contactAcl(String t, int s) {
        int mark = t.indexOf(VIOLATING_IP, s);
        int end = t.endsWith(")") ? t.length() - 1 : t.length();
        Endpoint contact = Text.endpoint(t, mark + VIOLATING_IP.length(), end);
        boolean domain = at(t, s, "Domain '");
        return Finding.of(EventAction.CONTACT_ACL_DENIED, PROVIDER)
                .reason("contact ACL")
                .source(contact, AddressOrigin.HEADER)
                .version(domain ? "1.8-20" : "1.4.27-1.6.2")
                .build();
    }

    /** S20: {@code Invalid to address: '<To>' from <addr> (missing sip:) trying to use anyway...}. */
    private static Finding invalidTo(String t, int s) {
        int tail = t.length() - INVALID_TO_TAIL.length();
        int fromMark = t.lastIndexOf("' from ", tail);
        if (fromMark < s + INVALID_TO.length()) { // the To's opening quote is not its closing one
            return null;
        }
        Endpoint source = Text.endpoint(t, fromMark + 7, tail);
        if (source == null && !Text.isAddressField(t, fromMark + 7, tail)) {
            return null;
        }
        // The To URI without its brackets and parameters, and (that is the complaint) without a sip: scheme.
        String to = t.substring(s + INVALID_TO.length(), fromMark);
        int at = to.lastIndexOf('@');
        return Finding.of(EventAction.REGISTRATION_INVALID_TO, PROVIDER)
                .reason("To address without sip:")
                .address(source, t, fromMark + 7, tail, AddressOrigin.TRANSPORT)
                .user(at > 0 ? to.substring(0, at) : null)
                .sipMethod("REGISTER")
                .version("1.2-20")
                .build();
    }

    /** S21: debug-only notices that carry a header value and no address. */
    private static Finding headerOnly(String t, int s, String lead, EventAction action) {
        String header = Text.quotedTail(t, s + lead.length());
        return Finding.of(action, PROVIDER)
                .reason(lead.substring(0, lead.indexOf(" received")))
                .user(header == null ? null : Text.uriUser(header))
                .source(header == null ? null : Text.uriHost(header), AddressOrigin.HEADER)
                .version("1.2-20")
                .build();
    }

    /**
     * The {@code (ip:port)} a chan_sip patch appends to a failure line, and where the text before it ends; no source
     * and the line's end when the line does not end in one.
     */
    private record PatchedTail(Endpoint source, int end) {

        static PatchedTail of(String t, int rest) {
            int end = t.length();
            if (end > rest && t.charAt(end - 1) == ')') {
                int open = t.lastIndexOf(" (", end - 1);
                if (open > rest) {
                    Endpoint source = Text.endpoint(t, open + 2, end - 1);
                    if (source != null) {
                        return new PatchedTail(source, open);
                    }
                }
            }
            return new PatchedTail(null, end);
        }
    }
}
