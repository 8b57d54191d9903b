package org.tollgate.server.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code tollgate set JAIL banip|unbanip IP}: fail2ban-client's verbs, as aliases of {@code tollgate ban JAIL IP} and
 * {@code tollgate unban --jail JAIL IP}, for the hands and scripts used to them.
 */
@Command(name = "set", mixinStandardHelpOptions = true,
        description = {"fail2ban-client's verbs: 'set JAIL banip IP' is 'tollgate ban JAIL IP'; 'set JAIL unbanip IP'"
                + " is 'tollgate unban --jail JAIL IP' (lifts the ban of that jail only, as fail2ban does; 'tollgate"
                + " unban IP' lifts it in every jail, as fail2ban's unban --all).",
            "Needs the API token (api.token_file)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:the configuration is invalid or the service refused", "2:the service could not be reached"})
final class SetCommand implements Callable<Integer> {

    @Mixin
    AdminOptions options;

    @Parameters(index = "0", paramLabel = "JAIL", description = "A running jail, such as sip-auth.")
    String jail;

    @Parameters(index = "1", paramLabel = "VERB", description = "banip or unbanip.")
    String verb;

    @Parameters(index = "2", paramLabel = "IP", description = "An IP literal (never a host name), such as 192.0.2.7.")
    String ip;

    @Override
    public Integer call() {
        if (!verb.equals("banip") && !verb.equals("unbanip")) {
            System.err.println("tollgate set: expected banip or unbanip after the jail, was '" + verb + "'");
            return AdminClient.REFUSED;
        }
        if (verb.equals("banip")) {
            BanCommand ban = new BanCommand();
            ban.options = options;
            ban.jail = jail;
            ban.ip = ip;
            return ban.call();
        }
        UnbanCommand unban = new UnbanCommand();
        unban.options = options;
        unban.ip = ip;
        unban.jail = jail;
        return unban.call();
    }
}
