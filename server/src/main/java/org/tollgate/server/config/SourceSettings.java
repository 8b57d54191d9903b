package org.tollgate.server.config;

import java.time.ZoneId;

/**
 * One entry of {@code sources}.
 *
 * @param type    file, syslog, journald or stdin
 * @param path    the file or glob (file)
 * @param patched the host runs a Tollgate chan_sip patch: trust the {@code (ip:port)} of "Failed to authenticate" lines
 * @param zone    the zone of stamps that name none
 * @param start   where a file never read before starts: {@code beginning} or {@code end}
 * @param line    the entry's line in the configuration file
 */
public record SourceSettings(String type, String path, boolean patched, ZoneId zone, String start, int line) {

    public static final String FILE = "file";
    public static final String DEFAULT_START = "beginning";
}
