package org.tollgate.server.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The bans in force as a table, for {@code tollgate status} and {@code tollgate bans}. */
final class BanTable {

    private static final String ROW = "%-39s %-16s %-24s %-24s %s%n";

    private BanTable() {
    }

    static void print(JsonArray bans, PrintStream out) {
        if (bans.isEmpty()) {
            out.println("No bans in force.");
            return;
        }
        out.printf(ROW, "IP", "JAIL", "SINCE", "UNTIL", "FIREWALL");
        for (Object item : bans) {
            JsonObject ban = (JsonObject) item;
            String end = ban.getString("end");
            out.printf(ROW, ban.getString("ip"), ban.getString("jail"), ban.getString("start"),
                    end == null ? "permanent" : end, actions(ban));
        }
    }

    /** {@code ipset:tollgate-sip applied, conntrack failed (conntrack: exit 1)}. */
    static String actions(JsonObject ban) {
        List<String> parts = new ArrayList<>();
        JsonArray actions = ban.getJsonArray("actions", new JsonArray());
        for (Object item : actions) {
            JsonObject action = (JsonObject) item;
            String part = action.getString("action") + " " + action.getString("state");
            if ("failed".equals(action.getString("state")) && action.getString("last_error") != null) {
                part += " (" + action.getString("last_error") + ")";
            }
            parts.add(part);
        }
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }
}
