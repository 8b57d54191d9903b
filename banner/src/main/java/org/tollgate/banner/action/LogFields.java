package org.tollgate.banner.action;

/** Key names of the structured log fields the firewall actions write; stable, snake_case. */
final class LogFields {

    static final String ACTION = "firewall_action";
    static final String SOURCE_IP = "source_ip";
    static final String JAIL = "jail";
    static final String BAN_END = "ban_end";
    static final String COUNT = "count";
    static final String REASON = "reason";
    static final String COMMAND = "command";
    static final String EXIT_CODE = "exit_code";
    static final String DURATION_MS = "duration_ms";

    private LogFields() {
    }
}
