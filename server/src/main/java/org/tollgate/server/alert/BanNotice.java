package org.tollgate.server.alert;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.tollgate.banner.fraud.FraudAlertJson;
import org.tollgate.server.config.AlertSettings;

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
 * @param fraud          for a fraud jail's alert, its reason ({@code 6 calls to international … in 10m; max 5}); the
 *                       jail is then {@link AlertSettings#FRAUD_PREFIX} and its name, {@code ip} the calls' source
 *                       (or null), {@code end} when the jail speaks again of the key, {@code failures} the count,
 *                       {@code users} the endpoint and {@code failureActions} the limit; null for a ban
 */
public record BanNotice(String ip, String jail, Instant start, Instant end, int failures, boolean manual,
                        List<String> matches, List<String> users, List<String> failureActions, String json,
                        String fraud) {

    public BanNotice {
        matches = List.copyOf(matches);
        users = List.copyOf(users);
        failureActions = List.copyOf(failureActions);
    }

    /** True for a fraud jail's alert. */
    public boolean isFraud() {
        return fraud != null;
    }

    /**
     * The ban or fraud alert in {@code json}, or null for anything else published there (an unban).
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
        JsonObject tollgate = ban.getJsonObject("tollgate", new JsonObject());
        if (FraudAlertJson.ACTION.equals(event.getString("action"))) {
            JsonObject fraud = tollgate.getJsonObject("fraud", new JsonObject());
            String until = fraud.getString("until");
            String endpoint = ban.getJsonObject("user", new JsonObject()).getString("name");
            String limit = fraud.getString("limit");
            return new BanNotice(ban.getJsonObject("source", new JsonObject()).getString("ip"),
                    AlertSettings.FRAUD_PREFIX + tollgate.getString("jail"), Instant.parse(ban.getString("@timestamp")),
                    until == null ? null : Instant.parse(until), fraud.getInteger("count", 0), false, List.of(),
                    endpoint == null ? List.of() : List.of(endpoint), limit == null ? List.of() : List.of(limit), json,
                    event.getString("reason", limit));
        }
        if (!"ban".equals(event.getString("action"))) {
            return null;
        }
        String end = event.getString("end");
        return new BanNotice(ban.getJsonObject("source", new JsonObject()).getString("ip"), tollgate.getString("jail"),
                Instant.parse(ban.getString("@timestamp")), end == null ? null : Instant.parse(end),
                tollgate.getInteger("failures", 0), tollgate.getBoolean("manual", false),
                strings(tollgate.getJsonArray("matches")),
                strings(ban.getJsonObject("related", new JsonObject()).getJsonArray("user")),
                strings(tollgate.getJsonArray("failure_actions")), json, null);
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
