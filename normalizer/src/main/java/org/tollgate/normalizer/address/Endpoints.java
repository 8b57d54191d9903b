package org.tollgate.normalizer.address;

import org.tollgate.normalizer.text.Digits;

/**
 * Reads the address renderings Asterisk uses (see the catalog's address table) out of a range of a line. Every
 * method returns {@code null} unless the whole range is exactly one address in the named rendering.
 */
public final class Endpoints {

    private Endpoints() {
    }

    /**
     * {@code 192.0.2.7}, {@code 192.0.2.7:5060}, {@code [2001:db8::7]:5060}, {@code [2001:db8::7]} or a bare
     * {@code 2001:db8::7}: what {@code ast_sockaddr_stringify}, {@code ast_sockaddr_stringify_addr},
     * {@code ast_inet_ntoa} and {@code pj_sockaddr_print(…, 3)} print.
     */
    public static Endpoint parse(CharSequence text, int from, int to) {
        if (from >= to) {
            return null;
        }
        if (text.charAt(from) == '[') {
            int close = indexOf(text, ']', from + 1, to);
            if (close < 0) {
                return null;
            }
            String ip = IpLiteral.canonical(text, from + 1, close);
            if (ip == null) {
                return null;
            }
            if (close + 1 == to) {
                return new Endpoint(ip, Endpoint.NO_PORT);
            }
            if (text.charAt(close + 1) != ':') {
                return null;
            }
            int port = parsePort(text, close + 2, to);
            return port < 0 ? null : new Endpoint(ip, port);
        }
        int firstColon = indexOf(text, ':', from, to);
        if (firstColon < 0) {
            String ip = IpLiteral.canonical(text, from, to);
            return ip == null ? null : new Endpoint(ip, Endpoint.NO_PORT);
        }
        int secondColon = indexOf(text, ':', firstColon + 1, to);
        if (secondColon < 0) {
            // IPv4 with a port.
            if (!IpLiteral.isIpv4(text, from, firstColon)) {
                return null;
            }
            int port = parsePort(text, firstColon + 1, to);
            return port < 0 ? null : new Endpoint(text.subSequence(from, firstColon).toString(), port);
        }
        String ip = IpLiteral.canonical(text, from, to);
        return ip == null ? null : new Endpoint(ip, Endpoint.NO_PORT);
    }

    /**
     * {@code 192.0.2.7:5060} or {@code 2001:db8::7:5060}: the {@code "%s:%d"} rendering res_pjsip and pjproject use,
     * where an IPv6 address is not bracketed and the port is always there, so it is whatever follows the last colon.
     * Bracketed forms are accepted too.
     */
    public static Endpoint parseWithTrailingPort(CharSequence text, int from, int to) {
        if (from >= to) {
            return null;
        }
        if (text.charAt(from) == '[') {
            Endpoint bracketed = parse(text, from, to);
            return bracketed != null && bracketed.hasPort() ? bracketed : null;
        }
        int lastColon = lastIndexOf(text, ':', from, to);
        if (lastColon < 0) {
            return null;
        }
        int port = parsePort(text, lastColon + 1, to);
        if (port < 0) {
            return null;
        }
        String ip = IpLiteral.canonical(text, from, lastColon);
        return ip == null ? null : new Endpoint(ip, port);
    }

    /**
     * The security-event rendering {@code IPV4/UDP/192.0.2.7/5060} or {@code IPV6/TCP/2001:db8::7/5060}; the
     * transport word may be missing ({@code IPV4/192.0.2.7/5060}). Returns the endpoint; the transport word is read
     * by {@link #securityTransport}.
     */
    public static Endpoint parseSecurityAddress(CharSequence text, int from, int to) {
        if (to - from < 9 || !startsWith(text, from, "IPV")) {
            return null;
        }
        int slash1 = indexOf(text, '/', from, to);
        int portSlash = lastIndexOf(text, '/', from, to);
        if (slash1 < 0 || portSlash <= slash1) {
            return null;
        }
        int port = parsePort(text, portSlash + 1, to);
        if (port < 0) {
            return null;
        }
        int ipStart = lastIndexOf(text, '/', from, portSlash) + 1;
        String ip = IpLiteral.canonical(text, ipStart, portSlash);
        return ip == null ? null : new Endpoint(ip, port);
    }

    /** The transport word of a security-event address ({@code UDP}, {@code TCP}, {@code TLS}, {@code WS}, {@code WSS}), or null. */
    public static String securityTransport(CharSequence text, int from, int to) {
        int slash1 = indexOf(text, '/', from, to);
        if (slash1 < 0) {
            return null;
        }
        int slash2 = indexOf(text, '/', slash1 + 1, to);
        int portSlash = lastIndexOf(text, '/', from, to);
        if (slash2 < 0 || slash2 == portSlash) {
            return null;
        }
        return text.subSequence(slash1 + 1, slash2).toString();
    }

    /** A decimal port 0–65535 filling {@code text[from, to)}, or -1. */
    public static int parsePort(CharSequence text, int from, int to) {
        int port = Digits.parseInt(text, from, to, 5);
        return port <= 65535 ? port : -1;
    }

    private static boolean startsWith(CharSequence text, int from, String prefix) {
        if (from + prefix.length() > text.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (text.charAt(from + i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(CharSequence text, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(CharSequence text, char c, int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            if (text.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }
}
