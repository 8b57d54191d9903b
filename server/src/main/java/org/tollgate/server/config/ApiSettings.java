package org.tollgate.server.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.tollgate.banner.config.ConfigException;
import org.tollgate.banner.config.ConfigMap;
import org.tollgate.banner.config.ConfigNode;
import org.tollgate.banner.config.ConfigScalar;
import org.tollgate.normalizer.address.IpLiteral;

/**
 * The {@code api} section of tollgate.yaml: where the admin API and status page listen, and the file holding the
 * bearer token every change needs.
 *
 * <pre>
 * api:
 *   listen: 127.0.0.1:9190
 *   token_file: /etc/tollgate/token
 * </pre>
 *
 * Without the section the API listens on {@value #DEFAULT_HOST}:{@value #DEFAULT_PORT} with no token: reads from this
 * host only, no changes. A listen address other than loopback needs a token file, since anyone who reaches the port
 * could otherwise read the bans. The token itself is read by {@link #readToken()} when the API starts, so that it never
 * sits in the parsed configuration.
 *
 * @param host          the IP literal to listen on, canonical ({@code 0.0.0.0} and {@code ::} listen everywhere)
 * @param port          the TCP port; 0 picks a free one (tests only; the file needs 1 to 65535)
 * @param tokenFile     the file holding the token, or {@code null} for none
 * @param file          the configuration file as the user named it, for messages
 * @param tokenFileLine the line of {@code token_file} in it, for messages (0 when unknown)
 */
public record ApiSettings(String host, int port, Path tokenFile, String file, int tokenFileLine) {

    public static final String SECTION = "api";
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 9190;
    public static final int MIN_TOKEN_LENGTH = 16;

    public ApiSettings {
        if (IpLiteral.canonical(host) == null) {
            throw new IllegalArgumentException("api host must be an IP literal, was '" + host + "'");
        }
        host = IpLiteral.canonical(host);
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("api port must be 0 to 65535, was " + port);
        }
        if (tokenFile == null && !isLoopback(host)) {
            throw new IllegalArgumentException("api on " + host + " needs a token file: it is not a loopback address");
        }
    }

    /** The API with nothing configured: loopback, the default port, no token. */
    public static ApiSettings defaults(String file) {
        return new ApiSettings(DEFAULT_HOST, DEFAULT_PORT, null, file, 0);
    }

    /** Reads the {@code api} section of {@code root}, or the defaults when there is none. */
    static ApiSettings read(ConfigMap root) {
        Optional<ConfigNode> section = root.get(SECTION);
        if (section.isEmpty() || section.get() instanceof ConfigScalar scalar && scalar.isEmpty()) {
            return defaults(root.file());
        }
        ConfigMap map = section.get().asMap();
        map.allowOnly(List.of("listen", "token_file"));
        Optional<ConfigNode> listenNode = map.get("listen");
        ListenAddress listen = listenNode.map(n -> ListenAddress.parse(n.asScalar(), false, "127.0.0.1:9190 or [::1]:9190"))
                .orElse(new ListenAddress(DEFAULT_HOST, DEFAULT_PORT));
        Path tokenFile = null;
        int tokenLine = 0;
        Optional<ConfigNode> tokenNode = map.get("token_file");
        if (tokenNode.isPresent()) {
            ConfigScalar scalar = tokenNode.get().asScalar();
            tokenFile = Path.of(scalar.asString());
            tokenLine = scalar.line();
        }
        if (tokenFile == null && !listen.loopback()) {
            ConfigNode at = listenNode.orElse(map);
            throw at.error("listening on " + listen.host() + " (not a loopback address) needs api.token_file: anyone who"
                    + " reaches the port must show the token; listen on 127.0.0.1 or ::1, or set token_file");
        }
        return new ApiSettings(listen.host(), listen.port(), tokenFile, root.file(), tokenLine);
    }

    /** The listen address as written in the file: {@code 127.0.0.1:9190}, {@code [::1]:9190}. */
    public String listen() {
        return new ListenAddress(host, port).toString();
    }

    /** True when only this host can reach the API: it listens on 127.0.0.0/8 or ::1. */
    public boolean loopback() {
        return isLoopback(host);
    }

    /**
     * Reads the token: the file's content with surrounding white space trimmed.
     *
     * @return the token, or empty when no token file is configured
     * @throws ConfigException when the file cannot be read or the token is too short or not printable ASCII, naming
     *                         {@code api.token_file}, its value and line, but never echoing the token
     */
    public Optional<String> readToken() {
        if (tokenFile == null) {
            return Optional.empty();
        }
        if (!Files.exists(tokenFile)) {
            throw tokenError("no such file '" + tokenFile + "'; create one with: head -c 32 /dev/urandom | base64 > "
                    + tokenFile + " && chmod 600 " + tokenFile);
        }
        String text = SecretFile.read(tokenFile, SECTION + ".token_file", file, tokenFileLine);
        if (text.length() < MIN_TOKEN_LENGTH) {
            throw tokenError("the token in '" + tokenFile + "' is " + text.length() + " characters long; at least "
                    + MIN_TOKEN_LENGTH + " are needed");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw tokenError("the token in '" + tokenFile + "' has a character other than printable ASCII at"
                        + " position " + (i + 1) + "; it travels in an HTTP header");
            }
        }
        return Optional.of(text);
    }

    /** True for 127.0.0.0/8 and ::1 ({@code address} canonical). */
    public static boolean isLoopback(String address) {
        return ListenAddress.isLoopback(address);
    }

    private ConfigException tokenError(String problem) {
        return new ConfigException(SECTION + ".token_file", problem, file, tokenFileLine);
    }
}
