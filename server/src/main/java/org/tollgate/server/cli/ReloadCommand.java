package org.tollgate.server.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code tollgate reload}: fail2ban-client's verb. The running service reads its configuration file again (the one it
 * started with) through the admin API and applies what can change while it runs; SIGHUP does the same.
 */
@Command(name = "reload", mixinStandardHelpOptions = true,
        description = {"Makes the running service read its configuration file again, as 'fail2ban-client reload' or"
                + " SIGHUP: running jails keep their failure counts and bans and take their new settings; the"
                + " sources, alert actions and custom filters start again when changed. Jails added or removed, a"
                + " jail's actions or scope, the state file, outputs, api, shield, fraud, ami, enrich and cluster"
                + " take effect at the next restart (the answer names them). A configuration that does not load is"
                + " refused and the running one goes on.",
            "Needs the API token (api.token_file)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:reloaded", "1:the configuration is invalid (nothing changed) or the service refused",
            "2:the service could not be reached"})
final class ReloadCommand implements Callable<Integer> {

    @Mixin
    AdminOptions options;

    @Override
    public Integer call() {
        AdminClient client;
        try {
            client = options.client();
        } catch (AdminClient.Failed e) {
            System.err.println("tollgate reload: " + e.getMessage() + "; nothing was sent, the service runs on as it was");
            return e.exitCode;
        }
        try {
            System.out.println(client.require(client.post("api/reload", new io.vertx.core.json.JsonObject())).body()
                    .getString("reloaded"));
            return AdminClient.OK;
        } catch (AdminClient.Failed e) {
            return AdminClient.fail(System.err, "reload", e);
        }
    }
}
