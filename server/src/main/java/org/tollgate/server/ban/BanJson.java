package org.tollgate.server.ban;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.tollgate.banner.jail.Ban;
import org.tollgate.banner.jail.Evidence;
import org.tollgate.banner.replay.Decision;
import org.tollgate.banner.replay.DecisionJsonWriter;

/**
 * A ban or an unban as the JSON published on {@code tollgate.bans}: the same shape {@code tollgate replay --json}
 * writes, and for those made by hand through the admin API, {@code event.reason} and {@code tollgate.manual: true}.
 * A ban also has its end ({@code event.end}) and, for a jail with alert actions, what led to it (the lines, the
 * users tried): what the alerts tell. A running service adds {@code observer.hostname} (and, in a cluster,
 * {@code observer.ip}): the node that decided it, which is the node that publishes it.
 */
public final class BanJson {

    /** {@code event.reason} of a ban made through the admin API ({@code tollgate ban}). */
    public static final String BANNED_BY_HAND = "banned by hand through the admin API";
    /** {@code event.reason} of a ban lifted through the admin API ({@code tollgate unban}). */
    public static final String UNBANNED_BY_HAND = "unbanned by hand through the admin API";

    private final String hostname;
    private final String ip;

    /** Decisions of the node {@code hostname} at {@code ip} (null: not in a cluster). */
    public BanJson(String hostname, String ip) {
        this.hostname = hostname;
        this.ip = ip;
    }

    /** A jail's ban, at its start, with its end, what led to it and this node as its observer. */
    public String observedBan(Ban ban, Evidence evidence) {
        return observed(ban(ban, evidence));
    }

    /** A jail's ban lifted {@code at}, with this node as its observer. */
    public String observedUnban(Ban ban, Instant at) {
        return observed(unban(ban, at));
    }

    /** A ban made by hand, with this node as its observer. */
    public String observedManualBan(Ban ban) {
        return observed(manualBan(ban));
    }

    /** A ban lifted by hand, with this node as its observer. */
    public String observedManualUnban(Ban ban, Instant at) {
        return observed(manualUnban(ban, at));
    }

    private String observed(String json) {
        JsonObject observer = new JsonObject().put("hostname", hostname);
        if (ip != null) {
            observer.put("ip", ip);
        }
        return new JsonObject(json).put("observer", observer).encode();
    }

    /** A jail's ban, at its start, with its end and what led to it. */
    public static String ban(Ban ban, Evidence evidence) {
        return ofBan(ban, null, evidence);
    }

    /** A jail's ban lifted {@code at} (it ended). */
    public static String unban(Ban ban, Instant at) {
        return of(unbanAt(ban, at), null);
    }

    /** A ban made by hand, at its start, with its end. */
    public static String manualBan(Ban ban) {
        return ofBan(ban, BANNED_BY_HAND, Evidence.NONE);
    }

    private static String ofBan(Ban ban, String manualReason, Evidence evidence) {
        StringWriter text = new StringWriter(256);
        try (DecisionJsonWriter writer = new DecisionJsonWriter(text)) {
            writer.writeBan(Decision.ban(ban), manualReason, ban.end(), evidence);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString().strip();
    }

    /** A ban lifted by hand {@code at}. */
    public static String manualUnban(Ban ban, Instant at) {
        return of(unbanAt(ban, at), UNBANNED_BY_HAND);
    }

    private static Decision unbanAt(Ban ban, Instant at) {
        return new Decision(Decision.Kind.UNBAN, at, ban.ip(), ban.jail(), ban.failures(), ban.bantimeSeconds());
    }

    private static String of(Decision decision, String manualReason) {
        StringWriter text = new StringWriter(256);
        try (DecisionJsonWriter writer = new DecisionJsonWriter(text)) {
            if (manualReason == null) {
                writer.write(decision);
            } else {
                writer.writeManual(decision, manualReason);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString().strip();
    }
}
