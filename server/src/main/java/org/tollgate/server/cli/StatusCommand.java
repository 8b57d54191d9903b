package org.tollgate.server.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code tollgate status [JAIL]}: the running service's jails, counts and bans, from the admin API; with a jail (as
 * {@code fail2ban-client status JAIL}), that jail's row and bans only.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows the running service's jails, pipeline and firewall counts, and the bans in force.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:shown", "1:the configuration is invalid or the service refused", "2:the service could not be reached"})
final class StatusCommand implements Callable<Integer> {

    private static final String JAIL_ROW = "%-16s %8s %8s %10s %10s %10s%n";

    @Mixin
    AdminOptions options;

    private static final String MEMBER_ROW = "%-26s %-24s %-12s %s%n";

    @Parameters(index = "0", arity = "0..1", paramLabel = "JAIL",
            description = "Only this jail's counts and bans, as fail2ban-client status JAIL.")
    String onlyJail;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        JsonObject status;
        JsonObject summary;
        try {
            AdminClient client = options.client();
            status = client.require(client.get("api/status")).body();
            summary = client.require(client.get("api/summary")).body();
            if (onlyJail != null) {
                List<String> running = status.getJsonArray("jails", new JsonArray()).stream()
                        .map(jail -> ((JsonObject) jail).getString("name")).toList();
                if (!running.contains(onlyJail)) {
                    throw new AdminClient.Failed(AdminClient.REFUSED, "no running jail is named '" + onlyJail
                            + "'; running: " + String.join(", ", running));
                }
            }
        } catch (AdminClient.Failed e) {
            return AdminClient.fail(System.err, "status", e);
        }
        JsonArray problems = status.getJsonArray("problems", new JsonArray());
        for (Object problem : problems) {
            out.println("PROBLEM: " + problem);
        }
        if (!problems.isEmpty()) {
            out.println();
        }
        out.printf(JAIL_ROW, "JAIL", "ACTIVE", "BANS", "COUNTED", "SKIPPED", "TRACKED");
        for (Object item : status.getJsonArray("jails", new JsonArray())) {
            JsonObject jail = (JsonObject) item;
            if (onlyJail != null && !onlyJail.equals(jail.getString("name"))) {
                continue;
            }
            long skipped = 0;
            JsonObject reasons = jail.getJsonObject("skipped", new JsonObject());
            for (String reason : reasons.fieldNames()) {
                skipped += reasons.getLong(reason, 0L);
            }
            out.printf(JAIL_ROW, jail.getString("name"), jail.getValue("active"), jail.getValue("bans"),
                    jail.getValue("counted"), skipped, jail.getValue("tracked"));
        }
        JsonObject pipeline = status.getJsonObject("pipeline", new JsonObject());
        JsonObject queues = pipeline.getJsonObject("queue_depths", new JsonObject());
        StringBuilder waiting = new StringBuilder();
        for (String queue : queues.fieldNames()) {
            waiting.append(waiting.length() == 0 ? "" : ", ").append(queue).append(' ').append(queues.getValue(queue));
        }
        JsonObject dropped = pipeline.getJsonObject("outputs_dropped", new JsonObject());
        StringBuilder lost = new StringBuilder();
        for (String output : dropped.fieldNames()) {
            if (dropped.getLong(output, 0L) > 0) {
                lost.append(lost.length() == 0 ? "; LOST by outputs: " : ", ").append(output).append(' ')
                        .append(dropped.getValue(output));
            }
        }
        out.printf("%nPipeline: %s lines read, %s security events, %s failures to the jails; waiting: %s%s%n",
                pipeline.getValue("lines_read"), pipeline.getValue("security_events"), pipeline.getValue("failures"),
                waiting.length() == 0 ? "nothing" : waiting, lost);
        JsonObject store = status.getJsonObject("store", new JsonObject());
        if (!store.isEmpty()) {
            out.printf("State: %s, %s%s%n", store.getValue("path"),
                    store.getBoolean("healthy", true) ? "writes work" : "WRITES FAILING since "
                            + store.getValue("failing_since") + ": " + store.getValue("error"),
                    ", rows " + store.getJsonObject("rows", new JsonObject()).encode());
        }
        JsonObject firewall = status.getJsonObject("firewall", new JsonObject());
        out.printf("Firewall: %s applied, %s failed, %s retried, %s put back, %s lifted, %s lifts pending%n",
                firewall.getValue("applied"), firewall.getValue("failed"), firewall.getValue("retried"),
                firewall.getValue("reconciled"), firewall.getValue("unbans"), firewall.getValue("pending_unbans"));
        for (Object item : status.getJsonArray("actions", new JsonArray())) {
            JsonObject action = (JsonObject) item;
            if (!"usable".equals(action.getString("state"))) {
                out.printf("Action %s: %s (%s)%n", action.getString("action"), action.getString("state"),
                        action.getString("problem"));
            }
        }
        JsonObject cluster = status.getJsonObject("cluster");
        if (cluster != null) {
            out.printf("%nCluster %s: %s nodes; %s bans shared, %s received, %s lifts received; failures %s sent to"
                            + " their owner, %s counted for others; compared with the shared map %s times, last %s%n",
                    cluster.getValue("name"), cluster.getValue("size"),
                    cluster.getValue("bans_shared"), cluster.getValue("bans_received"),
                    cluster.getValue("lifts_received"), cluster.getValue("failures_forwarded"),
                    cluster.getValue("failures_received"), cluster.getValue("comparisons"),
                    cluster.getString("last_comparison") == null ? "never" : cluster.getString("last_comparison"));
            out.printf(MEMBER_ROW, "MEMBER", "HOST", "STATE", "LAST CONTACT");
            for (Object item : cluster.getJsonArray("members", new JsonArray())) {
                JsonObject member = (JsonObject) item;
                out.printf(MEMBER_ROW, member.getString("address"),
                        member.getString("hostname") == null ? "-" : member.getString("hostname"),
                        member.getString("state"),
                        member.getString("last_contact") == null ? "never" : member.getString("last_contact"));
            }
        }
        printTop(summary, out);
        JsonArray bans = status.getJsonArray("bans", new JsonArray());
        if (onlyJail != null) {
            bans = new JsonArray(bans.stream().filter(ban -> onlyJail.equals(((JsonObject) ban).getString("jail")))
                    .toList());
            out.printf("%nBans in force in %s: %d%n", onlyJail, bans.size());
            BanTable.print(bans, out);
            return AdminClient.OK;
        }
        long notApplied = bans.stream().filter(ban -> !((JsonObject) ban).getBoolean("applied", false)).count();
        out.printf("%nBans in force: %d%s%n", bans.size(),
                notApplied == 0 ? "" : " (" + notApplied + " not in force in every firewall action)");
        BanTable.print(bans, out);
        return AdminClient.OK;
    }

    /** The top attacking addresses, countries and networks since the service started, side by side. */
    static void printTop(JsonObject summary, PrintStream out) {
        List<String> sources = top(summary, "top_sources", "ip");
        List<String> countries = top(summary, "top_countries", "country");
        List<String> networks = top(summary, "top_networks", "network");
        int rows = Math.max(sources.size(), Math.max(countries.size(), networks.size()));
        if (rows == 0) {
            return;
        }
        out.printf("%n" + TOP_ROW, "TOP ADDRESSES", "TOP COUNTRIES", "TOP NETWORKS");
        for (int i = 0; i < rows; i++) {
            out.printf(TOP_ROW, i < sources.size() ? sources.get(i) : "", i < countries.size() ? countries.get(i) : "",
                    i < networks.size() ? networks.get(i) : "");
        }
    }

    private static final String TOP_ROW = "%-48s %-24s %s%n";
    private static final int TOP_ROWS = 5;

    private static List<String> top(JsonObject summary, String list, String key) {
        List<String> rows = new java.util.ArrayList<>();
        for (Object item : summary.getJsonArray(list, new JsonArray())) {
            if (rows.size() == TOP_ROWS) {
                break;
            }
            JsonObject entry = (JsonObject) item;
            rows.add(entry.getValue(key) + " " + entry.getValue("count"));
        }
        return rows;
    }
}
