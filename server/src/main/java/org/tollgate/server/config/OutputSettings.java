package org.tollgate.server.config;

import java.nio.file.Path;

/**
 * One entry of {@code outputs}. Keys that do not apply to the type are null, 0 or false.
 *
 * @param type        jsonl, tcp-json, syslog or eventbus-bridge
 * @param path        jsonl: the file, {@code -} for stdout
 * @param allEvents   every line ({@code events: all}) or security events only ({@code events: security})
 * @param line        the entry's line in the configuration file
 * @param host        tcp-json and syslog: the collector; eventbus-bridge: the loopback address to listen on
 * @param port        the collector's port, or the port to listen on
 * @param protocol    syslog: tcp or udp
 * @param facility    syslog: the facility name, such as local0
 * @param queue       events held while the output cannot keep up; past this they are dropped and counted
 * @param tls         tcp-json and syslog over tcp: TLS to the collector, its certificate checked against its name
 * @param tlsCa       PEM file of the CA certificates the collector's must chain to; null for the JVM's own
 * @param maxDatagram syslog over udp: the largest message sent; longer ones are cut to this many bytes
 * @param rotate      jsonl to a file: when it is rolled over; null when it only grows
 */
public record OutputSettings(String type, String path, boolean allEvents, int line, String host, int port,
                             String protocol, String facility, int queue, boolean tls, Path tlsCa, int maxDatagram,
                             RotationSettings rotate) {

    public static final int DEFAULT_QUEUE = 100_000;
    public static final String DEFAULT_FACILITY = "local0";
    public static final String DEFAULT_PROTOCOL = "tcp";
    /** rsyslog's default largest message; a receiver is only required to take 480 bytes (RFC 5426). */
    public static final int DEFAULT_MAX_DATAGRAM = 8192;

    /** An output that writes no file of its own, so nothing to rotate. */
    public OutputSettings(String type, String path, boolean allEvents, int line, String host, int port,
                          String protocol, String facility, int queue, boolean tls, Path tlsCa, int maxDatagram) {
        this(type, path, allEvents, line, host, port, protocol, facility, queue, tls, tlsCa, maxDatagram, null);
    }

    /** A jsonl output with the default queue and no rotation. */
    public OutputSettings(String type, String path, boolean allEvents, int line) {
        this(type, path, allEvents, line, null, 0, null, null, DEFAULT_QUEUE, false, null, 0);
    }

    /** A jsonl output. */
    public static OutputSettings jsonl(String path, boolean allEvents, int queue, RotationSettings rotate, int line) {
        return new OutputSettings("jsonl", path, allEvents, line, null, 0, null, null, queue, false, null, 0, rotate);
    }
}
