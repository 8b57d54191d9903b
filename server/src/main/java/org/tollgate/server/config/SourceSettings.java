package org.tollgate.server.config;

import java.time.ZoneId;

/**
 * One entry of {@code sources}. Keys that do not apply to the type are null.
 *
 * @param type       file, syslog, journald or stdin
 * @param path       the file or glob (file)
 * @param patched    the host runs a Tollgate chan_sip patch: trust the {@code (ip:port)} of "Failed to authenticate" lines
 * @param zone       the zone of stamps that name none
 * @param start      where a file never read before starts: {@code beginning} or {@code end} (file)
 * @param line       the entry's line in the configuration file
 * @param listenHost the address the receiver binds, an IP literal or {@code localhost} (syslog)
 * @param listenPort the port the receiver binds (syslog)
 * @param protocol   {@code udp}, {@code tcp} or {@code both} (syslog)
 * @param unit       the systemd unit whose journal is read (journald)
 * @param since      {@code now}, or the journal cursor to read after the first time (journald)
 */
public record SourceSettings(String type, String path, boolean patched, ZoneId zone, String start, int line,
                             String listenHost, int listenPort, String protocol, String unit, String since) {

    public static final String FILE = "file";
    public static final String SYSLOG = "syslog";
    public static final String JOURNALD = "journald";
    public static final String STDIN = "stdin";
    public static final String DEFAULT_START = "beginning";
    public static final String DEFAULT_LISTEN_HOST = "127.0.0.1";
    public static final int DEFAULT_LISTEN_PORT = 5514;
    public static final String DEFAULT_PROTOCOL = "both";
    public static final String DEFAULT_SINCE = "now";

    /** A {@code type: file} source. */
    public SourceSettings(String type, String path, boolean patched, ZoneId zone, String start, int line) {
        this(type, path, patched, zone, start, line, null, 0, null, null, null);
    }

    /** A {@code type: syslog} source. */
    public static SourceSettings syslog(String host, int port, String protocol, boolean patched, ZoneId zone, int line) {
        return new SourceSettings(SYSLOG, null, patched, zone, null, line, host, port, protocol, null, null);
    }

    /** A {@code type: journald} source. */
    public static SourceSettings journald(String unit, String since, boolean patched, ZoneId zone, int line) {
        return new SourceSettings(JOURNALD, null, patched, zone, null, line, null, 0, null, unit, since);
    }

    /** A {@code type: stdin} source. */
    public static SourceSettings stdin(boolean patched, ZoneId zone, int line) {
        return new SourceSettings(STDIN, null, patched, zone, null, line, null, 0, null, null, null);
    }

    /** The syslog receiver takes datagrams. */
    public boolean listensUdp() {
        return "udp".equals(protocol) || "both".equals(protocol);
    }

    /** The syslog receiver takes connections. */
    public boolean listensTcp() {
        return "tcp".equals(protocol) || "both".equals(protocol);
    }
}
