package org.tollgate.banner;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A step of the way from a log line to a ban in force, as a Java Flight Recorder event: where the milliseconds of a
 * ban go (the file noticed, the failure handed on, queued for the jails, counted, stored, the firewall tool's answer).
 * Off unless a recording asks for it ({@code bench/ban-path.jfc}); then each step is one event. {@link #monotonic} is
 * {@link System#nanoTime()} ({@code CLOCK_MONOTONIC} on Linux), so the steps line up with another process's own
 * timing of the same line (the bench's {@code BanLatency} writes when it wrote each line in the same clock).
 *
 * <pre>
 * java -XX:StartFlightRecording=filename=ban-path.jfr,settings=bench/ban-path.jfc -jar tollgate.jar run ...
 * jfr print --events tollgate.BanPath ban-path.jfr
 * </pre>
 */
@Name("tollgate.BanPath")
@Label("Ban path step")
@Category("Tollgate")
@Description("A step from a log line to a ban in force")
@Enabled(false)
@StackTrace(false)
public final class BanPathEvent extends jdk.jfr.Event {

    /** The file's change noticed, before it is read (no address yet). */
    public static final String WOKE = "woke";
    /** A failure with its source address handed to the jails, after the normalizer. */
    public static final String HANDED_ON = "handed-on";
    /** The failure queued for the jails in the banner's inbox (on the source's thread, or the banner's event loop). */
    public static final String QUEUED = "queued";
    /** The banner's worker started counting it. */
    public static final String COUNTING = "counting";
    /** The jails decided to ban. */
    public static final String JAILED = "jailed";
    /** The ban's write to the state store finished (after the firewall calls, or beside them when they are slow). */
    public static final String STORED = "stored";
    /** A command line answered by a firewall tool's kept session; {@link #detail} is the line. */
    public static final String SESSION = "session";
    /** A firewall tool run as a process; {@link #detail} is its command line. */
    public static final String PROCESS = "process";
    /** Every action's call for the ban returned, checks included. */
    public static final String APPLIED = "applied";
    /** The ban settled in the ledger and marked applied in the store. */
    public static final String SETTLED = "settled";

    @Label("Step")
    public String step;

    @Label("Source address")
    public String ip;

    @Label("Detail")
    public String detail;

    @Label("Monotonic nanoseconds")
    @Description("System.nanoTime() at the end of the step")
    public long monotonic;

    @Label("Step nanoseconds")
    @Description("How long the step itself took, when it is a call (0 for a moment)")
    public long took;

    /** Records the moment {@code step} of {@code ip} (null when not known yet) ended, if a recording asks for it. */
    public static void mark(String step, String ip) {
        mark(step, ip, null, 0);
    }

    /** As {@link #mark(String, String)}, for a call that began at {@code startedNanos} ({@link System#nanoTime()}). */
    public static void mark(String step, String ip, String detail, long startedNanos) {
        BanPathEvent event = new BanPathEvent();
        if (!event.isEnabled()) {
            return;
        }
        long now = System.nanoTime();
        event.step = step;
        event.ip = ip;
        event.detail = detail;
        event.monotonic = now;
        event.took = startedNanos == 0 ? 0 : now - startedNanos;
        event.commit();
    }

    /** True while a recording asks for these events: callers skip preparing what they would record otherwise. */
    public static boolean recording() {
        return ENABLED_PROBE.isEnabled();
    }

    private static final BanPathEvent ENABLED_PROBE = new BanPathEvent();
}
