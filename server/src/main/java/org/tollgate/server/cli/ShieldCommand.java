package org.tollgate.server.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import org.tollgate.banner.action.ActionException;
import org.tollgate.banner.action.CommandRunner;
import org.tollgate.banner.config.ConfigException;
import org.tollgate.banner.shield.Shield;
import org.tollgate.banner.shield.ShieldStatus;
import org.tollgate.server.config.TollgateConfig;
import org.tollgate.server.shield.ShieldJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code tollgate shield status} and {@code tollgate shield off}: through the running service when it runs (it keeps
 * the shield in force, so it must be the one to let go), else straight in this host's firewall.
 */
@Command(name = "shield", mixinStandardHelpOptions = true,
        description = "The shield's rules and packet counters, or its removal.",
        subcommands = {ShieldCommand.Status.class, ShieldCommand.Off.class})
final class ShieldCommand {

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"The shield's rules and their packet counters, from the running service or, when it does"
                + " not run, from this host's firewall (needs root)."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:the shield is in force", "1:it is not (or the configuration is invalid)"})
    static final class Status implements Callable<Integer> {
        @Mixin
        AdminOptions options;

        @Override
        public Integer call() {
            ShieldStatus status;
            try {
                status = fromService(options);
                if (status == null) {
                    status = local(options).status();
                }
            } catch (AdminClient.Failed e) {
                return AdminClient.fail(System.err, "shield status", e);
            } catch (ActionException | ConfigException e) {
                System.err.println("tollgate shield status: " + e.getMessage());
                return AdminClient.REFUSED;
            }
            print(status, System.out);
            return status.inForce() ? AdminClient.OK : AdminClient.REFUSED;
        }
    }

    @Command(name = "off", mixinStandardHelpOptions = true,
            description = {"Removes the shield. The running service stops keeping it in force until it starts again"
                + " (set shield.enabled: false to keep it off); needs the API token. When the service does not"
                + " run, the rules are removed from this host's firewall (needs root)."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:removed", "1:the configuration is invalid or the removal failed",
                "2:the service could not be reached (and the local removal failed)"})
    static final class Off implements Callable<Integer> {
        @Mixin
        AdminOptions options;

        @Override
        public Integer call() {
            try {
                AdminClient client = options.client();
                AdminClient.Reply reply = client.delete("api/shield");
                if (reply.status() != 404) {
                    client.require(reply);
                    System.out.println("shield removed by the running service; it stays off until the service"
                            + " starts again");
                    return AdminClient.OK;
                }
            } catch (AdminClient.Failed e) {
                if (e.exitCode != AdminClient.UNREACHABLE) {
                    return AdminClient.fail(System.err, "shield off", e);
                }
            }
            try {
                Shield shield = local(options);
                shield.remove();
                System.out.println("shield removed from this host's firewall (" + shield.name() + ")");
                return AdminClient.OK;
            } catch (ActionException | ConfigException e) {
                System.err.println("tollgate shield off: " + e.getMessage());
                return AdminClient.REFUSED;
            }
        }
    }

    /** The running service's shield status; null when it does not run or runs without the shield. */
    static ShieldStatus fromService(AdminOptions options) throws AdminClient.Failed {
        AdminClient client = options.client();
        AdminClient.Reply reply;
        try {
            reply = client.get("api/shield");
        } catch (AdminClient.Failed e) {
            if (e.exitCode == AdminClient.UNREACHABLE) {
                return null;
            }
            throw e;
        }
        if (reply.status() == 404) {
            return null;
        }
        return ShieldJson.read(client.require(reply).body());
    }

    /** The shield the configuration describes, in this host's firewall. */
    static Shield local(AdminOptions options) {
        return Shield.create(TollgateConfig.load(options.config).shield(), new CommandRunner());
    }

    static void print(ShieldStatus status, PrintStream out) {
        out.printf("Shield: %s, %s%n", status.backend(), status.inForce() ? "in force" : "NOT in force");
        out.printf("%-40s %-6s %12s %14s%n", "RULE", "FAMILY", "PACKETS", "BYTES");
        for (ShieldStatus.Rule rule : status.rules()) {
            out.printf("%-40s %-6s %12d %14d%n", rule.what(), rule.family(), rule.packets(), rule.bytes());
        }
        for (String problem : status.problems()) {
            out.println("Problem: " + problem);
        }
    }
}
