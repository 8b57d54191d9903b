package org.tollgate.server.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.tollgate.server.bus.Addresses;
import org.tollgate.server.bus.EventChunk;

/** Security events and bans shaped as the service publishes them, for API tests. */
public final class BusEvents {

    private BusEvents() {
    }

    /** An ECS security event as {@code EcsJsonWriter} writes it (the fields the API reads). */
    public static JsonObject security(String action, String ip, boolean trusted, String user, Instant at) {
        JsonObject event = new JsonObject()
                .put("@timestamp", at.toString())
                .put("event", new JsonObject().put("kind", "event").put("dataset", "asterisk.security")
                        .put("action", action).put("outcome", "failure"))
                .put("source", new JsonObject().put("ip", ip).put("address", ip).put("port", 5060))
                .put("asterisk", new JsonObject().put("source_trusted", trusted));
        if (user != null) {
            event.put("user", new JsonObject().put("name", user));
        }
        return event;
    }

    /** A ban as published on {@code tollgate.bans}. */
    public static JsonObject ban(String ip, String jail, Instant start) {
        return new JsonObject()
                .put("@timestamp", start.toString())
                .put("event", new JsonObject().put("kind", "alert").put("action", "ban"))
                .put("source", new JsonObject().put("ip", ip))
                .put("tollgate", new JsonObject().put("jail", jail).put("failures", 5).put("bantime", 3600));
    }

    public static void publishSecurity(EventBus bus, JsonObject event) {
        publishChunk(bus, Buffer.buffer(event.encode()), true);
    }

    /**
     * One event as the service hands it to its outputs and statistics: a chunk of one on
     * {@link Addresses#EVENT_CHUNKS}, the chunk codec registered on first use.
     */
    public static void publishChunk(EventBus bus, Buffer json, boolean security) {
        try {
            EventChunk.registerCodec(bus);
        } catch (IllegalStateException alreadyRegistered) {
            // Registered by an earlier call or by the service.
        }
        EventChunk.of(json, security).publish(bus);
    }

    public static void publishBan(EventBus bus, JsonObject ban) {
        bus.publish(Addresses.BANS, Buffer.buffer(ban.encode()));
    }
}
