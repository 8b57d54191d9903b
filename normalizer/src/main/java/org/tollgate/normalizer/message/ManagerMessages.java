package org.tollgate.normalizer.message;

import static org.tollgate.normalizer.message.Text.at;

import org.tollgate.normalizer.address.Endpoint;

/** AMI messages (catalog A1–A7, and the logon/logoff lines). Addresses are the TCP peer, without a port. */
final class ManagerMessages {

    static final String PROVIDER = "manager";

    private static final String NONEXISTENT = " tried to authenticate with nonexistent user '";
    private static final String FAILED_ACL = " failed to pass IP ACL as '";
    private static final String FAILED_AUTH = " failed to authenticate as '";

    private ManagerMessages() {
    }

    /** A1–A3: {@code <addr> tried to authenticate with nonexistent user '<user>'} and the like; the address comes first. */
    static Finding loginFailure(String t, int s) {
        int space = t.indexOf(' ', s);
        if (space < 0 || space - s > 45) {
            return null;
        }
        String reason;
        int userStart;
        if (at(t, space, NONEXISTENT)) {
            reason = "nonexistent user";
            userStart = space + NONEXISTENT.length();
        } else if (at(t, space, FAILED_AUTH)) {
            reason = "wrong secret";
            userStart = space + FAILED_AUTH.length();
        } else if (at(t, space, FAILED_ACL)) {
            reason = "IP ACL";
            userStart = space + FAILED_ACL.length();
        } else {
            return null;
        }
        Endpoint source = Text.endpoint(t, s, space);
        if (source == null && !Text.isAddressField(t, s, space)) {
            return null;
        }
        return Finding.of(EventAction.AMI_LOGIN_FAILED, PROVIDER).reason(reason)
                .address(source, t, s, space, AddressOrigin.TRANSPORT)
                .user(Text.quotedTail(t, userStart))
                .transport("TCP")
                .version(source != null && source.isIpv6() ? "11+" : "1.4+")
                .build();
    }

    static Finding parse(String t, int s) {
        switch (t.charAt(s)) {
            case 'C':
                if (at(t, s, "Client from ")) {
                    int from = s + "Client from ".length();
                    int comma = t.indexOf(", failed to authenticate in ", s);
                    Endpoint source = comma < 0 ? null : Text.endpoint(t, from, comma);
                    return source == null && !Text.isAddressField(t, from, comma) ? null
                            : Finding.of(EventAction.AMI_AUTH_TIMEOUT, PROVIDER).reason("authentication timeout")
                            .address(source, t, from, comma, AddressOrigin.TRANSPORT).transport("TCP")
                            .version("1.4.40+").build();
                }
                if (at(t, s, "Connect attempt from '")) {
                    return unauthenticated(t, s + "Connect attempt from '".length(), "TCP");
                }
                return null;
            case 'H':
                if (at(t, s, "HTTP Connect attempt from '")) {
                    return unauthenticated(t, s + "HTTP Connect attempt from '".length(), "HTTP");
                }
                if (at(t, s, "HTTP Manager '")) {
                    return session(t, s + "HTTP Manager '".length(), "HTTP");
                }
                return null;
            case 'M':
                return at(t, s, "Manager '") ? session(t, s + "Manager '".length(), "TCP") : null;
            case 'R':
                return at(t, s, "Received incorrect nonce in Digest <")
                        ? Finding.of(EventAction.AMI_BAD_NONCE, PROVIDER).reason("incorrect digest nonce").version("1.8+").build()
                        : null;
            case 'm':
                return at(t, s, "manager connection rejected, too many unauthenticated sessions")
                        ? Finding.of(EventAction.AMI_TOO_MANY_SESSIONS, PROVIDER).reason("too many unauthenticated sessions")
                        .version("1.4.40-1.4.44").build()
                        : null;
            default:
                return null;
        }
    }

    private static Finding unauthenticated(String t, int start, String protocol) {
        int end = t.indexOf("' unable to authenticate", start);
        Endpoint source = end < 0 ? null : Text.endpoint(t, start, end);
        return source == null && !Text.isAddressField(t, start, end) ? null
                : Finding.of(EventAction.AMI_SESSION_UNAUTHENTICATED, PROVIDER)
                .reason(protocol.equals("HTTP") ? "HTTP session ended unauthenticated" : "session ended unauthenticated")
                .address(source, t, start, end, AddressOrigin.TRANSPORT).transport("TCP").version("1.4+").build();
    }

    /** {@code Manager '<user>' logged on from <addr>}, {@code … logged off from …}, {@code … kicked from …}. */
    private static Finding session(String t, int userStart, String protocol) {
        int from = t.lastIndexOf(" from ");
        if (from < userStart) {
            return null;
        }
        Endpoint source = Text.endpoint(t, from + 6, t.length());
        if (source == null && !Text.isAddressField(t, from + 6, t.length())) {
            return null;
        }
        int close = t.lastIndexOf("' ", from);
        // "…' from": the quote closes the user, and no verb lies between.
        if (close < userStart || close + 2 > from) {
            return null;
        }
        String verb = t.substring(close + 2, from);
        EventAction action;
        if (verb.equals("logged on") || verb.equals("logged in")) {
            action = EventAction.AMI_LOGIN;
        } else if (verb.equals("logged off") || verb.equals("kicked")) {
            action = EventAction.AMI_LOGOFF;
        } else {
            return null;
        }
        return Finding.of(action, PROVIDER).reason(protocol.equals("HTTP") ? "HTTP " + verb : verb)
                .user(t.substring(userStart, close))
                .address(source, t, from + 6, t.length(), AddressOrigin.TRANSPORT).transport("TCP").version("1.4+").build();
    }
}
