package org.tollgate.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.tollgate.banner.config.ConfigMap;
import org.tollgate.banner.config.ConfigNode;
import org.tollgate.banner.config.ConfigScalar;

/**
 * The {@code mail} alert action: a mail for each ban through an SMTP server, a digest when bans come faster than
 * one mail per {@code interval}.
 *
 * <pre>
 * - type: mail
 *   to: root@example.org, noc@example.org
 *   from: tollgate@pbx1.example.org
 *   host: smtp.example.org        # default localhost (the local MTA, as fail2ban's sendmail)
 *   port: 587                     # default 25 (tls: none), 587 (starttls), 465 (tls)
 *   tls: starttls                 # none | starttls | tls; default none for a loopback host, else starttls
 *   tls_ca: /etc/tollgate/smtp-ca.pem
 *   user: tollgate
 *   password_file: /etc/tollgate/smtp-password
 *   interval: 1m                  # at most one mail this often; bans meanwhile go in one digest
 *   queue: 1000                   # bans waiting at most; past it they are counted, not listed
 *   context: true                 # the user names tried and what failed, from the events
 * </pre>
 *
 * @param to           the recipients
 * @param from         the sender
 * @param host         the SMTP server
 * @param port         its port
 * @param tls          how the connection is protected
 * @param tlsCa        PEM CA certificates to trust instead of the JVM's, or null
 * @param user         the user to log in as, or null for no AUTH
 * @param passwordFile the file holding the password (read when the action starts, never logged), or null
 * @param interval     the least time between two mails
 * @param queue        bans waiting at most
 * @param context      whether mails name the users tried and what failed
 * @param file         the configuration file, for messages
 * @param line         the entry's line, for messages
 */
public record MailSettings(List<String> to, String from, String host, int port, Tls tls, Path tlsCa, String user,
                           Path passwordFile, Duration interval, int queue, boolean context, String file, int line)
        implements AlertSettings {

    public static final String TYPE = "mail";
    public static final List<String> KEYS = List.of("type", "to", "from", "host", "port", "tls", "tls_ca", "user",
            "password_file", "interval", "queue", "context");
    public static final String DEFAULT_HOST = "localhost";
    public static final String DEFAULT_FROM = "tollgate";
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
    public static final int DEFAULT_QUEUE = 1000;
    public static final int MAX_QUEUE = 100_000;

    /** An address as SMTP carries it: {@code local@domain}, or a local part alone for the local MTA. */
    private static final Pattern ADDRESS = Pattern.compile(
            "[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}(?:@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)?");
    private static final Pattern LIST = Pattern.compile("[\\s,]+");

    /** How the connection to the SMTP server is protected. */
    public enum Tls {
        /** Plain SMTP: for the local MTA only. */
        NONE(25),
        /** SMTP, then STARTTLS before anything else is sent; a server that does not offer it is refused. */
        STARTTLS(587),
        /** TLS from the first byte (SMTPS). */
        TLS(465);

        private final int defaultPort;

        Tls(int defaultPort) {
            this.defaultPort = defaultPort;
        }

        public int defaultPort() {
            return defaultPort;
        }

        String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public MailSettings {
        to = List.copyOf(to);
    }

    @Override
    public String type() {
        return TYPE;
    }

    static MailSettings read(ConfigMap map) {
        map.allowOnly(KEYS);
        List<String> to = new ArrayList<>();
        ConfigScalar toNode = map.require("to").asScalar();
        for (String address : LIST.split(toNode.asString().strip())) {
            to.add(address(toNode, address));
        }
        String from = map.get("from").map(n -> address(n.asScalar(), n.asScalar().asString().strip()))
                .orElse(DEFAULT_FROM);
        String host = map.get("host").map(n -> OutputsSection.host(n.asScalar())).orElse(DEFAULT_HOST);
        boolean loopback = host.equals("localhost") || ApiSettings.isLoopback(host.replace("[", "").replace("]", ""));
        Tls tls = map.get("tls").map(n -> Tls.valueOf(n.asScalar().asOneOf(List.of("none", "starttls", "tls"))
                .toUpperCase(Locale.ROOT))).orElse(loopback ? Tls.NONE : Tls.STARTTLS);
        int port = map.get("port").map(n -> n.asScalar().asInt(1, 65535)).orElse(tls.defaultPort());
        Path ca = null;
        if (map.has("tls_ca")) {
            ConfigScalar caNode = map.require("tls_ca").asScalar();
            if (tls == Tls.NONE) {
                throw caNode.error("applies with tls: starttls or tls only");
            }
            ca = OutputsSection.pemCertificates(caNode);
        }
        String user = map.get("user").map(n -> n.asScalar().asString()).orElse(null);
        Path passwordFile = null;
        if (map.has("password_file") != (user != null)) {
            ConfigNode given = map.get("user").orElseGet(() -> map.require("password_file"));
            throw given.error("user and password_file go together: give both, or neither for no login");
        }
        if (user != null) {
            if (user.chars().anyMatch(c -> c < 0x20)) {
                throw map.require("user").error("expected a user name without control characters");
            }
            if (tls == Tls.NONE && !loopback) {
                throw map.require("tls").error("a login to " + host + " with tls: none would send the password in"
                        + " clear: use tls: starttls or tls");
            }
            ConfigScalar passwordNode = map.require("password_file").asScalar();
            passwordFile = Path.of(passwordNode.asString());
            if (SecretFile.read(passwordFile, passwordNode.path(), passwordNode.file(), passwordNode.line()).isEmpty()) {
                throw passwordNode.error("the file '" + passwordFile + "' is empty");
            }
        }
        Duration interval = map.get("interval").map(n -> {
            Duration value = n.asScalar().asDuration(false);
            if (value.compareTo(Duration.ofSeconds(1)) < 0) {
                throw n.error("expected at least 1s, was " + n.describe());
            }
            return value;
        }).orElse(DEFAULT_INTERVAL);
        int queue = map.get("queue").map(n -> n.asScalar().asInt(1, MAX_QUEUE)).orElse(DEFAULT_QUEUE);
        boolean context = map.get("context").map(n -> n.asScalar().asBoolean()).orElse(true);
        return new MailSettings(to, from, host, port, tls, ca, user, passwordFile, interval, queue, context,
                map.file(), map.line());
    }

    /** True for a mail address the action takes: {@code local@domain}, or a local part alone for the local MTA. */
    public static boolean isAddress(String address) {
        return ADDRESS.matcher(address).matches();
    }

    private static String address(ConfigScalar node, String address) {
        if (!isAddress(address)) {
            throw node.error("expected mail addresses such as root@example.org (several separated by commas), was '"
                    + address + "'");
        }
        return address;
    }

    /** The password, read now from {@link #passwordFile}; never logged. */
    public String password() {
        return passwordFile == null ? null : SecretFile.read(passwordFile, "password_file", file, line);
    }

    /** For logs: no password (there is none in here, only its file), the recipients and the server. */
    @Override
    public String toString() {
        return "mail to " + String.join(",", to) + " via " + host + ":" + port + " (" + tls.configName() + ")";
    }
}
