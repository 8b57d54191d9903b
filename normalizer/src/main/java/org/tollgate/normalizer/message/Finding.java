package org.tollgate.normalizer.message;

import org.tollgate.normalizer.address.Endpoint;

/**
 * What a security message says: the kind of event, who it came from and how far that address can be trusted.
 *
 * @param action         the kind of message ({@code event.action})
 * @param provider       the Asterisk module that logged it ({@code chan_sip}, {@code res_pjsip}, …)
 * @param reason         Asterisk's own reason text, when the message has one
 * @param source         the remote address, or null when the message names none
 * @param origin         where {@code source} came from; null when there is no source
 * @param sourceTrusted  true when a jail may ban on {@code source}
 * @param patched        true when the line is in the form a Tollgate chan_sip patch writes
 * @param destination    the local address, when the message names it (security events)
 * @param transport      the transport word as Asterisk printed it ({@code UDP}, {@code TCP}, {@code TLS}, {@code WS}, {@code WSS})
 * @param userName       the user, endpoint, peer or account the message names
 * @param sessionId      the SIP Call-ID or security-event SessionID
 * @param securityEvent  the res_security_log event type ({@code InvalidPassword}, …)
 * @param service        the res_security_log service ({@code SIP}, {@code PJSIP}, {@code AMI})
 * @param versionFamily  the Asterisk versions that write this exact form, e.g. {@code 1.8-20}
 * @param extension      the dialled extension, for rejected calls
 * @param context        the dialplan context, for rejected calls
 * @param sipMethod      the SIP method, where the message names it
 * @param attempts       the request count of a PJSIP "after N tries" line, or -1
 * @param aclName        the ACL that refused the request
 * @param secret         text of the line that must never leave in an event (an IAX2 expected digest), or null
 * @param sourceProblem  why the message gives no source although it names one, or null
 * @param sourceText     the raw text where the address should be, when it is {@link SourceProblem#UNREADABLE}
 * @param alternatives   the readings of an {@link SourceProblem#AMBIGUOUS} line, each with its address and session; empty
 *                       otherwise
 * @param filter         the user's fail2ban filter that found it ({@link EventAction#CUSTOM}), or null
 */
public record Finding(EventAction action, String provider, String reason, Endpoint source, AddressOrigin origin,
                      boolean sourceTrusted, boolean patched, Endpoint destination, String transport,
                      String userName, String sessionId, String securityEvent, String service, String versionFamily,
                      String extension, String context, String sipMethod, int attempts, String aclName,
                      String secret, SourceProblem sourceProblem, String sourceText, java.util.List<Alternative> alternatives,
                      String filter) {

    /** Longest text kept as an unreadable address; longer text is not an address field at all. */
    public static final int MAX_UNREADABLE = 64;

    /** One way an ambiguous line reads: the address and the session id (Call-ID, SessionID) it then names. */
    public record Alternative(Endpoint source, String sessionId) {
    }

    public Finding {
        alternatives = alternatives == null ? java.util.List.of() : java.util.List.copyOf(alternatives);
    }

    /** The distinct addresses an ambiguous line may name, in reading order. */
    public java.util.List<String> candidates() {
        java.util.List<String> ips = new java.util.ArrayList<>(alternatives.size());
        for (Alternative alternative : alternatives) {
            if (alternative.source() != null && !ips.contains(alternative.source().ip())) {
                ips.add(alternative.source().ip());
            }
        }
        return ips;
    }

    /** The {@code event.action} name: the action's own, or {@code custom:<filter>} for a user's filter. */
    public String actionName() {
        return filter == null ? action.id() : action.id() + ":" + filter;
    }

    /** This finding with its source not trusted. */
    public Finding untrusted() {
        return new Finding(action, provider, reason, source, origin, false, patched, destination, transport, userName,
                sessionId, securityEvent, service, versionFamily, extension, context, sipMethod, attempts, aclName,
                secret, sourceProblem, sourceText, alternatives, filter);
    }

    /**
     * This ambiguous finding read as {@code chosen}, one of its alternatives, which something else in the log showed to
     * be the real one: its address is trusted as {@code from} is.
     */
    public Finding resolvedAs(Alternative chosen, AddressOrigin from) {
        return new Finding(action, provider, reason, chosen.source(), from, from.trustedByDefault(), patched,
                destination, transport, userName, chosen.sessionId(), securityEvent, service, versionFamily, extension,
                context, sipMethod, attempts, aclName, secret, null, null, java.util.List.of(), filter);
    }

    public static Builder of(EventAction action, String provider) {
        return new Builder(action, provider);
    }

    /** Fills a {@link Finding} field by field; unset fields stay absent. */
    public static final class Builder {
        private final EventAction action;
        private final String provider;
        private String reason;
        private Endpoint source;
        private AddressOrigin origin;
        private Boolean trusted;
        private boolean patched;
        private Endpoint destination;
        private String transport;
        private String userName;
        private String sessionId;
        private String securityEvent;
        private String service;
        private String versionFamily;
        private String extension;
        private String context;
        private String sipMethod;
        private int attempts = -1;
        private String aclName;
        private String secret;
        private SourceProblem sourceProblem;
        private String sourceText;
        private java.util.List<Alternative> alternatives;
        private String filter;

        private Builder(EventAction action, String provider) {
            this.action = action;
            this.provider = provider;
        }

        public Builder reason(String value) {
            reason = value;
            return this;
        }

        /** The remote address and where it came from; trust follows the origin unless {@link #trusted} says otherwise. */
        public Builder source(Endpoint value, AddressOrigin from) {
            source = value;
            origin = value == null ? null : from;
            return this;
        }

        /**
         * The address Asterisk wrote at {@code text[from, to)}, already parsed as {@code parsed}: its source when it
         * parsed, otherwise (a redacted or mangled address) no source, the raw text and {@link SourceProblem#UNREADABLE}.
         */
        public Builder address(Endpoint parsed, String text, int from, int to, AddressOrigin where) {
            if (parsed != null) {
                return source(parsed, where);
            }
            String raw = text.substring(from, to);
            source = null;
            origin = where;
            sourceProblem = SourceProblem.UNREADABLE;
            sourceText = raw;
            return this;
        }

        /** Several readings of the line that name different addresses, none of which can be told to be the real one. */
        public Builder ambiguous(java.util.List<Alternative> value, AddressOrigin where) {
            source = null;
            origin = where;
            sourceProblem = SourceProblem.AMBIGUOUS;
            alternatives = value;
            return this;
        }

        public Builder trusted(boolean value) {
            trusted = value;
            return this;
        }

        public Builder patched(boolean value) {
            patched = value;
            return this;
        }

        public Builder destination(Endpoint value) {
            destination = value;
            return this;
        }

        public Builder transport(String value) {
            transport = value;
            return this;
        }

        public Builder user(String value) {
            userName = value == null || value.isEmpty() ? null : value;
            return this;
        }

        public Builder sessionId(String value) {
            sessionId = value;
            return this;
        }

        public Builder securityEvent(String value) {
            securityEvent = value;
            return this;
        }

        public Builder service(String value) {
            service = value;
            return this;
        }

        public Builder version(String value) {
            versionFamily = value;
            return this;
        }

        public Builder extension(String value) {
            extension = value;
            return this;
        }

        public Builder context(String value) {
            context = value;
            return this;
        }

        public Builder sipMethod(String value) {
            sipMethod = value;
            return this;
        }

        public Builder attempts(int value) {
            attempts = value;
            return this;
        }

        public Builder aclName(String value) {
            aclName = value;
            return this;
        }

        public Builder secret(String value) {
            secret = value;
            return this;
        }

        /** The user's fail2ban filter that found a {@link EventAction#CUSTOM} finding. */
        public Builder filter(String value) {
            filter = value;
            return this;
        }

        public Finding build() {
            boolean sourceTrusted = source != null && (trusted != null ? trusted : origin.trustedByDefault());
            return new Finding(action, provider, reason, source, origin, sourceTrusted, patched, destination,
                    transport, userName, sessionId, securityEvent, service, versionFamily, extension, context,
                    sipMethod, attempts, aclName, secret, sourceProblem, sourceText, alternatives, filter);
        }
    }
}
