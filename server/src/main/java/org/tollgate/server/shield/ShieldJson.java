package org.tollgate.server.shield;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.tollgate.banner.shield.ShieldStatus;

/** {@link ShieldStatus} as the API's JSON, and back for the command line. */
public final class ShieldJson {

    private ShieldJson() {
    }

    public static JsonObject of(ShieldStatus status) {
        JsonArray rules = new JsonArray();
        for (ShieldStatus.Rule rule : status.rules()) {
            rules.add(new JsonObject().put("rule", rule.what()).put("family", rule.family())
                    .put("packets", rule.packets()).put("bytes", rule.bytes()));
        }
        return new JsonObject().put("backend", status.backend()).put("in_force", status.inForce())
                .put("rules", rules).put("problems", new JsonArray(status.problems()));
    }

    public static ShieldStatus read(JsonObject json) {
        List<ShieldStatus.Rule> rules = new ArrayList<>();
        for (Object item : json.getJsonArray("rules", new JsonArray())) {
            JsonObject rule = (JsonObject) item;
            rules.add(new ShieldStatus.Rule(rule.getString("rule"), rule.getString("family"),
                    rule.getLong("packets", 0L), rule.getLong("bytes", 0L)));
        }
        List<String> problems = new ArrayList<>();
        json.getJsonArray("problems", new JsonArray()).forEach(problem -> problems.add(String.valueOf(problem)));
        return new ShieldStatus(json.getString("backend"), json.getBoolean("in_force", false), rules, problems);
    }
}
