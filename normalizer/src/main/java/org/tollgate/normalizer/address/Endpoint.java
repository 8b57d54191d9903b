package org.tollgate.normalizer.address;

/**
 * An address as a log line gives it: a canonical IP literal and, where the line has one, a port ({@link #NO_PORT}
 * otherwise).
 */
public record Endpoint(String ip, int port) {

    public static final int NO_PORT = -1;

    public Endpoint {
        if (ip == null) {
            throw new IllegalArgumentException("an endpoint needs an IP address");
        }
        if (port != NO_PORT && (port < 0 || port > 65535)) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    public boolean hasPort() {
        return port != NO_PORT;
    }

    public boolean isIpv6() {
        return ip.indexOf(':') >= 0;
    }
}
