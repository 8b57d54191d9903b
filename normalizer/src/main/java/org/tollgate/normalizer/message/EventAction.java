package org.tollgate.normalizer.message;

import java.util.List;

/**
 * Every kind of security message Tollgate recognises, with the stable {@code event.action} name and the ECS
 * categorization it maps to. The names are a contract: jails select on them and SIEM rules key on them.
 */
public enum EventAction {
    // chan_sip
    REGISTRATION_FAILED("registration-failed", Category.AUTHENTICATION, Type.START, Outcome.FAILURE),
    AUTH_FAILED("auth-failed", Category.AUTHENTICATION, Type.START, Outcome.FAILURE),
    AUTH_FAKE_REJECTION("auth-fake-rejection", Category.AUTHENTICATION, Type.START, Outcome.FAILURE),
    AUTH_USERNAME_MISMATCH("auth-username-mismatch", Category.AUTHENTICATION, Type.START, Outcome.FAILURE),
    AUTH_BAD_REQUEST("auth-bad-request", Category.AUTHENTICATION, Type.START, Outcome.FAILURE),
    AUTH_DUPLICATE("auth-duplicate", Category.AUTHENTICATION, Type.INFO, Outcome.UNKNOWN),
    AUTH_STALE_NONCE("auth-stale-nonce", Category.AUTHENTICATION, Type.INFO, Outcome.UNKNOWN),
    REGISTRATION_PEER_NOT_DYNAMIC("registration-peer-not-dynamic", Category.AUTHENTICATION, Type.START, Outcome.FAILURE),
    REGISTRATION_INVALID_TO("registration-invalid-to", Category.NETWORK, Type.PROTOCOL, Outcome.UNKNOWN),
    CONTACT_ACL_DENIED("contact-acl-denied", Category.NETWORK, Type.DENIED, Outcome.FAILURE),
    CALL_REJECTED_UNKNOWN_EXTENSION("call-rejected-unknown-extension", Category.INTRUSION_DETECTION, Type.DENIED, Outcome.FAILURE),
    CALL_LIMIT_REACHED("call-limit-reached", Category.NETWORK, Type.DENIED, Outcome.FAILURE),
    RTP_INIT_FAILED("rtp-init-failed", Category.NETWORK, Type.DENIED, Outcome.FAILURE),
    SIP_UNKNOWN_COMMAND("sip-unknown-command", Category.NETWORK, Type.PROTOCOL, Outcome.FAILURE),
    SIP_PACKET_TOO_LARGE("sip-packet-too-large", Category.NETWORK, Type.DENIED, Outcome.FAILURE),
    // res_pjsip and pjproject
    ENDPOINT_NOT_FOUND("endpoint-not-found", Category.AUTHENTICATION, Type.START, Outcome.FAILURE),
    ACL_DENIED("acl-denied", Category.NETWORK, Type.DENIED, Outcome.FAILURE),
    REQUEST_FAILED("request-failed", Category.AUTHENTICATION, Type.START, Outcome.FAILURE),
    ENDPOINT_NO_AOR("endpoint-no-aor", Category.AUTHENTICATION, Type.START, Outcome.FAILURE),
    AOR_NOT_FOUND("aor-not-found", Category.AUTHENTICATION, Type.START, Outcome.FAILURE),
    AOR_REGISTRATION_REFUSED("aor-registration-refused", Category.AUTHENTICATION, Type.START, Outcome.FAILURE),
    SIP_MALFORMED_PACKET("sip-malformed-packet", Category.NETWORK, Type.PROTOCOL, Outcome.FAILURE),
    // chan_iax2
    IAX_AUTH_FAILED("iax-auth-failed", Category.AUTHENTICATION, Type.START, Outcome.FAILURE),
    IAX_REGISTRATION_FAILED("iax-registration-failed", Category.AUTHENTICATION, Type.START, Outcome.FAILURE),
    IAX_ACL_DENIED("iax-acl-denied", Category.NETWORK, Type.DENIED, Outcome.FAILURE),
    IAX_CONNECT_REJECTED("iax-connect-rejected", Category.INTRUSION_DETECTION, Type.DENIED, Outcome.FAILURE),
    IAX_CALLTOKEN_FAILED("iax-calltoken-failed", Category.NETWORK, Type.DENIED, Outcome.FAILURE),
    // manager (AMI)
    AMI_LOGIN_FAILED("ami-login-failed", Category.AUTHENTICATION, Type.START, Outcome.FAILURE),
    AMI_AUTH_TIMEOUT("ami-auth-timeout", Category.AUTHENTICATION, Type.START, Outcome.FAILURE),
    AMI_SESSION_UNAUTHENTICATED("ami-session-unauthenticated", Category.SESSION, Type.END, Outcome.UNKNOWN),
    AMI_BAD_NONCE("ami-bad-nonce", Category.AUTHENTICATION, Type.START, Outcome.FAILURE),
    AMI_TOO_MANY_SESSIONS("ami-too-many-sessions", Category.NETWORK, Type.DENIED, Outcome.FAILURE),
    AMI_LOGIN("ami-login", Category.AUTHENTICATION, Type.START, Outcome.SUCCESS),
    AMI_LOGOFF("ami-logoff", Category.SESSION, Type.END, Outcome.SUCCESS),
    // named ACLs
    ACL_INVALID("acl-invalid", Category.CONFIGURATION, Type.INFO, Outcome.UNKNOWN),
    // res_security_log
    SECURITY_FAILED_ACL("security-failed-acl", Category.NETWORK, Type.DENIED, Outcome.FAILURE),
    SECURITY_INVALID_ACCOUNT_ID("security-invalid-account-id", Category.AUTHENTICATION, Type.START, Outcome.FAILURE),
    SECURITY_SESSION_LIMIT("security-session-limit", Category.NETWORK, Type.DENIED, Outcome.FAILURE),
    SECURITY_MEMORY_LIMIT("security-memory-limit", Category.NETWORK, Type.DENIED, Outcome.FAILURE),
    SECURITY_LOAD_AVERAGE_LIMIT("security-load-average-limit", Category.NETWORK, Type.DENIED, Outcome.FAILURE),
    SECURITY_REQUEST_NOT_SUPPORTED("security-request-not-supported", Category.NETWORK, Type.PROTOCOL, Outcome.FAILURE),
    SECURITY_REQUEST_NOT_ALLOWED("security-request-not-allowed", Category.NETWORK, Type.DENIED, Outcome.FAILURE),
    SECURITY_AUTH_METHOD_NOT_ALLOWED("security-auth-method-not-allowed", Category.AUTHENTICATION, Type.START, Outcome.FAILURE),
    SECURITY_REQUEST_BAD_FORMAT("security-request-bad-format", Category.NETWORK, Type.PROTOCOL, Outcome.FAILURE),
    SECURITY_SUCCESSFUL_AUTH("security-successful-auth", Category.AUTHENTICATION, Type.START, Outcome.SUCCESS),
    SECURITY_UNEXPECTED_ADDRESS("security-unexpected-address", Category.NETWORK, Type.DENIED, Outcome.FAILURE),
    SECURITY_CHALLENGE_RESPONSE_FAILED("security-challenge-response-failed", Category.AUTHENTICATION, Type.START, Outcome.FAILURE),
    SECURITY_INVALID_PASSWORD("security-invalid-password", Category.AUTHENTICATION, Type.START, Outcome.FAILURE),
    SECURITY_CHALLENGE_SENT("security-challenge-sent", Category.AUTHENTICATION, Type.INFO, Outcome.UNKNOWN),
    SECURITY_INVALID_TRANSPORT("security-invalid-transport", Category.NETWORK, Type.DENIED, Outcome.FAILURE),
    SECURITY_OTHER("security-event", Category.AUTHENTICATION, Type.INFO, Outcome.UNKNOWN),
    // lines that are not Asterisk's own C messages
    SIP_CONNECTION_REJECTED("sip-connection-rejected", Category.INTRUSION_DETECTION, Type.DENIED, Outcome.FAILURE),
    HACKING_ATTEMPT("hacking-attempt", Category.INTRUSION_DETECTION, Type.DENIED, Outcome.FAILURE),
    // the kernel's lines for packets the Tollgate shield dropped
    SHIELD_RATE_LIMITED("shield-rate-limited", Category.NETWORK, Type.DENIED, Outcome.FAILURE),
    SHIELD_SCANNER_DROPPED("shield-scanner-dropped", Category.INTRUSION_DETECTION, Type.DENIED, Outcome.FAILURE),
    // scanning seen across lines (correlate.ScanSignals): events of their own, not lines
    SCAN_CHALLENGE_FLOOD("scan-challenge-flood", Category.INTRUSION_DETECTION, Type.INFO, Outcome.FAILURE),
    SCAN_USER_ENUMERATION("scan-user-enumeration", Category.INTRUSION_DETECTION, Type.INFO, Outcome.FAILURE),
    SCAN_OPTIONS_SWEEP("scan-options-sweep", Category.INTRUSION_DETECTION, Type.INFO, Outcome.FAILURE),
    // a line none of the above knows, found by a user's fail2ban filter: event.action custom:<filter>
    CUSTOM("custom", Category.INTRUSION_DETECTION, Type.INFO, Outcome.FAILURE);

    /** ECS {@code event.category} values used here (from the allowed list). */
    public enum Category {
        AUTHENTICATION("authentication"), NETWORK("network"), INTRUSION_DETECTION("intrusion_detection"),
        SESSION("session"), CONFIGURATION("configuration");

        private final String ecs;

        Category(String ecs) {
            this.ecs = ecs;
        }

        public String ecs() {
            return ecs;
        }
    }

    /** ECS {@code event.type} values used here; each is allowed for the category it is paired with. */
    public enum Type {
        START("start"), END("end"), INFO("info"), DENIED("denied"), PROTOCOL("protocol");

        private final String ecs;

        Type(String ecs) {
            this.ecs = ecs;
        }

        public String ecs() {
            return ecs;
        }
    }

    /** ECS {@code event.outcome}. */
    public enum Outcome {
        FAILURE("failure"), SUCCESS("success"), UNKNOWN("unknown");

        private final String ecs;

        Outcome(String ecs) {
            this.ecs = ecs;
        }

        public String ecs() {
            return ecs;
        }
    }

    private final String id;
    private final Category category;
    private final Type type;
    private final Outcome outcome;

    EventAction(String id, Category category, Type type, Outcome outcome) {
        this.id = id;
        this.category = category;
        this.type = type;
        this.outcome = outcome;
    }

    /** The {@code event.action} name. */
    public String id() {
        return id;
    }

    public Category category() {
        return category;
    }

    public Type type() {
        return type;
    }

    public Outcome outcome() {
        return outcome;
    }

    public boolean isFailure() {
        return outcome == Outcome.FAILURE;
    }

    /**
     * True for a scanner signal: an event made from several lines, not a line. Jails count one only when their
     * {@code match} names it.
     */
    public boolean isScanSignal() {
        return id.startsWith(SCAN_PREFIX);
    }

    /** The {@code event.action} prefix of scanner signals. */
    public static final String SCAN_PREFIX = "scan-";

    /** The action with this {@code event.action} name, or null. */
    public static EventAction byId(String id) {
        for (EventAction action : values()) {
            if (action.id.equals(id)) {
                return action;
            }
        }
        return null;
    }

    public static List<String> ids() {
        return java.util.Arrays.stream(values()).map(EventAction::id).toList();
    }
}
