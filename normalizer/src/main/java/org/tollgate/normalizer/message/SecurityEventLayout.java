package org.tollgate.normalizer.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.tollgate.normalizer.address.Endpoints;
import org.tollgate.normalizer.text.Digits;

/**
 * The keys a res_security_log line has after {@code SecurityEvent="<type>"}, in the order Asterisk writes them, and
 * what each value can hold.
 *
 * <p>res_security_log prints {@code ,Key="value"} for each required IE of the event type, then for each optional IE
 * that is present, in the order of the type's {@code required_ies} and {@code optional_ies} in main/security_events.c
 * (res/res_security_log.c append_ies / append_json; the same tables from 1.8.0 to master, 10.0.0 adding
 * {@code UsingPassword}, {@code ChallengeSent}, {@code InvalidTransport} and InvalidPassword's optional challenge
 * fields). Values are printed unescaped. Which of them a sender can write depends on the module that reported the
 * event (channels/sip/security_events.c, res/res_pjsip/security_events.c, main/manager.c), and is the value's
 * {@link Kind}.
 */
final class SecurityEventLayout {

    /** What a value may hold. */
    enum Kind {
        /** {@code 1373894841-507211} (1.8–11) or {@code 2021-07-22T17:04:36.512-0500} (12+). */
        TIME(40),
        /** Letters, digits, {@code _} and {@code -}: Severity, Service. */
        WORD(64),
        DIGITS(20),
        /** A {@code %p} session id: {@code 0x7f3a2c001230} (chan_sip's dialog, AMI's session), or {@code (nil)}. */
        POINTER(24),
        /** {@code IPV4/UDP/192.0.2.7/5060}; an unreadable address still has the shape. */
        ADDRESS(80),
        /**
         * Text that never holds {@code ",}: Asterisk's own strings and configuration, and the digest values chan_sip's
         * sip_digest_parser cuts at a quote (quoted) or a comma (unquoted).
         */
        NO_QUOTE_COMMA(Integer.MAX_VALUE),
        /** Anything the sender wrote: a Call-ID, an account name, a digest response read by pjsip. */
        FREE(Integer.MAX_VALUE);

        final int maxLength;

        Kind(int maxLength) {
            this.maxLength = maxLength;
        }

        /** Whether a value ends at the first quote after it: it can hold none. */
        boolean endsAtFirstQuote() {
            return this != NO_QUOTE_COMMA && this != FREE;
        }

        boolean accepts(String t, int from, int to) {
            if (to - from > maxLength) {
                return false;
            }
            switch (this) {
                case TIME:
                    for (int i = from; i < to; i++) {
                        char c = t.charAt(i);
                        if (!Digits.isDigit(c) && c != '-' && c != '+' && c != ':' && c != '.' && c != 'T') {
                            return false;
                        }
                    }
                    return to > from;
                case WORD:
                    for (int i = from; i < to; i++) {
                        char c = t.charAt(i);
                        if (!Digits.isDigit(c) && !(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z') && c != '_' && c != '-') {
                            return false;
                        }
                    }
                    return to > from;
                case DIGITS:
                    return Digits.all(t, from, to);
                case POINTER:
                    if (t.startsWith("(nil)", from) && to - from == 5 || to - from == 1 && t.charAt(from) == '0') {
                        return true;
                    }
                    if (to - from < 3 || t.charAt(from) != '0' || t.charAt(from + 1) != 'x') {
                        return false;
                    }
                    for (int i = from + 2; i < to; i++) {
                        char c = t.charAt(i);
                        if (!Digits.isDigit(c) && !(c >= 'a' && c <= 'f') && !(c >= 'A' && c <= 'F')) {
                            return false;
                        }
                    }
                    return true;
                case ADDRESS:
                    if (Endpoints.parseSecurityAddress(t, from, to) != null) {
                        return true;
                    }
                    // A redacted or mangled address keeps the rendering's shape: IPV4/…/port, no blanks or commas.
                    if (to - from < 9 || !t.startsWith("IPV", from)) {
                        return false;
                    }
                    for (int i = from; i < to; i++) {
                        char c = t.charAt(i);
                        if (c <= ' ' || c == ',' || c == '=') {
                            return false;
                        }
                    }
                    return t.lastIndexOf('/', to - 1) > from + 4;
                case NO_QUOTE_COMMA:
                    for (int i = from; i + 1 < to; i++) {
                        if (t.charAt(i) == '"' && t.charAt(i + 1) == ',') {
                            return false;
                        }
                    }
                    return true;
                default:
                    return true;
            }
        }
    }

    /**
     * One key of the layout.
     *
     * @param marker       what precedes the value: {@code ,Key="}
     * @param quotedMarker the marker with the previous value's closing quote: {@code ",Key="}
     */
    record Field(String key, Kind kind, boolean required, String marker, String quotedMarker) {
        Field(String key, Kind kind, boolean required) {
            this(key, kind, required, "," + key + "=\"", "\"," + key + "=\"");
        }
    }

    static final String ACCOUNT_ID = "AccountID";
    static final String SESSION_ID = "SessionID";
    static final String LOCAL_ADDRESS = "LocalAddress";
    static final String REMOTE_ADDRESS = "RemoteAddress";

    private SecurityEventLayout() {
    }

    /**
     * The keys after {@code SecurityEvent="<type>"} for an event of {@code type} reported by {@code service}, or null
     * for a type Asterisk does not have.
     */
    static List<Field> of(String type, String service) {
        // The layout depends on the service only through whether it is one of these three (the value kinds).
        int kinds = switch (service) {
            case "SIP" -> 0;
            case "AMI" -> 1;
            case "PJSIP" -> 2;
            default -> 3;
        };
        // Built once per known type and kind of service: nothing is kept for a type Asterisk does not have.
        return KNOWN[kinds].computeIfAbsent(type, known -> {
            List<Field> fields = build(known, kinds == 3 ? "" : service);
            return fields == null ? null : List.copyOf(fields);
        });
    }

    @SuppressWarnings("unchecked")
    private static final Map<String, List<Field>>[] KNOWN = new Map[] {
        new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), new ConcurrentHashMap<>(),
    };

    /** The layout {@link #of} returns, built anew. */
    static List<Field> build(String type, String service) {
        List<Field> fields = new ArrayList<>(14);
        fields.add(new Field("EventTV", Kind.TIME, true));
        fields.add(new Field("Severity", Kind.WORD, true));
        fields.add(new Field("Service", Kind.WORD, true));
        fields.add(new Field("EventVersion", Kind.DIGITS, true));
        boolean badFormat = type.equals("RequestBadFormat");
        if (!badFormat) {
            fields.add(new Field(ACCOUNT_ID, Kind.FREE, true));
        }
        fields.add(new Field(SESSION_ID, sessionKind(service), true));
        fields.add(new Field(LOCAL_ADDRESS, Kind.ADDRESS, true));
        fields.add(new Field(REMOTE_ADDRESS, Kind.ADDRESS, true));
        Field module = new Field("Module", Kind.NO_QUOTE_COMMA, false);
        Field sessionTv = new Field("SessionTV", Kind.TIME, false);
        switch (type) {
            case "FailedACL" -> {
                fields.add(module);
                fields.add(new Field("ACLName", Kind.NO_QUOTE_COMMA, false));
                fields.add(sessionTv);
            }
            case "InvalidAccountID", "SessionLimit", "MemoryLimit", "LoadAverageLimit" -> {
                fields.add(module);
                fields.add(sessionTv);
            }
            case "RequestNotSupported", "RequestNotAllowed" -> {
                fields.add(new Field("RequestType", sentByAmi(service), true));
                fields.add(module);
                fields.add(sessionTv);
                if (type.equals("RequestNotAllowed")) {
                    fields.add(new Field("RequestParams", Kind.FREE, false));
                }
            }
            case "AuthMethodNotAllowed" -> {
                fields.add(new Field("AuthMethod", Kind.FREE, true));
                fields.add(module);
                fields.add(sessionTv);
            }
            case "RequestBadFormat" -> {
                fields.add(new Field("RequestType", Kind.FREE, true));
                fields.add(module);
                fields.add(sessionTv);
                fields.add(new Field(ACCOUNT_ID, Kind.FREE, false));
                fields.add(new Field("RequestParams", Kind.FREE, false));
            }
            case "SuccessfulAuth" -> {
                // Required from 10.0.0; 1.8 has no UsingPassword.
                fields.add(new Field("UsingPassword", Kind.DIGITS, false));
                fields.add(module);
                fields.add(sessionTv);
            }
            case "UnexpectedAddress" -> {
                fields.add(new Field("ExpectedAddress", Kind.ADDRESS, true));
                fields.add(module);
                fields.add(sessionTv);
            }
            case "ChallengeResponseFailed" -> {
                fields.add(new Field("Challenge", challengeKind(service, true), true));
                fields.add(new Field("Response", digestKind(service), true));
                fields.add(new Field("ExpectedResponse", Kind.NO_QUOTE_COMMA, true));
                fields.add(module);
                fields.add(sessionTv);
            }
            case "InvalidPassword" -> {
                fields.add(module);
                fields.add(sessionTv);
                fields.add(new Field("Challenge", challengeKind(service, false), false));
                fields.add(new Field("ReceivedChallenge", digestKind(service), false));
                fields.add(new Field("ReceivedHash", digestKind(service), false));
            }
            case "ChallengeSent" -> {
                fields.add(new Field("Challenge", challengeKind(service, false), true));
                fields.add(module);
                fields.add(sessionTv);
            }
            case "InvalidTransport" -> {
                fields.add(new Field("AttemptedTransport", Kind.NO_QUOTE_COMMA, true));
                fields.add(module);
                fields.add(sessionTv);
            }
            default -> {
                return null;
            }
        }
        return fields;
    }

    /**
     * chan_sip and AMI print their dialog's or session's pointer ({@code snprintf(session_id, …, "%p", …)}); res_pjsip
     * prints the Call-ID the sender chose; other modules are not known, so whatever they print is taken as free.
     */
    private static Kind sessionKind(String service) {
        return "SIP".equals(service) || "AMI".equals(service) ? Kind.POINTER : Kind.FREE;
    }

    /** AMI's RequestType is the action name the client sent; res_pjsip's are fixed words. */
    private static Kind sentByAmi(String service) {
        return "SIP".equals(service) || "PJSIP".equals(service) ? Kind.NO_QUOTE_COMMA : Kind.FREE;
    }

    /**
     * The challenge: chan_sip's own nonce ({@code %08lx}), AMI's ({@code %ld}), res_pjsip's for ChallengeSent; but
     * res_pjsip's ChallengeResponseFailed prints the nonce the sender put in its Authorization header.
     */
    private static Kind challengeKind(String service, boolean response) {
        if ("SIP".equals(service) || "AMI".equals(service)) {
            return Kind.NO_QUOTE_COMMA;
        }
        return response || !"PJSIP".equals(service) ? Kind.FREE : Kind.NO_QUOTE_COMMA;
    }

    /** chan_sip's digest values come from sip_digest_parser and cannot hold {@code ",}; pjsip's and AMI's can. */
    private static Kind digestKind(String service) {
        return "SIP".equals(service) ? Kind.NO_QUOTE_COMMA : Kind.FREE;
    }
}
