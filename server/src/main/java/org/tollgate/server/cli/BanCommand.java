package org.tollgate.server.cli;

import io.vertx.core.json.JsonObject;
import org.tollgate.normalizer.address.IpLiteral;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code tollgate ban JAIL IP}: a ban by hand, through the running service's jail and its firewall actions. */
@Command(name = "ban", mixinStandardHelpOptions = true,
        description = {"Bans an address by hand in a jail of the running service, with the jail's bantime and actions.",
            "Needs the API token (api.token_file)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:banned", "1:the configuration is invalid or the service refused (unknown jail, not an IP, ignoreip)",
            "2:the service could not be reached"})
final class BanCommand implements Callable<Integer> {

    @Mixin
    AdminOptions options;

    @Parameters(index = "0", paramLabel = "JAIL", description = "A running jail, such as sip-auth.")
    String jail;

    @Parameters(index = "1", paramLabel = "IP", description = "An IP literal (never a host name), such as 192.0.2.7.")
    String ip;

    @Override
    public Integer call() {
        JsonObject ban;
        try {
            byte[] address = IpLiteral.toBytes(ip);
            String unbannable = address == null ? null : IpLiteral.unbannable(address);
            if (unbannable != null) {
                // Refused here as the service would refuse it: no request for an address no jail may ban.
                throw new AdminClient.Failed(AdminClient.REFUSED, "ip: " + ip + " is " + unbannable
                        + "; it is never banned");
            }
            AdminClient client = options.client();
            ban = client.require(client.post("api/bans", new JsonObject().put("jail", jail).put("ip", ip)))
                    .body().getJsonObject("banned");
        } catch (AdminClient.Failed e) {
            return AdminClient.fail(System.err, "ban", e);
        }
        String end = ban.getString("end");
        System.out.printf("%s banned in %s %s%n", ban.getString("ip"), ban.getString("jail"),
                end == null ? "for ever" : "until " + end);
        return AdminClient.OK;
    }
}
