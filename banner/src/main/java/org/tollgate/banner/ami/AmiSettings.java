package org.tollgate.banner.ami;

import java.util.Objects;

/**
 * How to reach the Asterisk Manager Interface: the {@code ami:} section of tollgate.yaml. The user needs the
 * {@code system} (DBPut) and {@code call} (Hangup) write permissions in manager.conf, nothing else.
 *
 * @param host          the manager's address (usually 127.0.0.1)
 * @param port          its port (5038)
 * @param username      the manager user
 * @param secret        its secret, read from the file the configuration names
 * @param auth          MD5 challenge (the secret never crosses the wire) or the plain secret
 * @param timeoutMillis how long a connect or a read may take
 */
public record AmiSettings(String host, int port, String username, String secret, Auth auth, int timeoutMillis) {

    public static final int DEFAULT_PORT = 5038;
    public static final int DEFAULT_TIMEOUT_MILLIS = 10_000;

    /** How the login proves the secret. */
    public enum Auth {
        MD5, PLAIN
    }

    public AmiSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(auth, "auth");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be from 1 to 65535, was " + port);
        }
        for (String value : new String[] {host, username, secret}) {
            if (value.isEmpty() || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("the manager's host, user and secret must be one non-empty line");
            }
        }
    }

    @Override
    public String toString() {
        return "AmiSettings[" + host + ":" + port + " user " + username + ", " + auth + "]"; // never the secret
    }
}
