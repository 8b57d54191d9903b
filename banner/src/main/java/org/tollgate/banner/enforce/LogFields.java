package org.tollgate.banner.enforce;

/** Key names of the structured log fields the enforcer writes; stable, snake_case, as the firewall actions write. */
final class LogFields {

    static final String ACTION = "firewall_action";
    static final String SOURCE_IP = "source_ip";
    static final String JAIL = "jail";
    static final String BAN_END = "ban_end";
    static final String COUNT = "count";
    static final String REASON = "reason";
    static final String ATTEMPT = "attempt";
    static final String RETRY_AT = "retry_at";
    static final String RESTORED = "restored";
    static final String EXPIRED = "expired";
    static final String ORPHANED = "orphaned";
    static final String REAPPLIED = "reapplied";
    static final String FAILED = "failed";
    static final String CHECKED = "checked";
    static final String DURATION_MS = "duration_ms";
    static final String COMMAND = "command";
    static final String RETRY_IN_MS = "retry_in_ms";

    private LogFields() {
    }
}
