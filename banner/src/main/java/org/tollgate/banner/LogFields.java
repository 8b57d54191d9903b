package org.tollgate.banner;

/**
 * Key names of the structured log fields the banner writes (jails, enforcer, state database, firewall actions);
 * stable, snake_case, one set so that a ban's lines can be followed from the decision to the tool's exit code. Each
 * key is defined once: the server's constants class extends this one with the keys of its own lines.
 */
public class LogFields {

    public static final String ACTION = "firewall_action";
    public static final String SOURCE_IP = "source_ip";
    public static final String JAIL = "jail";
    public static final String BAN_END = "ban_end";
    public static final String COUNT = "count";
    public static final String REASON = "reason";
    public static final String COMMAND = "command";
    public static final String EXIT_CODE = "exit_code";
    public static final String DURATION_MS = "duration_ms";
    public static final String ATTEMPT = "attempt";
    public static final String RETRY_AT = "retry_at";
    public static final String RETRY_IN_MS = "retry_in_ms";
    public static final String RESTORED = "restored";
    public static final String EXPIRED = "expired";
    public static final String ORPHANED = "orphaned";
    public static final String REAPPLIED = "reapplied";
    public static final String FAILED = "failed";
    public static final String CHECKED = "checked";
    public static final String ERROR = "error";
    public static final String PURGED = "purged";
    public static final String FORGOTTEN = "forgotten";
    public static final String ROWS = "rows";
    public static final String TOOL = "tool";

    /** Extended by the server's constants class only. */
    protected LogFields() {
    }
}
