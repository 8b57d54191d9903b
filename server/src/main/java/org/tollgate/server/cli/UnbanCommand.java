package org.tollgate.server.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tollgate unban [--jail JAIL] IP}: lifts the bans of an address in the running service. */
@Command(name = "unban", mixinStandardHelpOptions = true,
        description = {"Lifts every ban of an address, in every jail and firewall action of the running service;",
            "with --jail, only that jail's ban (its firewall actions' entries go; another jail's ban stays).",
            "Needs the API token (api.token_file)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:unbanned", "1:the configuration is invalid or the service refused (not an IP, not banned, no such jail)",
            "2:the service could not be reached"})
final class UnbanCommand implements Callable<Integer> {

    @Mixin
    AdminOptions options;

    @Parameters(index = "0", paramLabel = "IP", description = "An IP literal, such as 192.0.2.7.")
    String ip;

    @Option(names = "--jail", paramLabel = "JAIL", description = "Lift the ban of this running jail only.")
    String jail;

    @Override
    public Integer call() {
        JsonArray lifted;
        try {
            AdminClient client = options.client();
            String path = "api/bans/" + AdminClient.segment(ip) + (jail == null ? "" : "?jail=" + AdminClient.segment(jail));
            lifted = client.require(client.delete(path)).body()
                    .getJsonArray("unbanned", new JsonArray());
        } catch (AdminClient.Failed e) {
            return AdminClient.fail(System.err, "unban", e);
        }
        List<String> jails = new ArrayList<>();
        String address = ip;
        for (Object item : lifted) {
            JsonObject ban = (JsonObject) item;
            jails.add(ban.getString("jail"));
            address = ban.getString("ip");
        }
        System.out.printf("%s unbanned in %s%n", address, String.join(", ", jails));
        return AdminClient.OK;
    }
}
