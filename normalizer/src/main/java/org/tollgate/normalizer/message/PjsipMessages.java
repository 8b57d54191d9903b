package org.tollgate.normalizer.message;

import static org.tollgate.normalizer.message.Text.at;

import org.tollgate.normalizer.address.Endpoint;
import org.tollgate.normalizer.text.Digits;

/**
 * res_pjsip, res_pjsip_session, res_pjsip_registrar and pjproject messages (catalog P1–P12, Asterisk 12 to 23).
 * In the distributor lines the sender writes both the From header before the address and the Call-ID after it.
 * pjsip prints the From as {@code "display" <uri>}: the display name is a quoted string (with {@code \"} escapes)
 * that may hold anything, the URI is escaped and holds no space. So the From is read as that grammar, and the
 * address is what follows it; the reason, a fixed string, follows the last {@code ") - "}.
 */
final class PjsipMessages {

    static final String PROVIDER = "res_pjsip";
    static final String PJPROJECT = "pjproject";

    private static final String REQUEST_FROM = "Request from '";
    private static final String REQUEST = "Request '";
    private static final String ENDPOINT = "Endpoint '";
    private static final String NO_AORS = ") has no configured AORs";
    private static final String AOR = "AOR '";
    private static final String NOT_FOUND_FOR_ENDPOINT = "' not found for endpoint '";
    private static final String REGISTRATION_ATTEMPT = "Registration attempt from endpoint '";
    private static final String CALL_TO = ": Call (";
    private static final String TO_EXTENSION = ") to extension '";
    private static final String NOT_FOUND_IN_CONTEXT = "' rejected because extension not found in context '";

    private PjsipMessages() {
    }

    static Finding parse(String t, int s) {
        char c = t.charAt(s);
        if (c == 'R') {
            if (at(t, s, REQUEST_FROM)) {
                return PjsipFailedRequest.parse(t, s + REQUEST_FROM.length(), null, "12-13.9");
            }
            if (at(t, s, REQUEST)) {
                int methodEnd = t.indexOf("' from '", s + REQUEST.length());
                if (methodEnd < 0) {
                    return null;
                }
                return PjsipFailedRequest.parse(t, methodEnd + "' from '".length(), t.substring(s + REQUEST.length(), methodEnd), null);
            }
            if (at(t, s, REGISTRATION_ATTEMPT)) {
                return registrationAttempt(t, s);
            }
            return null;
        }
        if (c == 'E' && at(t, s, ENDPOINT)) {
            return endpointMessage(t, s);
        }
        if (c == 'A' && at(t, s, AOR)) {
            return aorMessage(t, s);
        }
        return null;
    }

    /** P4, P5 and the endpoint forms of P7. The endpoint id comes from configuration (or is {@code anonymous}). */
    private static Finding endpointMessage(String t, int s) {
        int nameStart = s + ENDPOINT.length();
        int nameEnd = t.indexOf('\'', nameStart);
        if (nameEnd < 0) {
            return null;
        }
        String endpoint = t.substring(nameStart, nameEnd);
        Endpoint source = null;
        int addrStart = -1;
        int addrEnd = -1;
        int rest = nameEnd + 1;
        if (at(t, rest, " (")) {
            addrStart = rest + 2;
            addrEnd = t.indexOf(')', rest);
            source = addrEnd < 0 ? null : Text.endpointWithPort(t, addrStart, addrEnd);
            if (source == null && !Text.isAddressField(t, addrStart, addrEnd)) {
                return null;
            }
            rest = addrEnd;
        } else {
            rest = nameEnd;
        }
        EventAction action;
        String reason;
        if (at(t, rest, NO_AORS) || at(t, rest, "' has no configured AORs")) {
            action = EventAction.ENDPOINT_NO_AOR;
            reason = "no configured AORs";
        } else if (t.indexOf(" attempted to register to an AOR with a non-SIP URI", rest) == rest + 1) {
            action = EventAction.AOR_REGISTRATION_REFUSED;
            reason = "AOR with a non-SIP URI";
        } else if (t.indexOf(" unable to register", rest) == rest + 1) {
            action = EventAction.AOR_REGISTRATION_REFUSED;
            reason = "no configured max_contacts";
        } else {
            return null;
        }
        Finding.Builder finding = Finding.of(action, PROVIDER).reason(reason).user(endpoint).sipMethod("REGISTER")
                .version(addrStart >= 0 ? "16.17+" : "12-18.2");
        if (addrStart >= 0) {
            finding.address(source, t, addrStart, addrEnd, AddressOrigin.TRANSPORT);
        }
        return finding.build();
    }

    /**
     * P6 {@code AOR '<aor>' not found for endpoint '<endpoint>'[ (<addr>)]} and the old P7
     * {@code AOR '<aor>' has no configured max_contacts. Endpoint '<endpoint>'[ (<addr>)] unable to register}.
     * The AOR name is the attacker's To user, so the address is read from the end.
     */
    private static Finding aorMessage(String t, int s) {
        int mark = t.lastIndexOf(NOT_FOUND_FOR_ENDPOINT);
        // Past the AOR's opening quote: in "AOR ' not found for endpoint '…'" the one quote cannot open and close it.
        if (mark >= s + AOR.length()) {
            String aor = t.substring(s + AOR.length(), mark);
            int endpointStart = mark + NOT_FOUND_FOR_ENDPOINT.length();
            Endpoint source = null;
            int addrStart = -1;
            String endpoint;
            if (t.endsWith(")")) {
                int open = t.lastIndexOf("' (");
                if (open < endpointStart) {
                    return null;
                }
                addrStart = open + 3;
                source = Text.endpointWithPort(t, addrStart, t.length() - 1);
                if (source == null && !Text.isAddressField(t, addrStart, t.length() - 1)) {
                    return null;
                }
                endpoint = t.substring(endpointStart, open);
            } else {
                endpoint = Text.quotedTail(t, endpointStart);
            }
            Finding.Builder finding = Finding.of(EventAction.AOR_NOT_FOUND, PROVIDER).reason("AOR not found")
                    .user(endpoint).extension(aor).sipMethod("REGISTER")
                    .version(addrStart >= 0 ? "16.17+" : "12-18.2");
            if (addrStart >= 0) {
                finding.address(source, t, addrStart, t.length() - 1, AddressOrigin.TRANSPORT);
            }
            return finding.build();
        }
        int maxContacts = t.indexOf("' has no configured max_contacts. Endpoint '", s);
        if (maxContacts > s && t.endsWith(" unable to register")) {
            int endpointStart = maxContacts + "' has no configured max_contacts. Endpoint '".length();
            int tail = t.length() - " unable to register".length();
            Endpoint source = null;
            int addrStart = -1;
            int endpointEnd = tail - 1;
            if (t.charAt(tail - 1) == ')') {
                int open = t.lastIndexOf("' (", tail);
                if (open < endpointStart) {
                    return null;
                }
                addrStart = open + 3;
                source = Text.endpointWithPort(t, addrStart, tail - 1);
                if (source == null && !Text.isAddressField(t, addrStart, tail - 1)) {
                    return null;
                }
                endpointEnd = open;
            }
            Finding.Builder finding = Finding.of(EventAction.AOR_REGISTRATION_REFUSED, PROVIDER)
                    .reason("no configured max_contacts")
                    .user(endpointEnd > endpointStart ? t.substring(endpointStart, endpointEnd) : null)
                    .extension(t.substring(s + AOR.length(), maxContacts))
                    .sipMethod("REGISTER")
                    .version(addrStart >= 0 ? "16.17+" : "12-18.2");
            if (addrStart >= 0) {
                finding.address(source, t, addrStart, tail - 1, AddressOrigin.TRANSPORT);
            }
            return finding.build();
        }
        return null;
    }

    /** P7: {@code Registration attempt from endpoint '<ep>'[ (<addr>)] to AOR '<aor>' will exceed max contacts of N}. */
    private static Finding registrationAttempt(String t, int s) {
        int nameStart = s + REGISTRATION_ATTEMPT.length();
        int nameEnd = t.indexOf('\'', nameStart);
        if (nameEnd < 0 || t.indexOf(" will exceed max contacts of ", nameEnd) < 0) {
            return null;
        }
        Endpoint source = null;
        int close = -1;
        if (at(t, nameEnd + 1, " (")) {
            close = t.indexOf(") to AOR '", nameEnd);
            source = close < 0 ? null : Text.endpointWithPort(t, nameEnd + 3, close);
            if (source == null && !Text.isAddressField(t, nameEnd + 3, close)) {
                return null;
            }
        }
        Finding.Builder finding = Finding.of(EventAction.AOR_REGISTRATION_REFUSED, PROVIDER)
                .reason("max contacts exceeded")
                .user(t.substring(nameStart, nameEnd))
                .sipMethod("REGISTER")
                .version(close >= 0 ? "16.17+" : "12.3-18.2");
        if (close >= 0) {
            finding.address(source, t, nameEnd + 3, close, AddressOrigin.TRANSPORT);
        }
        return finding.build();
    }

    /**
     * P10: {@code  <endpoint>: Call (<TRANSPORT>:<addr>) to extension '<exten>' rejected because extension not found in context '<ctx>'.}
     * ({@code ast_trace_log} puts a space before the message.) {@code s} is the first character after that space.
     */
    static Finding callRejectedTrace(String t, int s) {
        int callMark = t.indexOf(CALL_TO, s);
        if (callMark < 0 || callMark - s > 256) {
            return null;
        }
        int addrStart = callMark + CALL_TO.length();
        int toMark = t.indexOf(TO_EXTENSION, addrStart);
        int contextMark = t.lastIndexOf(NOT_FOUND_IN_CONTEXT);
        if (toMark < 0 || contextMark < toMark) {
            return null;
        }
        int colon = t.indexOf(':', addrStart);
        if (colon < 0 || colon > toMark || !ChanSipMessages.isTransportWord(t, addrStart, colon)) {
            return null;
        }
        Endpoint source = Text.endpointWithPort(t, colon + 1, toMark);
        if (source == null && !Text.isAddressField(t, colon + 1, toMark)) {
            return null;
        }
        return Finding.of(EventAction.CALL_REJECTED_UNKNOWN_EXTENSION, PROVIDER)
                .reason("extension not found")
                .user(t.substring(s, callMark))
                .address(source, t, colon + 1, toMark, AddressOrigin.TRANSPORT)
                .transport(t.substring(addrStart, colon))
                .extension(t.substring(toMark + TO_EXTENSION.length(), contextMark))
                .context(Text.quotedTail(t, contextMark + NOT_FOUND_IN_CONTEXT.length()))
                .sipMethod("INVITE")
                .version("16.15+")
                .build();
    }

    /**
     * P11 {@code <sender> Error processing N bytes packet from <TRANSPORT> <addr> : <error>:} and P12
     * {@code <sender> Dropping N bytes packet from <TRANSPORT> <addr> : <error>}. {@code s} is at the sender.
     */
    static Finding malformedPacket(String t, int s) {
        int space = t.indexOf(' ', s);
        if (space < 0 || space - s > 32 || !at(t, s, "sip_transport")) {
            return null;
        }
        int verb = space + 1;
        boolean dump;
        if (at(t, verb, "Error processing ")) {
            dump = true;
        } else if (at(t, verb, "Dropping ")) {
            dump = false;
        } else {
            return null;
        }
        int from = t.indexOf(" bytes packet from ", verb);
        if (from < 0 || from - verb > 40) {
            return null;
        }
        int transportStart = from + " bytes packet from ".length();
        int transportEnd = t.indexOf(' ', transportStart);
        if (transportEnd < 0) {
            return null;
        }
        int addrEnd = t.indexOf(' ', transportEnd + 1);
        if (addrEnd < 0) {
            addrEnd = t.length();
        }
        Endpoint source = Text.endpointWithPort(t, transportEnd + 1, addrEnd);
        if (source == null && !Text.isAddressField(t, transportEnd + 1, addrEnd)) {
            return null;
        }
        int reasonEnd = t.length();
        int newline = t.indexOf('\n', addrEnd);
        int escapedNewline = t.indexOf("#012", addrEnd);
        if (newline >= 0) {
            reasonEnd = newline;
        }
        if (escapedNewline >= 0 && escapedNewline < reasonEnd) {
            reasonEnd = escapedNewline; // rsyslog's escape: the packet follows on the same line
        }
        String reason = addrEnd < reasonEnd ? t.substring(addrEnd, reasonEnd).trim() : "";
        if (reason.startsWith(": ")) {
            reason = reason.substring(2);
        }
        if (reason.endsWith(":")) {
            reason = reason.substring(0, reason.length() - 1);
        }
        return Finding.of(EventAction.SIP_MALFORMED_PACKET, PJPROJECT)
                .reason(reason.isEmpty() ? null : reason)
                .address(source, t, transportEnd + 1, addrEnd, AddressOrigin.TRANSPORT)
                .transport(t.substring(transportStart, transportEnd))
                .version(dump ? "13.8-21.0" : "18.20.1+")
                .build();
    }
}
