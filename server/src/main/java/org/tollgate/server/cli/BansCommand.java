package org.tollgate.server.cli;

import io.vertx.core.json.JsonArray;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tollgate bans}: the bans in force, from the admin API. */
@Command(name = "bans", mixinStandardHelpOptions = true,
        description = "Lists the bans in force with each firewall action's state.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:listed", "1:the configuration is invalid or the service refused", "2:the service could not be reached"})
final class BansCommand implements Callable<Integer> {

    @Mixin
    AdminOptions options;

    @Option(names = "--json", description = "One JSON object per ban and line, as the API gives them.")
    boolean json;

    @Override
    public Integer call() {
        JsonArray bans;
        try {
            AdminClient client = options.client();
            bans = client.require(client.get("api/bans")).body().getJsonArray("bans", new JsonArray());
        } catch (AdminClient.Failed e) {
            return AdminClient.fail(System.err, "bans", e);
        }
        if (json) {
            bans.forEach(ban -> System.out.println(ban.toString()));
        } else {
            BanTable.print(bans, System.out);
        }
        return AdminClient.OK;
    }
}
