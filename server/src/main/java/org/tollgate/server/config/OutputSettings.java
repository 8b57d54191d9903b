package org.tollgate.server.config;

/**
 * One entry of {@code outputs}.
 *
 * @param type      jsonl (tcp-json, syslog and eventbus-bridge are read but not yet served)
 * @param path      the file for jsonl; {@code -} for stdout
 * @param allEvents every line ({@code events: all}) or security events only ({@code events: security})
 * @param line      the entry's line in the configuration file
 */
public record OutputSettings(String type, String path, boolean allEvents, int line) {
}
