package org.tollgate.normalizer.message;

import static org.tollgate.normalizer.message.Text.at;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tollgate.normalizer.address.Endpoint;
import org.tollgate.normalizer.address.Endpoints;
import org.tollgate.normalizer.message.SecurityEventLayout.Field;
import org.tollgate.normalizer.message.SecurityEventLayout.Kind;

/**
 * res_security_log lines (catalog §2.6): {@code SecurityEvent="<type>",EventTV="…",Severity="…",…,RemoteAddress="IPV4/UDP/192.0.2.7/5060",…}.
 *
 * <p>Values are printed unescaped, so an AccountID, a SessionID (PJSIP's is the Call-ID) or a digest response can hold
 * text that looks like any other {@code ,Key="value"} pair, a whole {@code LocalAddress}/{@code RemoteAddress} pair
 * included. The line is read against the fixed key order of its event type ({@link SecurityEventLayout}): the
 * {@code RemoteAddress} is one that follows a {@code LocalAddress}, both in the address rendering, where what comes
 * before reads as the type's account and session values and what comes after reads as the type's remaining keys to
 * the end of the line. A planted pair that does not fit is sender text inside a value. Only a line that fits that
 * order with two different addresses is ambiguous, and says so.
 */
final class SecurityEventMessages {

    static final String PREFIX = "SecurityEvent=\"";

    private static final int COMMON = 4; // EventTV, Severity, Service, EventVersion
    private static final String[] COMMON_KEYS = {"EventTV", "Severity", "Service", "EventVersion"};
    private static final Kind[] COMMON_KINDS = {Kind.TIME, Kind.WORD, Kind.WORD, Kind.DIGITS};

    private SecurityEventMessages() {
    }

    static Finding parse(String t, int s) {
        int typeStart = s + PREFIX.length();
        int typeEnd = t.indexOf('"', typeStart);
        if (typeEnd < 0 || !isKey(t, typeStart, typeEnd)) {
            return null;
        }
        int end = t.length();
        while (end > typeEnd && t.charAt(end - 1) == ' ') {
            end--;
        }
        String type = t.substring(typeStart, typeEnd);
        // EventTV, Severity, Service and EventVersion are Asterisk's own: each ends at the first quote.
        String[] common = new String[COMMON];
        int p = typeEnd;
        for (int i = 0; i < COMMON; i++) {
            int valueStart = p + COMMON_KEYS[i].length() + 4;
            if (!at(t, p, "\",") || !at(t, p + 2, COMMON_KEYS[i]) || !at(t, valueStart - 2, "=\"")) {
                return PairwiseReading.parse(t, s, type);
            }
            int valueEnd = t.indexOf('"', valueStart);
            if (valueEnd < 0 || !COMMON_KINDS[i].accepts(t, valueStart, valueEnd)) {
                return PairwiseReading.parse(t, s, type);
            }
            common[i] = t.substring(valueStart, valueEnd);
            p = valueEnd;
        }
        String service = common[2];
        List<Field> layout = SecurityEventLayout.of(type, service);
        Reading reading = new Reading(t, end, layout != null ? layout : SecurityEventLayout.of("InvalidAccountID", service),
                layout == null);
        List<Anchor> anchors = reading.anchors(p);
        if (anchors.isEmpty()) {
            return PairwiseReading.parse(t, s, type);
        }
        return finding(t, type, common, anchors, reading);
    }

    /** One way the line reads: its LocalAddress and RemoteAddress, and the account and session before them. */
    private record Anchor(int localStart, int localEnd, int remoteStart, int remoteEnd, int accountStart,
                          int accountEnd, int sessionStart, int sessionEnd) {
    }

    private static Finding finding(String t, String type, String[] common, List<Anchor> anchors, Reading reading) {
        String service = common[2];
        EventAction action = actionFor(type);
        if ("Informational".equals(common[1]) && action.isFailure()) {
            // An informational event is never counted as a failure, whatever its type.
            action = EventAction.SECURITY_OTHER;
        }
        Anchor first = anchors.get(0);
        Map<String, String> rest = reading.tail(first.remoteEnd());
        Finding.Builder finding = Finding.of(action, providerFor(service, rest.get("Module")))
                .reason(type)
                .securityEvent(type)
                .service(service)
                .aclName(rest.get("ACLName"))
                .destination(Endpoints.parseSecurityAddress(t, first.localStart(), first.localEnd()))
                .transport(Endpoints.securityTransport(t, first.remoteStart(), first.remoteEnd()))
                .version(common[0].indexOf('T') > 0 ? "12+" : "1.8-11");
        // chan_sip reports p->sa, whose address the top Via's maddr= sets (channels/chan_sip.c check_via and
        // process_via), whatever its nat setting says.
        AddressOrigin origin = "SIP".equals(service) ? AddressOrigin.VIA : AddressOrigin.TRANSPORT;
        List<Finding.Alternative> alternatives = new ArrayList<>(anchors.size());
        List<String> ips = new ArrayList<>(anchors.size());
        boolean unreadable = false;
        for (Anchor anchor : anchors) {
            Endpoint remote = Endpoints.parseSecurityAddress(t, anchor.remoteStart(), anchor.remoteEnd());
            unreadable |= remote == null;
            alternatives.add(new Finding.Alternative(remote,
                    t.substring(anchor.sessionStart(), anchor.sessionEnd())));
            if (remote != null && !ips.contains(remote.ip())) {
                ips.add(remote.ip());
            }
        }
        if (ips.size() > 1 || (unreadable && !ips.isEmpty())) {
            return finding.ambiguous(alternatives, origin).build();
        }
        String account = first.accountStart() >= 0 ? t.substring(first.accountStart(), first.accountEnd())
                : rest.get(SecurityEventLayout.ACCOUNT_ID);
        return finding.user(account)
                .sessionId(alternatives.get(0).sessionId())
                .address(alternatives.get(0).source(), t, first.remoteStart(), first.remoteEnd(), origin)
                .build();
    }

    /**
     * The line read against a layout. Positions are those of the quote that closes a value; {@code end} is the line's
     * end without trailing blanks, whose last character closes the last value.
     */
    private static final class Reading {
        private final String t;
        private final int end;
        private final List<Field> fields;
        private final boolean openTail;
        private final int remote;
        private final Map<Long, Boolean> valid = new HashMap<>();
        private final int[] lastValidMarker;

        /** @param openTail true for a type Asterisk does not have: anything may follow the RemoteAddress */
        Reading(String t, int end, List<Field> fields, boolean openTail) {
            this.t = t;
            this.end = end;
            this.fields = fields;
            this.openTail = openTail;
            int remoteIndex = -1;
            for (int i = 0; i < fields.size(); i++) {
                if (fields.get(i).key().equals(SecurityEventLayout.REMOTE_ADDRESS)) {
                    remoteIndex = i;
                }
            }
            this.remote = remoteIndex;
            this.lastValidMarker = new int[fields.size()];
            java.util.Arrays.fill(lastValidMarker, Integer.MIN_VALUE);
        }

        /**
         * Every LocalAddress/RemoteAddress pair that the line reads to, from {@code commonEnd} (the quote closing
         * EventVersion) to its end.
         */
        List<Anchor> anchors(int commonEnd) {
            List<Anchor> anchors = new ArrayList<>(1);
            Field session = fields.get(remote - 2);
            boolean withAccount = fields.get(remote - 3).key().equals(SecurityEventLayout.ACCOUNT_ID);
            String sessionMarker = session.quotedMarker();
            int accountStart = -1;
            int firstSession;
            if (withAccount) {
                if (!at(t, commonEnd + 1, fields.get(remote - 3).marker())) {
                    return anchors;
                }
                accountStart = commonEnd + 1 + fields.get(remote - 3).marker().length();
                firstSession = t.indexOf(sessionMarker, accountStart);
            } else {
                firstSession = at(t, commonEnd, sessionMarker) ? commonEnd : -1;
            }
            if (firstSession < 0) {
                return anchors;
            }
            String localMarker = fields.get(remote - 1).quotedMarker();
            String remoteMarker = fields.get(remote).quotedMarker();
            int from = firstSession + sessionMarker.length();
            for (int q = t.indexOf(localMarker, from); q >= 0 && q < end; q = t.indexOf(localMarker, q + 1)) {
                int localStart = q + localMarker.length();
                int localEnd = t.indexOf('"', localStart);
                if (localEnd < 0 || !Kind.ADDRESS.accepts(t, localStart, localEnd) || !at(t, localEnd, remoteMarker)) {
                    continue;
                }
                int remoteStart = localEnd + remoteMarker.length();
                int remoteEnd = t.indexOf('"', remoteStart);
                if (remoteEnd < 0 || remoteEnd >= end || !Kind.ADDRESS.accepts(t, remoteStart, remoteEnd)) {
                    continue;
                }
                // What comes before: the account, then the session up to this pair. A pointer holds no quote, so its
                // marker is the last one before the pair; a free session starts at the first.
                int sessionQuote = session.kind() == Kind.FREE ? firstSession : t.lastIndexOf(sessionMarker, q);
                if (sessionQuote < firstSession) {
                    continue;
                }
                int sessionStart = sessionQuote + sessionMarker.length();
                if (sessionStart > q || !session.kind().accepts(t, sessionStart, q)) {
                    continue;
                }
                if (!continues(remote, remoteEnd)) {
                    continue;
                }
                anchors.add(new Anchor(localStart, localEnd, remoteStart, remoteEnd, accountStart,
                        withAccount ? sessionQuote : -1, sessionStart, q));
            }
            return anchors;
        }

        /** Whether the text after the quote at {@code close}, which closes field {@code f}, reads as the rest of the layout. */
        private boolean continues(int f, int close) {
            if (close == end - 1) {
                return optionalAfter(f);
            }
            if (close >= end - 1 || t.charAt(close + 1) != ',') {
                return false;
            }
            if (openTail && f == remote) {
                return true;
            }
            for (int g = f + 1; g < fields.size(); g++) {
                Field next = fields.get(g);
                if (at(t, close + 1, next.marker()) && valueFits(g, close + 1 + next.marker().length())) {
                    return true;
                }
                if (next.required()) {
                    break;
                }
            }
            return false;
        }

        private boolean optionalAfter(int f) {
            for (int g = f + 1; g < fields.size(); g++) {
                if (fields.get(g).required()) {
                    return false;
                }
            }
            return true;
        }

        /** Whether field {@code f}'s value can start at {@code start} and the line read on to its end. */
        private boolean valueFits(int f, int start) {
            long key = (long) f << 32 | start;
            Boolean known = valid.get(key);
            if (known != null) {
                return known;
            }
            boolean fits = computeFits(f, start);
            valid.put(key, fits);
            return fits;
        }

        private boolean computeFits(int f, int start) {
            Field field = fields.get(f);
            Kind kind = field.kind();
            if (kind.endsAtFirstQuote()) {
                int close = t.indexOf('"', start);
                return close >= 0 && close < end && kind.accepts(t, start, close) && continues(f, close);
            }
            if (kind == Kind.NO_QUOTE_COMMA) {
                int close = t.indexOf("\",", start);
                if (close < 0 || close >= end - 1) {
                    close = end - 1;
                }
                return close >= start && t.charAt(close) == '"' && continues(f, close);
            }
            // Free text may end at any marker of a key that may follow, or at the line's end.
            if (optionalAfter(f) && end - 1 >= start && t.charAt(end - 1) == '"') {
                return true;
            }
            for (int g = f + 1; g < fields.size(); g++) {
                if (lastFittingMarker(g) >= start) {
                    return true;
                }
                if (fields.get(g).required()) {
                    break;
                }
            }
            return false;
        }

        /**
         * The rightmost quote that closes a value and is followed by a marker of field {@code g} whose value fits,
         * or -1: a free value before {@code g} can end there if it starts before it.
         */
        private int lastFittingMarker(int g) {
            if (lastValidMarker[g] != Integer.MIN_VALUE) {
                return lastValidMarker[g];
            }
            String marker = fields.get(g).quotedMarker();
            int found = -1;
            for (int q = t.lastIndexOf(marker, end - 1); q >= 0; q = t.lastIndexOf(marker, q - 1)) {
                if (valueFits(g, q + marker.length())) {
                    found = q;
                    break;
                }
            }
            lastValidMarker[g] = found;
            return found;
        }

        /**
         * The values after the RemoteAddress closed at {@code remoteEnd}, by key, read the first way that fits: what
         * an event needs from there (Module, ACLName, RequestBadFormat's AccountID).
         */
        Map<String, String> tail(int remoteEnd) {
            Map<String, String> values = new HashMap<>();
            int f = remote;
            int close = remoteEnd;
            while (close < end - 1 && !(openTail && f == remote)) {
                int next = -1;
                for (int g = f + 1; g < fields.size(); g++) {
                    Field field = fields.get(g);
                    if (at(t, close + 1, field.marker()) && valueFits(g, close + 1 + field.marker().length())) {
                        next = g;
                        break;
                    }
                    if (field.required()) {
                        break;
                    }
                }
                if (next < 0) {
                    break;
                }
                int start = close + 1 + fields.get(next).marker().length();
                int valueEnd = firstFittingClose(next, start);
                if (valueEnd < 0) {
                    break;
                }
                values.put(fields.get(next).key(), t.substring(start, valueEnd));
                f = next;
                close = valueEnd;
            }
            return values;
        }

        private int firstFittingClose(int f, int start) {
            for (int q = t.indexOf('"', start); q >= 0 && q < end; q = t.indexOf('"', q + 1)) {
                if (fields.get(f).kind().accepts(t, start, q) && continues(f, q)) {
                    return q;
                }
            }
            return -1;
        }
    }

    /** A key of a {@code Key="value"} pair: letters only, at most 32. */
    static boolean isKey(String t, int from, int to) {
        if (to <= from || to - from > 32) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                return false;
            }
        }
        return true;
    }

    static String providerFor(String service, String module) {
        if (service == null) {
            return "res_security_log";
        }
        return switch (service) {
            case "SIP" -> ChanSipMessages.PROVIDER;
            case "PJSIP" -> PjsipMessages.PROVIDER;
            case "AMI" -> ManagerMessages.PROVIDER;
            default -> module != null ? module : "res_security_log";
        };
    }

    static EventAction actionFor(String type) {
        return switch (type) {
            case "FailedACL" -> EventAction.SECURITY_FAILED_ACL;
            case "InvalidAccountID" -> EventAction.SECURITY_INVALID_ACCOUNT_ID;
            case "SessionLimit" -> EventAction.SECURITY_SESSION_LIMIT;
            case "MemoryLimit" -> EventAction.SECURITY_MEMORY_LIMIT;
            case "LoadAverageLimit" -> EventAction.SECURITY_LOAD_AVERAGE_LIMIT;
            case "RequestNotSupported" -> EventAction.SECURITY_REQUEST_NOT_SUPPORTED;
            case "RequestNotAllowed" -> EventAction.SECURITY_REQUEST_NOT_ALLOWED;
            case "AuthMethodNotAllowed" -> EventAction.SECURITY_AUTH_METHOD_NOT_ALLOWED;
            case "RequestBadFormat" -> EventAction.SECURITY_REQUEST_BAD_FORMAT;
            case "SuccessfulAuth" -> EventAction.SECURITY_SUCCESSFUL_AUTH;
            case "UnexpectedAddress" -> EventAction.SECURITY_UNEXPECTED_ADDRESS;
            case "ChallengeResponseFailed" -> EventAction.SECURITY_CHALLENGE_RESPONSE_FAILED;
            case "InvalidPassword" -> EventAction.SECURITY_INVALID_PASSWORD;
            case "ChallengeSent" -> EventAction.SECURITY_CHALLENGE_SENT;
            case "InvalidTransport" -> EventAction.SECURITY_INVALID_TRANSPORT;
            default -> EventAction.SECURITY_OTHER;
        };
    }
}
