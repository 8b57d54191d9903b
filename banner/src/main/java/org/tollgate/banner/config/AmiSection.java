package org.tollgate.banner.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.tollgate.banner.ami.AmiSettings;

/**
 * Reads the {@code ami:} section of tollgate.yaml: the Asterisk Manager Interface fraud jails with
 * {@code stop_calls: true} use. The secret is read from the file {@code secret_file} names (its first line), never
 * written in the configuration itself.
 *
 * <pre>
 * ami:
 *   host: 127.0.0.1
 *   port: 5038
 *   username: tollgate
 *   secret_file: /etc/tollgate/ami-secret
 *   auth: md5            # or plain
 * </pre>
 */
public final class AmiSection {

    public static final String SECTION = "ami";
    public static final List<String> KEYS = List.of("host", "port", "username", "secret_file", "auth", "timeout");

    private AmiSection() {
    }

    /** The settings, or null when the section is absent. */
    public static AmiSettings read(ConfigNode section) {
        if (section == null) {
            return null;
        }
        ConfigMap map = section.asMap();
        map.allowOnly(KEYS);
        String host = map.get("host").map(n -> n.asScalar().asString()).orElse("127.0.0.1");
        int port = map.get("port").map(n -> n.asScalar().asInt(1, 65535)).orElse(AmiSettings.DEFAULT_PORT);
        String username = map.require("username").asScalar().asString();
        ConfigScalar file = map.require("secret_file").asScalar();
        String secret;
        try {
            List<String> lines = Files.readAllLines(Path.of(file.asString()), StandardCharsets.UTF_8);
            secret = lines.isEmpty() ? "" : lines.get(0).strip();
        } catch (IOException e) {
            throw file.error("cannot read the secret file " + Echo.quote(file.text()) + ": " + e.getMessage());
        }
        if (secret.isEmpty()) {
            throw file.error("the secret file " + Echo.quote(file.text()) + " is empty");
        }
        AmiSettings.Auth auth = map.get("auth").map(n -> AmiSettings.Auth.valueOf(
                n.asScalar().asOneOf(List.of("md5", "plain")).toUpperCase(Locale.ROOT))).orElse(AmiSettings.Auth.MD5);
        int timeout = map.get("timeout").map(n -> (int) Math.min(Integer.MAX_VALUE,
                n.asScalar().asDuration(false).toMillis())).orElse(AmiSettings.DEFAULT_TIMEOUT_MILLIS);
        try {
            return new AmiSettings(host, port, username, secret, auth, Math.max(1, timeout));
        } catch (IllegalArgumentException e) {
            throw map.error(e.getMessage());
        }
    }
}
