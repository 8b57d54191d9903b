package org.tollgate.server.config;

import java.util.Objects;
import org.tollgate.banner.config.ConfigScalar;
import org.tollgate.normalizer.address.IpLiteral;

/**
 * An address to listen on or connect to, {@code host:port} or {@code [v6]:port}: the one parser of that form, for
 * the syslog source, the admin API and the event bus bridge.
 *
 * @param host an IP literal in canonical form, or {@code localhost} where the key allows it
 * @param port 0 to 65535 (0, a free port, only from code; the file needs 1 to 65535)
 */
public record ListenAddress(String host, int port) {

    public ListenAddress {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
        }
    }

    /**
     * Parses {@code scalar}: an IPv4 literal or a bracketed IPv6 literal (an IPv6 literal needs its brackets, or the
     * port cannot be told from the last group), a colon and a port from 1 to 65535.
     *
     * @param localhost whether {@code localhost} is taken as a host
     * @param example   what a valid value looks like, for the message: {@code 127.0.0.1:9190 or [::1]:9190}
     * @throws org.tollgate.banner.config.ConfigException naming the key, the value and the line
     */
    public static ListenAddress parse(ConfigScalar scalar, boolean localhost, String example) {
        String text = scalar.asString();
        String problem = "expected <ip>:<port> such as " + example + " (an IP literal"
                + (localhost ? " or localhost" : ", never a host name") + "; port 1 to 65535), was " + scalar.describe();
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw scalar.error(problem);
        }
        String hostText = text.substring(0, colon);
        boolean bracketed = hostText.length() > 2 && hostText.charAt(0) == '[' && hostText.charAt(hostText.length() - 1) == ']';
        if (bracketed) {
            hostText = hostText.substring(1, hostText.length() - 1);
        }
        String host;
        if (localhost && !bracketed && hostText.equals("localhost")) {
            host = hostText;
        } else {
            host = IpLiteral.canonical(hostText);
            boolean v6 = host != null && host.indexOf(':') >= 0;
            if (host == null || v6 != bracketed) {
                throw scalar.error(problem);
            }
        }
        int port = port(text.substring(colon + 1));
        if (port < 1) {
            throw scalar.error(problem);
        }
        return new ListenAddress(host, port);
    }

    /** True for 127.0.0.0/8, ::1 and {@code localhost}. */
    public boolean loopback() {
        return isLoopback(host);
    }

    /** True for 127.0.0.0/8, ::1 and {@code localhost} ({@code address} canonical). */
    public static boolean isLoopback(String address) {
        return address.startsWith("127.") || address.equals("::1") || address.equals("localhost");
    }

    /** As written in the file: {@code 127.0.0.1:9190}, {@code [::1]:9190}. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** Port digits, or -1. */
    private static int port(String text) {
        if (text.isEmpty() || text.length() > 5) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= 65_535 ? value : -1;
    }
}
