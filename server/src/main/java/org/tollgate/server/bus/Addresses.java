package org.tollgate.server.bus;

/** The event bus addresses Tollgate uses. */
public final class Addresses {

    /**
     * Every security event as ECS JSON, header {@link #SECURITY} {@code true}; every other line too (header
     * {@code false}) when an {@code eventbus-bridge} output asks for {@code events: all}.
     */
    public static final String EVENTS = "tollgate.events";
    /**
     * Every event, a chunk of a source's lines per message ({@link EventChunk}, never leaving the process):
     * what the outputs and statistics of this process read, so that they take a message per chunk, not per line.
     */
    public static final String EVENT_CHUNKS = "tollgate.internal.events";
    /** Every ban and unban, as JSON ({@code event.kind: alert}). */
    public static final String BANS = "tollgate.bans";
    /** Failures for the local jails ({@link org.tollgate.banner.jail.Failure} objects, never leaving the process). */
    public static final String FAILURES = "tollgate.internal.failures";
    /**
     * Call events for the fraud jails ({@link org.tollgate.normalizer.AsteriskEvent} objects with a call, never
     * leaving the process).
     */
    public static final String CALLS = "tollgate.internal.calls";
    /**
     * Bans and unbans by hand for the banner, request/reply
     * ({@link org.tollgate.server.ban.BanCommand}, never leaving the process).
     */
    public static final String BAN_COMMANDS = "tollgate.internal.ban-commands";
    /**
     * Failures another cluster node saw, of addresses this node owns, for its cluster-scope jails
     * ({@link org.tollgate.banner.jail.Failure} objects, never leaving the process).
     */
    public static final String SHARED_FAILURES = "tollgate.internal.shared-failures";
    /** Header on {@link #EVENTS}: {@code true} for security events. */
    public static final String SECURITY = "security";

    private Addresses() {
    }
}
