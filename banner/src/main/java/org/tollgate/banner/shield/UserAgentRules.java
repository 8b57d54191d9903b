package org.tollgate.banner.shield;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.tollgate.banner.action.ActionException;
import org.tollgate.banner.action.CommandRunner;
import org.tollgate.normalizer.message.KernelMessages;

/**
 * Drops packets that carry a scanner's User-Agent anywhere, with iptables' {@code string} match: nftables has no
 * match for a string at an unknown offset. On iptables-nft hosts the rule reaches the kernel through xtables
 * compatibility ({@code nft_compat}, module {@code xt_string}); where iptables or that match is missing, applying
 * fails and the shield says so, and everything else stays in force.
 *
 * <p>A chain {@code <NAME>-UA} in table {@code filter} of iptables and ip6tables, jumped to from {@code INPUT} for
 * the SIP ports: the allow list returns first, then one rule per User-Agent jumps to {@code <NAME>-UAD}, which logs
 * (at most 10 lines a second, prefix {@value KernelMessages#SCAN_PREFIX}) and drops. Each family's chains are written
 * by one {@code iptables-restore --noflush}: one transaction per family.
 */
final class UserAgentRules {

    private final ShieldSettings settings;
    private final CommandRunner runner;
    private final String chain;
    private final String dropChain;

    UserAgentRules(ShieldSettings settings, CommandRunner runner) {
        this.settings = settings;
        this.runner = runner;
        this.chain = settings.name().toUpperCase(Locale.ROOT) + "-UA";
        this.dropChain = chain + "D";
    }

    boolean wanted() {
        return !settings.userAgents().isEmpty() && !settings.ports().isEmpty();
    }

    /**
     * Puts the rules in force; returns the problem (one sentence) when the string match is not available, null when
     * all is in force.
     */
    String apply(AddressList allow) {
        if (!wanted()) {
            return null;
        }
        for (boolean v6 : new boolean[] {false, true}) {
            String tool = v6 ? "ip6tables" : "iptables";
            try {
                CommandRunner.Result restored = runner.run(List.of(tool + "-restore", "-w", "--noflush"),
                        script(allow, v6).getBytes(StandardCharsets.UTF_8));
                if (!restored.ok()) {
                    return unavailable(restored.message());
                }
                if (!runner.run(List.of(tool, "-w", "-C", "INPUT", "-j", chain)).ok()) {
                    CommandRunner.Result jumped = runner.run(List.of(tool, "-w", "-I", "INPUT", "1", "-j", chain));
                    if (!jumped.ok()) {
                        return unavailable(jumped.message());
                    }
                }
            } catch (ActionException e) {
                return unavailable(e.getMessage());
            }
        }
        return null;
    }

    private static String unavailable(String why) {
        return "user_agents: iptables' string match is not available on this host (" + why
                + "); packets are not dropped by User-Agent, everything else of the shield is in force";
    }

    /** The chains of one family for {@code iptables-restore --noflush}: declared (and so emptied) and filled. */
    String script(AddressList allow, boolean v6) {
        StringBuilder script = new StringBuilder("*filter\n");
        script.append(':').append(chain).append(" - [0:0]\n");
        script.append(':').append(dropChain).append(" - [0:0]\n");
        for (String entry : allow.entries(v6)) {
            script.append("-A ").append(chain).append(" -s ").append(entry).append(" -j RETURN\n");
        }
        String ports = settings.ports().stream().map(String::valueOf).collect(Collectors.joining(","));
        for (String protocol : settings.protocols()) {
            for (String agent : settings.userAgents()) {
                script.append("-A ").append(chain).append(" -p ").append(protocol).append(" -m multiport --dports ")
                        .append(ports).append(" -m string --algo bm --icase --string \"").append(agent)
                        .append("\" -m comment --comment \"user-agent ").append(agent).append("\" -j ")
                        .append(dropChain).append('\n');
            }
        }
        if (settings.log()) {
            script.append("-A ").append(dropChain).append(" -m limit --limit 10/sec --limit-burst 20 -j LOG --log-prefix \"")
                    .append(KernelMessages.SCAN_PREFIX).append("\"\n");
        }
        script.append("-A ").append(dropChain).append(" -j DROP\n");
        script.append("COMMIT\n");
        return script.toString();
    }

    /** Counters of the User-Agent rules, from {@code iptables -L <chain> -v -x -n}. */
    List<ShieldStatus.Rule> status() {
        List<ShieldStatus.Rule> rules = new ArrayList<>();
        if (!wanted()) {
            return rules;
        }
        for (boolean v6 : new boolean[] {false, true}) {
            try {
                CommandRunner.Result listing = runner.run(List.of(v6 ? "ip6tables" : "iptables", "-w", "-L", chain,
                        "-v", "-x", "-n"));
                if (listing.ok()) {
                    rules.addAll(IptablesListing.rules(listing.stdout(), v6 ? "ipv6" : "ipv4"));
                }
            } catch (ActionException e) {
                // Not there: status says the rest.
            }
        }
        return rules;
    }

    /** Whether the jump and the chain are there (both families); false when the rules were never applied. */
    boolean inForce() throws ActionException {
        for (String tool : List.of("iptables", "ip6tables")) {
            if (!runner.run(List.of(tool, "-w", "-C", "INPUT", "-j", chain)).ok()) {
                return false;
            }
        }
        return true;
    }

    /** Removes the jump and both chains, in both families; what is already gone is no error. */
    void remove() throws ActionException {
        for (String tool : List.of("iptables", "ip6tables")) {
            while (runner.run(List.of(tool, "-w", "-D", "INPUT", "-j", chain)).ok()) {
                // Every copy of the jump.
            }
            for (String each : List.of(chain, dropChain)) {
                runner.run(List.of(tool, "-w", "-F", each));
                runner.run(List.of(tool, "-w", "-X", each));
            }
        }
    }
}
