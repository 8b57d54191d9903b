package org.tollgate.normalizer.message;

import java.util.HashMap;
import java.util.Map;
import org.tollgate.normalizer.address.Endpoint;
import org.tollgate.normalizer.address.Endpoints;

/**
 * res_security_log lines (catalog §2.6): {@code SecurityEvent="<type>",EventTV="…",Severity="…",…,RemoteAddress="IPV4/UDP/192.0.2.7/5060",…}.
 *
 * <p>Values are not escaped, so an AccountID, SessionID or digest response can hold text that looks like another
 * {@code ,Key="value"} pair. Pairs are split at every {@code ",Key="}; a line where {@code RemoteAddress} or
 * {@code LocalAddress} then appears more than once has had one planted, and its address is not trusted.
 */
final class SecurityEventMessages {

    static final String PREFIX = "SecurityEvent=\"";

    private SecurityEventMessages() {
    }

    static Finding parse(String t, int s) {
        Map<String, String> pairs = new HashMap<>();
        boolean planted = false;
        int keyStart = s;
        int end = t.length();
        while (keyStart < end) {
            int equals = t.indexOf("=\"", keyStart);
            if (equals < 0 || !isKey(t, keyStart, equals)) {
                return null;
            }
            String key = t.substring(keyStart, equals);
            int valueStart = equals + 2;
            int valueEnd = nextPairStart(t, valueStart, end);
            String value;
            if (valueEnd < 0) {
                // Last pair: the value runs to the closing quote at the end of the line.
                int close = end;
                while (close > valueStart && t.charAt(close - 1) == ' ') {
                    close--;
                }
                if (close <= valueStart || t.charAt(close - 1) != '"') {
                    return null;
                }
                value = t.substring(valueStart, close - 1);
                keyStart = end;
            } else {
                value = t.substring(valueStart, valueEnd);
                keyStart = valueEnd + 2;
            }
            if (pairs.putIfAbsent(key, value) != null && (key.equals("RemoteAddress") || key.equals("LocalAddress"))) {
                planted = true;
            }
        }
        String type = pairs.get("SecurityEvent");
        if (type == null) {
            return null;
        }
        EventAction action = actionFor(type);
        if ("Informational".equals(pairs.get("Severity")) && action.isFailure()) {
            // An informational event is never counted as a failure, whatever its type.
            action = EventAction.SECURITY_OTHER;
        }
        String service = pairs.get("Service");
        String remote = pairs.get("RemoteAddress");
        String local = pairs.get("LocalAddress");
        Endpoint source = remote == null ? null : Endpoints.parseSecurityAddress(remote, 0, remote.length());
        Endpoint destination = local == null ? null : Endpoints.parseSecurityAddress(local, 0, local.length());
        String eventTv = pairs.get("EventTV");
        // chan_sip reports p->sa, whose address the top Via's maddr= may have replaced.
        AddressOrigin origin = "SIP".equals(service) ? AddressOrigin.VIA : AddressOrigin.TRANSPORT;
        Finding.Builder finding = Finding.of(action, providerFor(service, pairs.get("Module")))
                .reason(type)
                .securityEvent(type)
                .service(service)
                .user(pairs.get("AccountID"))
                .sessionId(pairs.get("SessionID"))
                .aclName(pairs.get("ACLName"))
                .destination(destination)
                .transport(remote == null ? null : Endpoints.securityTransport(remote, 0, remote.length()))
                .version(eventTv != null && eventTv.indexOf('T') > 0 ? "12+" : "1.8-11");
        if (source != null) {
            finding.source(source, origin);
            if (planted) {
                finding.trusted(false);
            }
        }
        return finding.build();
    }

    /** The index of the {@code "} that closes a value, i.e. the start of the next {@code ",Key="}, or -1. */
    private static int nextPairStart(String t, int from, int end) {
        int i = from;
        while (true) {
            int quote = t.indexOf("\",", i);
            if (quote < 0 || quote >= end) {
                return -1;
            }
            int keyStart = quote + 2;
            int equals = t.indexOf("=\"", keyStart);
            if (equals > keyStart && isKey(t, keyStart, equals)) {
                return quote;
            }
            i = quote + 1;
        }
    }

    private static boolean isKey(String t, int from, int to) {
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

    private static String providerFor(String service, String module) {
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

    private static EventAction actionFor(String type) {
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
