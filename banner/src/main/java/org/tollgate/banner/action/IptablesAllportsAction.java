package org.tollgate.banner.action;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.tollgate.banner.jail.ActionSettings;
import org.tollgate.banner.jail.Ban;

/**
 * One rule per banned address, {@code -s <ip> -j REJECT}, in a chain of its own ({@code tollgate} or
 * {@code tollgate-<name>}) jumped to from {@code INPUT}, the way fail2ban's iptables-allports action does it. Suits
 * hosts without ipset or nftables; each ban is a rule, so lookups grow with the number of bans.
 *
 * <p>A bulk call is one {@code iptables-restore --noflush} transaction per family, after one listing to skip the
 * addresses already there. A few bans are then checked one by one with {@code -C}, many by one more listing.
 *
 * <p>Parameters: {@code name} (chain suffix), {@code blocktype} ({@code REJECT} or {@code DROP}), {@code chain}
 * (default {@code INPUT}), {@code protocol} ({@code all}, {@code tcp}, {@code udp}, {@code sctp}).
 */
final class IptablesAllportsAction implements FirewallAction {

    static final String TYPE = "iptables-allports";
    static final String CHAIN_PREFIX = "tollgate";
    static final Set<String> PARAMS = Set.of("name", "blocktype", "chain", "protocol");

    /** iptables chain names hold at most 28 characters. */
    private static final int LONGEST_NAME = 28 - CHAIN_PREFIX.length() - 1;
    private static final Pattern REJECT_WITH = Pattern.compile("[a-z0-9-]+");
    private static final int MAX_JUMP_DELETES = 16;

    private final CommandRunner runner;
    private final String chain;
    private final String blocktype;
    private final String hook;
    private final String protocol;

    IptablesAllportsAction(ActionSettings settings, CommandRunner runner) {
        ActionParams params = new ActionParams(settings, PARAMS);
        this.runner = runner;
        String suffix = params.name("name", null, LONGEST_NAME);
        this.chain = suffix == null ? CHAIN_PREFIX : CHAIN_PREFIX + "-" + suffix;
        this.blocktype = params.choice("blocktype", "REJECT", List.of("REJECT", "DROP"));
        this.hook = params.name("chain", "INPUT", 28);
        this.protocol = params.choice("protocol", "all", List.of("all", "tcp", "udp", "sctp"));
    }

    @Override
    public List<String> tools() {
        return List.of(Family.V4.iptables);
    }

    @Override
    public String name() {
        return TYPE + ":" + chain;
    }

    String chain() {
        return chain;
    }

    @Override
    public synchronized void setUp() throws ActionException {
        for (Family family : Family.values()) {
            ensureChain(family);
        }
    }

    @Override
    public synchronized BanOutcome ban(List<Ban> bans) throws ActionException {
        BanTargets targets = BanTargets.of(bans);
        BanTargets.Outcome outcome = targets.outcome();
        outcome.eachFamily(targets, (family, ips) -> {
            ensureChain(family);
            Map<String, List<Rule>> listed = listed(family);
            StringBuilder script = new StringBuilder("*filter\n");
            boolean any = false;
            for (String ip : ips) {
                if (!blocks(listed.get(ip))) {
                    script.append("-I ").append(chain).append(" 1 -s ").append(ip).append(" -j ").append(blocktype)
                            .append('\n');
                    any = true;
                }
            }
            String problem = null;
            if (any) {
                CommandRunner.Result restored = restore(family, script.append("COMMIT\n"));
                problem = restored.ok() ? null : restored.failure();
            }
            Set<String> present = present(family, ips);
            outcome.record(ips, present, true, problem, "no rule in " + chain + " after restore");
        });
        return outcome.build();
    }

    @Override
    public synchronized BanOutcome unban(List<Ban> bans) throws ActionException {
        BanTargets targets = BanTargets.of(bans);
        BanTargets.Outcome outcome = targets.outcome();
        outcome.eachFamily(targets, (family, ips) -> {
            Map<String, List<Rule>> listed = listed(family);
            StringBuilder script = new StringBuilder("*filter\n");
            boolean any = false;
            for (String ip : ips) {
                // Every rule for the address, whatever its target: blocktype may have changed since the ban.
                for (Rule rule : listed.getOrDefault(ip, List.of())) {
                    script.append("-D ").append(chain).append(' ').append(rule.spec()).append('\n');
                    any = true;
                }
            }
            String problem = null;
            if (any) {
                CommandRunner.Result restored = restore(family, script.append("COMMIT\n"));
                problem = restored.ok() ? null : restored.failure();
            }
            Map<String, List<Rule>> after = any ? listed(family) : listed;
            for (String ip : ips) {
                if (after.containsKey(ip)) {
                    outcome.fail(ip, problem != null ? problem : "rule still in " + chain);
                } else {
                    outcome.apply(ip);
                }
            }
        });
        return outcome.build();
    }

    @Override
    public synchronized Set<String> missing(Collection<Ban> active) throws ActionException {
        return BanTargets.of(active).missing(family -> jumpInForce(family) ? blocking(listed(family)) : Set.of());
    }

    @Override
    public synchronized void tearDown() throws ActionException {
        for (Family family : Family.values()) {
            for (int i = 0; i < MAX_JUMP_DELETES && jumpInForce(family); i++) {
                CommandRunner.Result deleted = runner.run(jump(family, "-D"));
                if (!deleted.ok()) {
                    throw new ActionException(name() + ": cannot remove the jump to " + chain + ": " + deleted.failure());
                }
            }
            CommandRunner.Result flushed = runner.run(List.of(family.iptables, "-w", "-F", chain));
            if (!flushed.ok()) {
                continue; // no such chain: nothing left to remove
            }
            CommandRunner.Result removed = runner.run(List.of(family.iptables, "-w", "-X", chain));
            if (!removed.ok()) {
                throw new ActionException(name() + ": cannot delete chain " + chain + ": " + removed.failure());
            }
        }
    }

    @Override
    public void close() {
        // Nothing held open.
    }

    /** {@code <tool> -w <operation> <hook> [-p <protocol>] -j <chain>}. */
    List<String> jump(Family family, String operation) {
        List<String> command = new ArrayList<>(List.of(family.iptables, "-w", operation, hook));
        if (!protocol.equals("all")) {
            command.addAll(List.of("-p", protocol));
        }
        command.addAll(List.of("-j", chain));
        return command;
    }

    /** Creates the chain when it is missing and jumps to it from the hook chain when no jump is there. */
    private void ensureChain(Family family) throws ActionException {
        if (jumpInForce(family)) {
            return;
        }
        CommandRunner.Result created = runner.run(List.of(family.iptables, "-w", "-N", chain));
        if (!created.ok() && !created.stderr().contains("already exists")) {
            throw new ActionException(name() + ": cannot create chain " + chain + ": " + created.failure());
        }
        List<String> insert = jump(family, "-I");
        insert.add(4, "1");
        CommandRunner.Result inserted = runner.run(insert);
        if (!inserted.ok()) {
            throw new ActionException(name() + ": cannot jump to " + chain + " from " + hook + ": " + inserted.failure());
        }
    }

    /** True when the jump is there; exit 1 (no such rule) and 2 (no such chain) both mean it is not. */
    private boolean jumpInForce(Family family) throws ActionException {
        CommandRunner.Result checked = runner.run(jump(family, "-C"));
        if (checked.exitCode() == 0) {
            return true;
        }
        if (checked.exitCode() == 1 || checked.exitCode() == 2) {
            return false;
        }
        throw new ActionException(name() + ": cannot check the jump to " + chain + ": " + checked.failure());
    }

    /** The addresses that have a rule with the current target among {@code rules}. */
    private Set<String> blocking(Map<String, List<Rule>> rules) {
        Set<String> blocking = new HashSet<>();
        rules.forEach((ip, listed) -> {
            if (blocks(listed)) {
                blocking.add(ip);
            }
        });
        return blocking;
    }

    private boolean blocks(List<Rule> rules) {
        if (rules != null) {
            for (Rule rule : rules) {
                if (rule.target().equals(blocktype)) {
                    return true;
                }
            }
        }
        return false;
    }

    private CommandRunner.Result restore(Family family, CharSequence script) throws ActionException {
        return runner.run(List.of(family.iptablesRestore, "-w", "--noflush"),
                script.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** Which of {@code ips} have a rule with the current target: {@code -C} each for a few, one listing for many. */
    private Set<String> present(Family family, List<String> ips) throws ActionException {
        if (ips.size() > FirewallActions.CHECK_ONE_BY_ONE_UP_TO) {
            return BanTargets.inListing(ips, blocking(listed(family)));
        }
        Set<String> present = new HashSet<>();
        for (String ip : ips) {
            CommandRunner.Result checked = runner.run(List.of(family.iptables, "-w", "-C", chain, "-s", ip, "-j", blocktype));
            if (checked.ok()) {
                present.add(ip);
            } else if (checked.exitCode() != 1) {
                throw new ActionException(name() + ": cannot check the rule for " + ip + ": " + checked.failure());
            }
        }
        return present;
    }

    /** Rules of the chain by canonical source address; empty when the chain does not exist. */
    Map<String, List<Rule>> listed(Family family) throws ActionException {
        CommandRunner.Result listing = runner.run(List.of(family.iptables, "-w", "-S", chain));
        if (!listing.ok()) {
            if (listing.exitCode() == 1) {
                return Map.of();
            }
            throw new ActionException(name() + ": cannot list chain " + chain + ": " + listing.failure());
        }
        if (listing.stdoutTruncated()) {
            throw new ActionException(name() + ": listing of chain " + chain + " is longer than the output limit");
        }
        return parseRules(listing.stdout(), chain, family);
    }

    /**
     * Rules from {@code iptables -S <chain>} output that have exactly our shape,
     * {@code -A <chain> -s <ip>/<32|128> -j <REJECT|DROP> [--reject-with <type>]}. Other rules are left alone.
     */
    static Map<String, List<Rule>> parseRules(String listing, String chain, Family family) {
        Map<String, List<Rule>> rules = new HashMap<>();
        String hostPrefix = family == Family.V4 ? "/32" : "/128";
        for (String line : listing.split("\n")) {
            String[] tokens = line.strip().split(" ");
            if (tokens.length != 6 && tokens.length != 8) {
                continue;
            }
            if (!tokens[0].equals("-A") || !tokens[1].equals(chain) || !tokens[2].equals("-s") || !tokens[4].equals("-j")
                    || !tokens[3].endsWith(hostPrefix)) {
                continue;
            }
            String ip = BanTargets.literal(tokens[3].substring(0, tokens[3].length() - hostPrefix.length()));
            String target = tokens[5];
            if (ip == null || !(target.equals("REJECT") || target.equals("DROP")) || Family.of(ip) != family) {
                continue;
            }
            String rejectWith = null;
            if (tokens.length == 8) {
                if (!tokens[6].equals("--reject-with") || !REJECT_WITH.matcher(tokens[7]).matches()) {
                    continue;
                }
                rejectWith = tokens[7];
            }
            rules.computeIfAbsent(ip, k -> new ArrayList<>()).add(new Rule(ip + hostPrefix, target, rejectWith));
        }
        return rules;
    }

    /** One of our rules as listed, rebuilt from checked parts only. */
    record Rule(String source, String target, String rejectWith) {

        /** The rule after its chain name, as {@code -D} takes it. */
        String spec() {
            return "-s " + source + " -j " + target + (rejectWith == null ? "" : " --reject-with " + rejectWith);
        }
    }
}
