package org.tollgate.server.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of {@code outputs}: one record per kind, each with the keys that kind takes.
 */
public sealed interface OutputSettings permits OutputSettings.JsonlOutput, OutputSettings.TcpJsonOutput,
        OutputSettings.SyslogOutput, OutputSettings.EventBusBridgeOutput {

    int DEFAULT_QUEUE = 100_000;

    /** jsonl, tcp-json, syslog or eventbus-bridge. */
    String type();

    /** Every line ({@code events: all}) or security events only ({@code events: security}). */
    boolean allEvents();

    /** Events held while the output cannot keep up; past this they are dropped and counted (0: none held). */
    int queue();

    /** The entry's line in the configuration file. */
    int line();

    /**
     * {@code type: jsonl}.
     *
     * @param path   the file, {@code -} for stdout
     * @param rotate when the file is rolled over; null when it only grows
     */
    record JsonlOutput(String path, boolean allEvents, int queue, RotationSettings rotate, int line)
            implements OutputSettings {
        @Override
        public String type() {
            return "jsonl";
        }
    }

    /**
     * {@code type: tcp-json}.
     *
     * @param host  the collector
     * @param tls   TLS to the collector, its certificate checked against its name
     * @param tlsCa PEM file of the CA certificates the collector's must chain to; null for the JVM's own
     */
    record TcpJsonOutput(String host, int port, boolean allEvents, int queue, boolean tls, Path tlsCa, int line)
            implements OutputSettings {
        @Override
        public String type() {
            return "tcp-json";
        }
    }

    /**
     * {@code type: syslog}.
     *
     * @param protocol    tcp or udp
     * @param facility    the facility name, such as local0
     * @param maxDatagram over udp: the largest message sent; longer ones are cut to this many bytes (0 over tcp)
     */
    record SyslogOutput(String host, int port, String protocol, String facility, boolean allEvents, int queue,
                        boolean tls, Path tlsCa, int maxDatagram, int line) implements OutputSettings {
        public static final String DEFAULT_FACILITY = "local0";
        public static final String DEFAULT_PROTOCOL = "tcp";
        /** rsyslog's default largest message; a receiver is only required to take 480 bytes (RFC 5426). */
        public static final int DEFAULT_MAX_DATAGRAM = 8192;
        /** Facility names (RFC 5424, as syslog.conf spells them) to their codes: what {@code facility} takes. */
        public static final Map<String, Integer> FACILITIES = facilities();

        @Override
        public String type() {
            return "syslog";
        }

        public boolean udp() {
            return "udp".equals(protocol);
        }

        private static Map<String, Integer> facilities() {
            Map<String, Integer> map = new LinkedHashMap<>();
            String[] names = {"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron",
                "authpriv", "ftp", "ntp", "audit", "alert", "clock"};
            for (int code = 0; code < names.length; code++) {
                map.put(names[code], code);
            }
            for (int n = 0; n <= 7; n++) {
                map.put("local" + n, 16 + n);
            }
            return Collections.unmodifiableMap(map);
        }
    }

    /**
     * {@code type: eventbus-bridge}.
     *
     * @param listen the loopback address to listen on
     */
    record EventBusBridgeOutput(ListenAddress listen, boolean allEvents, int line) implements OutputSettings {
        @Override
        public String type() {
            return "eventbus-bridge";
        }

        @Override
        public int queue() {
            return 0;
        }
    }
}
