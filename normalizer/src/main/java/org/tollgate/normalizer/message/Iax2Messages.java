package org.tollgate.normalizer.message;

import static org.tollgate.normalizer.message.Text.at;

import org.tollgate.normalizer.address.Endpoint;

/**
 * chan_iax2 messages (catalog I1–I12). Addresses are the transport source: IPv4 without a port up to 11,
 * {@code ip:port} or {@code [v6]:port} from 12 ({@code register_verify} prints no port).
 */
final class Iax2Messages {

    static final String PROVIDER = "chan_iax2";

    private static final String HOST = "Host ";

    private Iax2Messages() {
    }

    static Finding parse(String t, int s, String level) {
        switch (t.charAt(s)) {
            case 'H':
                return at(t, s, HOST) ? host(t, s, level) : null;
            case 'N':
                if (at(t, s, "No registration for peer '")) {
                    // The peer name is the sender's; the address closes the line.
                    int mark = t.lastIndexOf("' (from ");
                    // Past the peer's opening quote: "No registration for peer ' (from …)" names no peer.
                    if (mark < s + "No registration for peer '".length() || !t.endsWith(")")) {
                        return null;
                    }
                    return withSource(EventAction.IAX_REGISTRATION_FAILED, "no registration for peer",
                            t.substring(s + "No registration for peer '".length(), mark),
                            t, mark + "' (from ".length(), t.length() - 1);
                }
                if (at(t, s, "No RSA public keys on file matched incoming call")) {
                    return Finding.of(EventAction.IAX_AUTH_FAILED, PROVIDER).reason("RSA key mismatch").version("18.21+").build();
                }
                return null;
            case 'E':
                if (at(t, s, "Empty registration from ")) {
                    return withSource(EventAction.IAX_REGISTRATION_FAILED, "empty registration", null,
                            t, s + "Empty registration from ".length(), t.length());
                }
                return null;
            case 'R':
                if (at(t, s, "Rejected connect attempt from ")) {
                    int start = s + "Rejected connect attempt from ".length();
                    int reach = t.indexOf(", who was trying to reach '", start);
                    if (reach > 0) {
                        return rejected(t, start, reach, reach + ", who was trying to reach '".length(), "no matching user or ACL");
                    }
                    int request = t.indexOf(", request '", start);
                    return request < 0 ? null : rejected(t, start, request, request + ", request '".length(), "extension does not exist");
                }
                if (at(t, s, "Rejected dial attempt from ")) {
                    int start = s + "Rejected dial attempt from ".length();
                    int request = t.indexOf(", request '", start);
                    return request < 0 ? null : rejected(t, start, request, request + ", request '".length(), "dial extension does not exist");
                }
                return null;
            case 'A':
                if (at(t, s, "Address ") && t.endsWith(" failed CallToken hash inspection")) {
                    return withSource(EventAction.IAX_CALLTOKEN_FAILED, "CallToken hash inspection failed", null,
                            t, s + "Address ".length(), t.length() - " failed CallToken hash inspection".length());
                }
                return null;
            case 'C':
                if (at(t, s, "Call rejected, CallToken Support required.")) {
                    int start = t.indexOf("placing address ", s);
                    int end = start < 0 ? -1 : t.indexOf(" in the calltokenoptional list", start);
                    if (end < 0) {
                        return null;
                    }
                    int user = t.indexOf("setting user ", end);
                    int userEnd = user < 0 ? -1 : t.indexOf(" requirecalltoken=no", user);
                    return withSource(EventAction.IAX_CALLTOKEN_FAILED, "CallToken required",
                            userEnd < 0 ? null : t.substring(user + "setting user ".length(), userEnd),
                            t, start + "placing address ".length(), end);
                }
                return null;
            case 'M':
                return at(t, s, "MD5 secret mismatch")
                        ? Finding.of(EventAction.IAX_AUTH_FAILED, PROVIDER).reason("MD5 secret mismatch").version("18.21+").build()
                        : null;
            case 'P':
                return at(t, s, "Plaintext secret mismatch")
                        ? Finding.of(EventAction.IAX_AUTH_FAILED, PROVIDER).reason("plaintext secret mismatch").version("18.21+").build()
                        : null;
            default:
                return null;
        }
    }

    /** I1, I3, I4, I5 ({@code Host <addr> …}) and I6 ({@code Host <peer name> …}: no address). */
    private static Finding host(String t, int s, String level) {
        int start = s + HOST.length();
        if (at(t, start, "'")) {
            // I6b: "Host '<peer>' trying to do RSA authentication, but we have no inkeys"
            int close = t.indexOf("' trying to do RSA authentication", start + 1);
            return close < 0 ? null : Finding.of(EventAction.IAX_AUTH_FAILED, PROVIDER).reason("no RSA inkeys")
                    .user(t.substring(start + 1, close)).version("1.2+").build();
        }
        int space = t.indexOf(' ', start);
        if (space < 0) {
            return null;
        }
        int rest = space + 1;
        if (at(t, rest, "failed RSA authentication with inkeys '")) {
            // I6a: the first word is the peer name, not an address.
            return Finding.of(EventAction.IAX_AUTH_FAILED, PROVIDER).reason("RSA authentication failed")
                    .user(t.substring(start, space)).version("1.2+").build();
        }
        Endpoint source = Text.endpoint(t, start, space);
        if (source == null && !Text.isAddressField(t, start, space)) {
            return null;
        }
        if (at(t, rest, "failed to authenticate as ")) {
            boolean warning = "WARNING".equals(level);
            return Finding.of(EventAction.IAX_AUTH_FAILED, PROVIDER).reason("authentication failed")
                    .address(source, t, start, space, AddressOrigin.TRANSPORT)
                    .user(t.substring(rest + "failed to authenticate as ".length()))
                    .version(warning ? "18.21+" : Text.hasPort(source, t, start, space) ? "12-21.0" : "1.2-11")
                    .build();
        }
        if (at(t, rest, "failed MD5 authentication for '")) {
            int nameStart = rest + "failed MD5 authentication for '".length();
            int open = t.lastIndexOf("' (");
            int bang = t.lastIndexOf(" != ");
            String expected = null;
            if (bang > open && open > nameStart && t.endsWith(")") && t.length() - 1 > bang + 4) {
                // The expected digest is what a replay needs: it never leaves in an event.
                expected = t.substring(bang + 4, t.length() - 1);
            }
            return Finding.of(EventAction.IAX_AUTH_FAILED, PROVIDER).reason("MD5 authentication failed")
                    .address(source, t, start, space, AddressOrigin.TRANSPORT)
                    .user(open > nameStart ? t.substring(nameStart, open) : null)
                    .secret(expected)
                    .version(registerVerifyVersion(source))
                    .build();
        }
        if (at(t, rest, "did not provide proper plaintext password for '")) {
            return Finding.of(EventAction.IAX_AUTH_FAILED, PROVIDER).reason("plaintext password wrong")
                    .address(source, t, start, space, AddressOrigin.TRANSPORT)
                    .user(Text.quotedTail(t, rest + "did not provide proper plaintext password for '".length()))
                    .version(registerVerifyVersion(source))
                    .build();
        }
        if (at(t, rest, "denied access to register peer '")) {
            return Finding.of(EventAction.IAX_ACL_DENIED, PROVIDER).reason("peer ACL")
                    .address(source, t, start, space, AddressOrigin.TRANSPORT)
                    .user(Text.quotedTail(t, rest + "denied access to register peer '".length()))
                    .version("1.2+")
                    .build();
        }
        return null;
    }

    /** register_verify prints no port in any version (12+ uses ast_sockaddr_stringify_addr): only IPv6 dates it. */
    private static String registerVerifyVersion(Endpoint source) {
        return source != null && source.isIpv6() ? "12+" : "1.2+";
    }

    private static Finding rejected(String t, int addrStart, int addrEnd, int requestStart, String reason) {
        Endpoint source = Text.endpoint(t, addrStart, addrEnd);
        if (source == null && !Text.isAddressField(t, addrStart, addrEnd)) {
            return null;
        }
        String request = Text.quotedTail(t, requestStart);
        if (request != null && request.endsWith("' does not exist")) {
            request = request.substring(0, request.length() - "' does not exist".length());
        }
        String extension = request;
        String context = null;
        int at = request == null ? -1 : request.lastIndexOf('@');
        if (at >= 0) {
            extension = request.substring(0, at);
            context = request.substring(at + 1);
        }
        return Finding.of(EventAction.IAX_CONNECT_REJECTED, PROVIDER).reason(reason)
                .address(source, t, addrStart, addrEnd, AddressOrigin.TRANSPORT)
                .extension(extension)
                .context(context)
                .version(Text.hasPort(source, t, addrStart, addrEnd) ? "12+" : "1.2-11")
                .build();
    }

    /** A message whose address is {@code t[from, to)}. */
    private static Finding withSource(EventAction action, String reason, String user, String t, int from, int to) {
        Endpoint source = Text.endpoint(t, from, to);
        if (source == null && !Text.isAddressField(t, from, to)) {
            return null;
        }
        return Finding.of(action, PROVIDER).reason(reason).user(user)
                .address(source, t, from, to, AddressOrigin.TRANSPORT)
                .version(Text.hasPort(source, t, from, to) ? "12+" : "1.2+")
                .build();
    }
}
