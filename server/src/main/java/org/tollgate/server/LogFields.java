package org.tollgate.server;

/**
 * Key names of the structured log fields the service writes (sources, outputs, the API, the CLI): stable and
 * snake_case, so a log pipeline can rely on them. It extends the banner's {@link org.tollgate.banner.LogFields}, so
 * every key (jail, source_ip, reason, ...) is defined once and all are reached through this class.
 */
public final class LogFields extends org.tollgate.banner.LogFields {

    public static final String ALERT_ACTION = "alert_action";
    public static final String ALERT_ACTIONS = "alert_actions";
    public static final String ADDRESS = "address";
    public static final String ALLOWED = "allowed";
    public static final String BLOCKED = "blocked";
    public static final String MISSING = "missing";
    public static final String SHIELD = "shield";
    public static final String ATTEMPTS = "attempts";
    public static final String BACKLOG_BYTES = "backlog_bytes";
    public static final String BANS = "bans";
    public static final String CHANNELS = "channels";
    public static final String CLIENT = "client";
    public static final String CLUSTER = "cluster";
    public static final String CLIENT_IP = "client_ip";
    public static final String CONNECTIONS = "connections";
    public static final String CURSOR = "cursor";
    public static final String DURATION_MS = "duration_ms";
    public static final String EVENTS = "events";
    public static final String FACILITY = "facility";
    public static final String FAILURES = "failures";
    public static final String HOST = "host";
    public static final String HOSTNAME = "hostname";
    public static final String JAILS = "jails";
    public static final String JOINED = "joined";
    public static final String LEFT = "left";
    public static final String JOURNALCTL = "journalctl";
    public static final String LINE = "line";
    public static final String LINES = "lines";
    public static final String LISTEN = "listen";
    public static final String MEMBERS = "members";
    public static final String METHOD = "method";
    public static final String NODE = "node";
    public static final String NODE_ID = "node_id";
    public static final String OUTPUT = "output";
    public static final String OUTPUTS = "outputs";
    public static final String PATH = "path";
    public static final String PORT = "port";
    public static final String POSITION = "position";
    public static final String PROTOCOL = "protocol";
    public static final String QUEUE = "queue";
    public static final String QUEUED = "queued";
    public static final String READS_NEED_TOKEN = "reads_need_token";
    public static final String REPORT = "report";
    public static final String RESUMED = "resumed";
    public static final String RETRY_MS = "retry_ms";
    public static final String SENDER = "sender";
    public static final String SOURCES = "sources";
    public static final String STATE = "state";
    public static final String TCP_PORT = "tcp_port";
    public static final String TLS = "tls";
    public static final String TOKEN = "token";
    public static final String TOKEN_FILE = "token_file";
    public static final String UDP_PORT = "udp_port";
    public static final String UNIT = "unit";

    private LogFields() {
    }
}
