package org.tollgate.banner.action;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.tollgate.banner.jail.ActionSettings;
import org.tollgate.banner.jail.Ban;

/**
 * Deletes the banned address's connection-tracking entries, {@code conntrack -D -s <ip>}, so that a flow a firewall
 * would otherwise let through as established is cut at once. Meant to follow a blocking action in a jail's list. It
 * holds no state: unban has nothing to undo and nothing is ever missing.
 */
final class ConntrackAction implements FirewallAction {

    static final String TYPE = "conntrack";
    static final Set<String> PARAMS = Set.of();

    private static final String TOOL = "conntrack";
    private static final String NOTHING_DELETED = "0 flow entries have been deleted";

    private final CommandRunner runner;

    ConntrackAction(ActionSettings settings, CommandRunner runner) {
        new ActionParams(settings, PARAMS);
        this.runner = runner;
    }

    @Override
    public List<String> tools() {
        return List.of(TOOL);
    }

    @Override
    public String name() {
        return TYPE;
    }

    /** Checks that the tool runs, so a missing package shows at start rather than at the first ban. */
    @Override
    public void setUp() throws ActionException {
        CommandRunner.Result version = runner.run(List.of(TOOL, "--version"));
        if (!version.ok()) {
            throw new ActionException(name() + ": conntrack does not run: " + version.failure());
        }
    }

    /** One call per address: conntrack takes one source per call. Exit 1 with nothing deleted is success. */
    @Override
    public BanOutcome ban(List<Ban> bans) throws ActionException {
        BanTargets targets = BanTargets.of(bans);
        BanTargets.Outcome outcome = targets.outcome();
        for (Family family : Family.values()) {
            for (String ip : targets.addresses(family)) {
                CommandRunner.Result deleted = runner.run(command(family, ip));
                if (deleted.ok() || (deleted.exitCode() == 1 && deleted.stderr().contains(NOTHING_DELETED))) {
                    outcome.apply(ip);
                } else {
                    outcome.fail(ip, deleted.failure());
                }
            }
        }
        return outcome.build();
    }

    static List<String> command(Family family, String ip) {
        List<String> command = new ArrayList<>(List.of(TOOL, "-D"));
        if (family == Family.V6) {
            // Without the family conntrack searches the IPv4 table and deletes nothing.
            command.addAll(List.of("-f", "ipv6"));
        }
        command.addAll(List.of("-s", ip));
        return command;
    }

    @Override
    public BanOutcome unban(List<Ban> bans) {
        BanTargets targets = BanTargets.of(bans);
        BanTargets.Outcome outcome = targets.outcome();
        targets.addresses().forEach(outcome::apply);
        return outcome.build();
    }

    @Override
    public Set<String> missing(Collection<Ban> active) {
        return Set.of();
    }

    @Override
    public void tearDown() {
        // Nothing was created.
    }

    @Override
    public void close() {
        // Nothing held open.
    }
}
