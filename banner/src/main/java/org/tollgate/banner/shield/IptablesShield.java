package org.tollgate.banner.shield;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.tollgate.banner.action.ActionException;
import org.tollgate.banner.action.CommandRunner;
import org.tollgate.banner.action.FirewallMonitor;
import org.tollgate.normalizer.message.KernelMessages;

/**
 * The shield on hosts without nft: chain {@code <NAME>} in iptables' and ip6tables' {@code filter} table, first in
 * {@code INPUT}. The allow list returns, the block list drops; each ladder rung is a {@code hashlimit} over the
 * source address (the same token bucket as nftables' {@code limit}: {@code --hashlimit-above <rate>
 * --hashlimit-burst <count>}, forgotten after the rung's window), UDP and TCP counted together; method limits match
 * the payload's first bytes with the {@code string} match at a fixed offset. Each family is written by one
 * {@code iptables-restore --noflush}: one transaction per family. Reloading the lists rewrites the chain, which
 * starts the limits' per-source state afresh.
 *
 * <p>No firewall event reports a flushed chain here: the periodic reconcile puts it back.
 */
final class IptablesShield implements Shield {

    private final ShieldSettings settings;
    private final CommandRunner runner;
    private final String chain;
    private final UserAgentRules userAgents;
    private volatile List<String> problems = List.of();

    IptablesShield(ShieldSettings settings, CommandRunner runner) {
        this.settings = settings;
        this.runner = runner;
        this.chain = settings.name().toUpperCase(Locale.ROOT);
        this.userAgents = new UserAgentRules(settings, runner);
    }

    @Override
    public String name() {
        return "iptables:" + chain;
    }

    @Override
    public void apply(AddressList allow, AddressList block) throws ActionException {
        for (boolean v6 : new boolean[] {false, true}) {
            String tool = tool(v6);
            CommandRunner.Result restored = runner.run(List.of(tool + "-restore", "-w", "--noflush"),
                    script(allow, block, v6).getBytes(StandardCharsets.UTF_8));
            if (!restored.ok()) {
                throw new ActionException(name() + ": cannot apply the shield: " + restored.failure());
            }
            if (!runner.run(List.of(tool, "-w", "-C", "INPUT", "-j", chain)).ok()) {
                CommandRunner.Result jumped = runner.run(List.of(tool, "-w", "-I", "INPUT", "1", "-j", chain));
                if (!jumped.ok()) {
                    throw new ActionException(name() + ": cannot hook the shield into INPUT: " + jumped.failure());
                }
            }
        }
        String problem = userAgents.apply(allow);
        problems = problem == null ? List.of() : List.of(problem);
    }

    @Override
    public void reloadLists(AddressList allow, AddressList block) throws ActionException {
        apply(allow, block);
    }

    /** The chains of one family for {@code iptables-restore --noflush}. */
    String script(AddressList allow, AddressList block, boolean v6) {
        String rate = chain + "-RATE";
        String scan = chain + "-SCAN";
        StringBuilder script = new StringBuilder("*filter\n");
        for (String each : List.of(chain, rate, scan)) {
            script.append(':').append(each).append(" - [0:0]\n");
        }
        for (String entry : allow.entries(v6)) {
            script.append("-A ").append(chain).append(" -s ").append(entry)
                    .append(" -m comment --comment \"allow list\" -j RETURN\n");
        }
        for (String entry : block.entries(v6)) {
            script.append("-A ").append(chain).append(" -s ").append(entry)
                    .append(" -m comment --comment \"block list\" -j DROP\n");
        }
        String ports = settings.ports().stream().map(String::valueOf).collect(Collectors.joining(","));
        if (!settings.ports().isEmpty() && settings.protocols().contains("udp")) {
            int payload = v6 ? 48 : 28;
            for (var method : new java.util.TreeMap<>(settings.methods()).entrySet()) {
                String text = method.getKey() + " ";
                script.append("-A ").append(chain).append(" -p udp -m multiport --dports ").append(ports)
                        .append(" -m string --algo bm --from ").append(payload).append(" --to ")
                        .append(payload + text.length()).append(" --string \"").append(text).append("\" ")
                        .append(hashlimit("tgs_m_" + method.getKey().toLowerCase(Locale.ROOT), method.getValue()))
                        .append(" -m comment --comment \"method ").append(method.getKey()).append(' ')
                        .append(method.getValue()).append("\" -j ").append(scan).append('\n');
            }
        }
        for (int i = 0; i < settings.ladder().size() && !settings.ports().isEmpty(); i++) {
            ShieldSettings.Rung rung = settings.ladder().get(i);
            for (String protocol : settings.protocols()) {
                script.append("-A ").append(chain).append(" -p ").append(protocol).append(" -m multiport --dports ")
                        .append(ports).append(" -m conntrack --ctstate NEW ").append(hashlimit("tgs_r" + i, rung))
                        .append(" -m comment --comment \"ladder ").append(rung).append("\" -j ").append(rate)
                        .append('\n');
            }
        }
        for (String[] drop : new String[][] {{rate, KernelMessages.RATE_PREFIX}, {scan, KernelMessages.SCAN_PREFIX}}) {
            if (settings.log()) {
                script.append("-A ").append(drop[0]).append(" -m limit --limit 10/sec --limit-burst 20 -j LOG")
                        .append(" --log-prefix \"").append(drop[1]).append("\"\n");
            }
            script.append("-A ").append(drop[0]).append(" -j DROP\n");
        }
        script.append("COMMIT\n");
        return script.toString();
    }

    private static String hashlimit(String name, ShieldSettings.Rung rung) {
        return "-m hashlimit --hashlimit-above " + rung.rate() + " --hashlimit-burst " + rung.count()
                + " --hashlimit-mode srcip --hashlimit-name " + name + " --hashlimit-htable-expire "
                + rung.within().toMillis();
    }

    @Override
    public List<String> missing() throws ActionException {
        List<String> missing = new ArrayList<>();
        Set<String> expected = new LinkedHashSet<>();
        for (String line : script(AddressList.empty(), AddressList.empty(), false).split("\n")) {
            int at = line.indexOf("--comment \"");
            if (at >= 0 && line.startsWith("-A " + chain + " ")) {
                expected.add(line.substring(at + 11, line.indexOf('"', at + 11)));
            }
        }
        for (boolean v6 : new boolean[] {false, true}) {
            String tool = tool(v6);
            if (!runner.run(List.of(tool, "-w", "-C", "INPUT", "-j", chain)).ok()) {
                missing.add(tool + " INPUT jump to " + chain);
                continue;
            }
            Set<String> found = new LinkedHashSet<>();
            CommandRunner.Result listing = runner.run(List.of(tool, "-w", "-L", chain, "-v", "-x", "-n"));
            if (listing.ok()) {
                IptablesListing.rules(listing.stdout(), "").forEach(rule -> found.add(rule.what()));
            }
            for (String comment : expected) {
                if (!found.contains(comment)) {
                    missing.add(tool + " rule " + comment);
                }
            }
        }
        if (problems.isEmpty() && userAgents.wanted() && !userAgents.inForce()) {
            missing.add("user-agent rules");
        }
        return missing;
    }

    @Override
    public ShieldStatus status() throws ActionException {
        List<ShieldStatus.Rule> rules = new ArrayList<>();
        for (boolean v6 : new boolean[] {false, true}) {
            CommandRunner.Result listing = runner.run(List.of(tool(v6), "-w", "-L", chain, "-v", "-x", "-n"));
            if (listing.ok()) {
                rules.addAll(IptablesListing.rules(listing.stdout(), v6 ? "ipv6" : "ipv4"));
            }
        }
        rules.addAll(userAgents.status());
        List<String> missing = missing();
        List<String> all = new ArrayList<>(problems);
        missing.forEach(what -> all.add("not in force: " + what));
        return new ShieldStatus(name(), missing.isEmpty(), rules, all);
    }

    @Override
    public void remove() throws ActionException {
        for (boolean v6 : new boolean[] {false, true}) {
            String tool = tool(v6);
            while (runner.run(List.of(tool, "-w", "-D", "INPUT", "-j", chain)).ok()) {
                // Every copy of the jump.
            }
            for (String each : List.of(chain, chain + "-RATE", chain + "-SCAN")) {
                runner.run(List.of(tool, "-w", "-F", each));
                runner.run(List.of(tool, "-w", "-X", each));
            }
        }
        userAgents.remove();
    }

    @Override
    public Optional<FirewallMonitor> monitor() {
        return Optional.empty();
    }

    @Override
    public List<String> problems() {
        return problems;
    }

    private static String tool(boolean v6) {
        return v6 ? "ip6tables" : "iptables";
    }
}
