package org.tollgate.server.alert;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A ban as the alerts read it from {@code tollgate.bans} (the JSON the banner publishes, docs/events.md): who, where,
 * until when, and what led to it.
 *
 * @param ip             the address banned
 * @param jail           the jail
 * @param start          when the ban started
 * @param end            when it ends, or null for a permanent ban
 * @param failures       failures (for a recidive jail: bans) that led to it; 0 for a ban by hand
 * @param manual         made by hand ({@code tollgate ban}, the admin API)
 * @param matches        the log lines of the failures, oldest first (fail2ban's {@code <matches>})
 * @param users          the user names tried
 * @param failureActions what failed ({@code event.action} names)
 * @param json           the ban as published, what a webhook posts
 */
public record BanNotice(String ip, String jail, Instant start, Instant end, int failures, boolean manual,
                        List<String> matches, List<String> users, List<String> failureActions, String json) {

    public BanNotice {
        matches = List.copyOf(matches);
        users = List.copyOf(users);
        failureActions = List.copyOf(failureActions);
    }

    /**
     * The ban in {@code json}, or null for anything else published there (an unban).
     *
     * @throws IllegalArgumentException when it is not the JSON of a ban
     */
    public static BanNotice parse(String json) {
        JsonObject ban;
        try {
            ban = new JsonObject(json);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        JsonObject event = ban.getJsonObject("event", new JsonObject());
        if (!"ban".equals(event.getString("action"))) {
            return null;
        }
        JsonObject tollgate = ban.getJsonObject("tollgate", new JsonObject());
        String end = event.getString("end");
        return new BanNotice(ban.getJsonObject("source", new JsonObject()).getString("ip"), tollgate.getString("jail"),
                Instant.parse(ban.getString("@timestamp")), end == null ? null : Instant.parse(end),
                tollgate.getInteger("failures", 0), tollgate.getBoolean("manual", false),
                strings(tollgate.getJsonArray("matches")),
                strings(ban.getJsonObject("related", new JsonObject()).getJsonArray("user")),
                strings(tollgate.getJsonArray("failure_actions")), json);
    }

    private static List<String> strings(JsonArray array) {
        List<String> values = new ArrayList<>();
        if (array != null) {
            for (int i = 0; i < array.size(); i++) {
                values.add(String.valueOf(array.getValue(i)));
            }
        }
        return values;
    }
}
