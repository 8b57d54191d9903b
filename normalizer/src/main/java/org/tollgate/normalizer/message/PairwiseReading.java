package org.tollgate.normalizer.message;

import java.util.HashMap;
import java.util.Map;
import org.tollgate.normalizer.address.Endpoint;
import org.tollgate.normalizer.address.Endpoints;

/**
 * A {@code SecurityEvent=} line that does not read against its type's layout (a type or key order Asterisk does not
 * write: another module's events, a line cut short): its pairs are split at every {@code ",Key="}, and an address
 * key that then appears twice makes its address untrusted, since one of the two was planted in a value.
 */
final class PairwiseReading {

    private PairwiseReading() {
    }

    static Finding parse(String t, int s, String type) {
        Map<String, String> pairs = new HashMap<>();
        boolean planted = false;
        int keyStart = s;
        int end = t.length();
        while (keyStart < end) {
            int equals = t.indexOf("=\"", keyStart);
            if (equals < 0 || !SecurityEventMessages.isKey(t, keyStart, equals)) {
                return null;
            }
            String key = t.substring(keyStart, equals);
            int valueStart = equals + 2;
            int valueEnd = nextPairStart(t, valueStart, end);
            String value;
            if (valueEnd < 0) {
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
        EventAction action = SecurityEventMessages.actionFor(type);
        if ("Informational".equals(pairs.get("Severity")) && action.isFailure()) {
            action = EventAction.SECURITY_OTHER;
        }
        String service = pairs.get("Service");
        String remote = pairs.get("RemoteAddress");
        String local = pairs.get("LocalAddress");
        Endpoint source = remote == null ? null : Endpoints.parseSecurityAddress(remote, 0, remote.length());
        String eventTv = pairs.get("EventTV");
        AddressOrigin origin = "SIP".equals(service) ? AddressOrigin.VIA : AddressOrigin.TRANSPORT;
        Finding.Builder finding = Finding.of(action, SecurityEventMessages.providerFor(service, pairs.get("Module")))
                .reason(type)
                .securityEvent(type)
                .service(service)
                .user(pairs.get("AccountID"))
                .sessionId(pairs.get("SessionID"))
                .aclName(pairs.get("ACLName"))
                .destination(local == null ? null : Endpoints.parseSecurityAddress(local, 0, local.length()))
                .transport(remote == null ? null : Endpoints.securityTransport(remote, 0, remote.length()))
                .version(eventTv != null && eventTv.indexOf('T') > 0 ? "12+" : "1.8-11");
        if (remote != null) {
            finding.address(source, remote, 0, remote.length(), origin);
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
            if (equals > keyStart && SecurityEventMessages.isKey(t, keyStart, equals)) {
                return quote;
            }
            i = quote + 1;
        }
    }
}
