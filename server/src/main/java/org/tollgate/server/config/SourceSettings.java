package org.tollgate.server.config;

import java.time.ZoneId;

/**
 * One entry of {@code sources}: one record per kind, each with the keys that kind takes.
 */
public sealed interface SourceSettings permits SourceSettings.FileSource, SourceSettings.SyslogSource,
        SourceSettings.JournaldSource, SourceSettings.StdinSource {

    String FILE = "file";
    String SYSLOG = "syslog";
    String JOURNALD = "journald";
    String STDIN = "stdin";

    /** file, syslog, journald or stdin. */
    String type();

    /** The host runs a Tollgate chan_sip patch: trust the {@code (ip:port)} of "Failed to authenticate" lines. */
    boolean patched();

    /** The zone of stamps that name none. */
    ZoneId zone();

    /** The entry's line in the configuration file. */
    int line();

    /**
     * {@code type: file}.
     *
     * @param path  the file or glob
     * @param start where a file never read before starts: {@code beginning} or {@code end}
     */
    record FileSource(String path, String start, boolean patched, ZoneId zone, int line) implements SourceSettings {
        public static final String DEFAULT_START = "beginning";

        @Override
        public String type() {
            return FILE;
        }
    }

    /**
     * {@code type: syslog}.
     *
     * @param listen   the address the receiver binds, an IP literal or {@code localhost}
     * @param protocol {@code udp}, {@code tcp} or {@code both}
     */
    record SyslogSource(ListenAddress listen, String protocol, boolean patched, ZoneId zone, int line)
            implements SourceSettings {
        public static final ListenAddress DEFAULT_LISTEN = new ListenAddress("127.0.0.1", 5514);
        public static final String DEFAULT_PROTOCOL = "both";

        @Override
        public String type() {
            return SYSLOG;
        }

        /** The receiver takes datagrams. */
        public boolean listensUdp() {
            return "udp".equals(protocol) || "both".equals(protocol);
        }

        /** The receiver takes connections. */
        public boolean listensTcp() {
            return "tcp".equals(protocol) || "both".equals(protocol);
        }
    }

    /**
     * {@code type: journald}.
     *
     * @param unit  the systemd unit whose journal is read
     * @param since {@code now}, or the journal cursor to read after the first time
     */
    record JournaldSource(String unit, String since, boolean patched, ZoneId zone, int line) implements SourceSettings {
        public static final String DEFAULT_SINCE = "now";

        @Override
        public String type() {
            return JOURNALD;
        }
    }

    /** {@code type: stdin}. */
    record StdinSource(boolean patched, ZoneId zone, int line) implements SourceSettings {
        @Override
        public String type() {
            return STDIN;
        }
    }
}
