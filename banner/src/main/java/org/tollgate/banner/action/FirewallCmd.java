package org.tollgate.banner.action;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the two firewalld actions share about {@code firewall-cmd}: its name, the running check, and reading its
 * answers. Exit codes of multi-item calls say little (a batch with one bad item still exits 0), so the actions decide
 * from queries and listings, not from the exit code of the change.
 */
final class FirewallCmd {

    static final String TOOL = "firewall-cmd";
    /** Items per call: firewall-cmd applies them one D-Bus call at a time, and argument lists have a size limit. */
    static final int ITEMS_PER_CALL = 500;

    private FirewallCmd() {
    }

    /** firewalld's {@code Reloaded} signal and its start, through {@code dbus-monitor} on the system bus. */
    static FirewallMonitor monitor(CommandRunner runner) {
        return new FirewallMonitor(runner, FirewalldSignals.command(), FirewalldSignals::new);
    }

    static void requireRunning(CommandRunner runner, String action) throws ActionException {
        CommandRunner.Result state = runner.run(List.of(TOOL, "--state"));
        if (!state.ok() || !state.stdout().strip().equals("running")) {
            throw new ActionException(action + ": firewalld is not running: " + state.failure());
        }
    }

    /**
     * The items a {@code --query-...} call answered yes for. One item is answered by exit code and a bare
     * {@code yes}/{@code no}; several by one {@code '<item>': yes|no} line each.
     */
    static Set<String> answeredYes(CommandRunner.Result result, List<String> items) {
        Set<String> yes = new HashSet<>();
        if (items.size() == 1) {
            if (result.ok() && lastLine(result.stdout()).equals("yes")) {
                yes.add(items.get(0));
            }
            return yes;
        }
        Set<String> asked = new HashSet<>(items);
        for (String line : result.stdout().split("\n")) {
            if (line.startsWith("'") && line.endsWith("': yes")) {
                String item = line.substring(1, line.length() - "': yes".length());
                if (asked.contains(item)) {
                    yes.add(item);
                }
            }
        }
        return yes;
    }

    /** True when a query answered with a plain no (exit 1) rather than an error. */
    static boolean answeredNo(CommandRunner.Result result) {
        return result.exitCode() == 1 && lastLine(result.stdout()).equals("no");
    }

    static List<String> lines(String stdout) {
        List<String> lines = new ArrayList<>();
        for (String line : stdout.split("\n")) {
            if (!line.isBlank()) {
                lines.add(line.strip());
            }
        }
        return lines;
    }

    private static String lastLine(String stdout) {
        List<String> lines = lines(stdout);
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
}
