package org.tollgate.normalizer.message;

import static org.tollgate.normalizer.message.Text.at;

import java.util.ArrayList;
import java.util.List;
import org.tollgate.normalizer.address.Endpoint;
import org.tollgate.normalizer.text.Digits;

/**
 * res_pjsip's distributor failures (catalog P1–P3, res/res_pjsip/pjsip_distributor.c log_unidentified_request and
 * log_failed_request, 12.0.0 to master):
 * {@code Request ['<method>' ]from '<From>' failed for '<addr>' (callid: <Call-ID>) - <reason>[ after N tries in X ms]}.
 *
 * <p>The sender writes the From on the left of the address and the Call-ID (any text but a line end, at most 255
 * characters) on the right, so neither end of the line can be read towards the address. The From, though, is what
 * {@code pjsip_uri_print(PJSIP_URI_IN_FROMTO_HDR, …)} prints (pjsip/src/pjsip/sip_uri.c pjsip_name_addr_print,
 * pjproject 2.0–2.17): an optional display name in quotes and a space, then {@code <}, the URI, {@code >}. A URI never
 * holds a blank, a quote or {@code >} (sip URIs are escaped; other schemes keep only GENERIC_URI_CHARS,
 * pjsip/src/pjsip/sip_parser.c), so the From is read by that grammar from the left and the address is what follows
 * it. The display name is the one free part: a quoted string's body (a {@code "} ends it unless an odd number of
 * backslashes precede it) or an unquoted name (anything but {@code :}, {@code <} and line ends), which pjsip prints in
 * quotes as it is. The two readings of a display name agree except on text crafted to make them differ (an unquoted
 * name ending in a backslash); then both are tried, and a line they read with different addresses is ambiguous.
 */
final class PjsipFailedRequest {

    private static final String FAILED_FOR = "' failed for '";
    private static final String CALLID = "' (callid: ";
    private static final String REASON_MARK = ") - ";

    private PjsipFailedRequest() {
    }

    /** One reading of the line: where the address is, and the Call-ID after it. */
    private record Reading(int addrStart, int addrEnd, Endpoint source, int fromEnd) {
    }

    /**
     * Reads the line from {@code fromStart} (just after {@code from '}); {@code method} is null for P1, whose
     * {@code version} is then given.
     */
    static Finding parse(String t, int fromStart, String method, String version) {
        // The reason is Asterisk's fixed text and holds no ") - ": it follows the last one.
        int reasonMark = t.lastIndexOf(REASON_MARK);
        if (reasonMark < fromStart) {
            return null;
        }
        List<Reading> readings = new ArrayList<>(2);
        for (int uriStart : uriStarts(t, fromStart, reasonMark)) {
            Reading reading = readFrom(t, uriStart, reasonMark);
            if (reading != null && !contains(readings, reading)) {
                readings.add(reading);
            }
        }
        if (readings.isEmpty() && fromStart < reasonMark && t.charAt(fromStart) != '"' && t.charAt(fromStart) != '<') {
            // A URI without brackets (pjsip prints a From with them; other writers may not): it holds no blank, so it
            // ends where the fixed text's first blank is.
            int blank = t.indexOf(' ', fromStart);
            if (blank > fromStart) {
                Reading bare = readAfter(t, blank - 1, reasonMark);
                if (bare != null) {
                    readings.add(bare);
                }
            }
        }
        if (readings.isEmpty()) {
            return null;
        }
        Reading reading = readings.get(0);
        String reason = t.substring(reasonMark + REASON_MARK.length());
        int attempts = -1;
        int after = reason.indexOf(" after ");
        if (after > 0 && reason.endsWith(" ms")) {
            int tries = reason.indexOf(" tries in ", after);
            if (tries > 0) {
                attempts = Digits.parseInt(reason, after + 7, tries);
            }
            reason = reason.substring(0, after);
        }
        if (version == null) {
            Endpoint source = reading.source();
            version = t.charAt(reading.addrStart()) == '[' ? "13.24+"
                    : source != null && source.isIpv6() ? "13.10-16.0" : "13.10+";
        }
        Finding.Builder finding = Finding.of(actionFor(reason), PjsipMessages.PROVIDER)
                .reason(reason)
                .sipMethod(method)
                .attempts(attempts)
                .version(version);
        if (readings.size() == 1) {
            finding.address(reading.source(), t, reading.addrStart(), reading.addrEnd(), AddressOrigin.TRANSPORT)
                    .user(Text.uriUser(t.substring(fromStart, reading.fromEnd())))
                    .sessionId(t.substring(reading.addrEnd() + CALLID.length(), reasonMark));
            return finding.build();
        }
        List<Finding.Alternative> alternatives = new ArrayList<>(readings.size());
        for (Reading each : readings) {
            alternatives.add(new Finding.Alternative(each.source(),
                    t.substring(each.addrEnd() + CALLID.length(), reasonMark)));
        }
        Finding ambiguous = finding.ambiguous(alternatives, AddressOrigin.TRANSPORT).build();
        if (ambiguous.candidates().size() == 1 && readings.stream().allMatch(r -> r.source() != null)) {
            // Two readings, one address: the address is not in doubt (the Call-ID is).
            return ambiguous.resolvedAs(new Finding.Alternative(reading.source(), null), AddressOrigin.TRANSPORT);
        }
        return ambiguous;
    }

    private static boolean contains(List<Reading> readings, Reading reading) {
        for (Reading each : readings) {
            if (each.addrStart() == reading.addrStart()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Where the From's {@code <} may be: at once when there is no display name; after the display name read as a
     * quoted string's body; after it read as an unquoted name. At most two, usually one.
     */
    private static int[] uriStarts(String t, int fromStart, int end) {
        if (fromStart >= end) {
            return new int[0];
        }
        char first = t.charAt(fromStart);
        if (first == '<') {
            return new int[] {fromStart};
        }
        if (first != '"') {
            return new int[0];
        }
        int quoted = -1;
        for (int i = fromStart + 1; i < end; i++) {
            if (t.charAt(i) == '"' && evenBackslashesBefore(t, fromStart + 1, i)) {
                quoted = i;
                break;
            }
        }
        int quotedUri = quoted > 0 && at(t, quoted, "\" <") ? quoted + 2 : -1;
        int unquotedUri = -1;
        for (int i = fromStart + 1; i < end; i++) {
            char c = t.charAt(i);
            if (c == '<') {
                unquotedUri = i >= fromStart + 3 && at(t, i - 2, "\" <") ? i : -1;
                break;
            }
            if (c == ':') {
                break; // an unquoted display name holds no ':'
            }
        }
        if (quotedUri < 0) {
            return unquotedUri < 0 ? new int[0] : new int[] {unquotedUri};
        }
        return unquotedUri < 0 || unquotedUri == quotedUri ? new int[] {quotedUri} : new int[] {quotedUri, unquotedUri};
    }

    private static boolean evenBackslashesBefore(String t, int from, int quote) {
        int count = 0;
        for (int i = quote - 1; i >= from && t.charAt(i) == '\\'; i--) {
            count++;
        }
        return (count & 1) == 0;
    }

    /**
     * The rest of the line read from the From's {@code <} at {@code uriStart}: the URI to the first {@code >}, then
     * {@code ' failed for '}, the address (no quote in it) and {@code ' (callid: }. Null when it does not read so.
     */
    private static Reading readFrom(String t, int uriStart, int reasonMark) {
        int uriEnd = uriStart + 1;
        while (uriEnd < reasonMark) {
            char c = t.charAt(uriEnd);
            if (c == '>') {
                break;
            }
            if (c <= ' ' || c == '"' || c == '<') {
                return null;
            }
            uriEnd++;
        }
        if (uriEnd >= reasonMark) {
            return null;
        }
        return readAfter(t, uriEnd + 1, reasonMark);
    }

    /** From {@code fromEnd}, just after the From: {@code ' failed for '}, the address (no quote in it), {@code ' (callid: }. */
    private static Reading readAfter(String t, int fromEnd, int reasonMark) {
        if (!at(t, fromEnd, FAILED_FOR)) {
            return null;
        }
        int addrStart = fromEnd + FAILED_FOR.length();
        int addrEnd = t.indexOf('\'', addrStart);
        if (addrEnd < 0 || addrEnd > reasonMark || !at(t, addrEnd, CALLID)) {
            return null;
        }
        Endpoint source = Text.endpointWithPort(t, addrStart, addrEnd);
        if (source == null && !Text.isAddressField(t, addrStart, addrEnd)) {
            return null;
        }
        return new Reading(addrStart, addrEnd, source, fromEnd);
    }

    static EventAction actionFor(String reason) {
        return switch (reason) {
            case "No matching endpoint found" -> EventAction.ENDPOINT_NOT_FOUND;
            case "Failed to authenticate", "Error to authenticate" -> EventAction.AUTH_FAILED;
            case "Not match Endpoint ACL" -> EventAction.ACL_DENIED;
            case "Not match Endpoint Contact ACL" -> EventAction.CONTACT_ACL_DENIED;
            default -> EventAction.REQUEST_FAILED;
        };
    }
}
