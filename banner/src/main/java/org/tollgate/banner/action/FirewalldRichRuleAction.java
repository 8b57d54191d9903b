package org.tollgate.banner.action;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tollgate.banner.jail.ActionSettings;
import org.tollgate.banner.jail.Ban;

/**
 * One firewalld rich rule per ban, {@code rule family="ipv4" source address="192.0.2.7" reject}, in the runtime
 * configuration of a zone (and, with {@code permanent: true}, in the permanent one too). The rule reaches
 * firewall-cmd as one argument; no shell is involved, so its quotes are firewalld's own syntax.
 *
 * <p>Runtime rules vanish on {@code firewall-cmd --reload}; firewalld's {@code Reloaded} signal ({@link #monitor})
 * sets off a reconcile, {@link #missing} reports them and the reconcile puts them back.
 *
 * <p>Parameters: {@code zone} (default: firewalld's default zone), {@code blocktype} ({@code reject} or
 * {@code drop}), {@code permanent} ({@code false}).
 */
final class FirewalldRichRuleAction implements FirewallAction {

    static final String TYPE = "firewalld-rich-rule";
    static final Set<String> PARAMS = Set.of("zone", "blocktype", "permanent");

    private static final String TOOL = FirewallCmd.TOOL;
    private static final String ADDRESS_START = "source address=\"";

    private final CommandRunner runner;
    private final String configuredZone;
    private final String blocktype;
    private final boolean permanent;
    private String zone;

    FirewalldRichRuleAction(ActionSettings settings, CommandRunner runner) {
        ActionParams params = new ActionParams(settings, PARAMS);
        this.runner = runner;
        this.configuredZone = params.name("zone", null, 64);
        this.blocktype = params.choice("blocktype", "reject", List.of("reject", "drop"));
        this.permanent = params.flag("permanent", false);
        this.zone = configuredZone;
    }

    @Override
    public List<String> tools() {
        return List.of(FirewallCmd.TOOL);
    }

    @Override
    public String name() {
        return TYPE + ":" + (configuredZone == null ? "default-zone" : configuredZone);
    }

    /** The rich rule that bans canonical address {@code ip}, in the form firewalld lists it. */
    String rule(String ip) {
        return rule(Family.of(ip), ip);
    }

    private String rule(Family family, String address) {
        return "rule family=\"" + family.label + "\" source address=\"" + address + "\" " + blocktype;
    }

    @Override
    public synchronized void setUp() throws ActionException {
        FirewallCmd.requireRunning(runner, name());
        listed(false);
    }

    @Override
    public synchronized BanOutcome ban(List<Ban> bans) throws ActionException {
        return change(bans, "--add-rich-rule=", true, "rich rule not in zone " + zone + " after adding it");
    }

    @Override
    public synchronized BanOutcome unban(List<Ban> bans) throws ActionException {
        return change(bans, "--remove-rich-rule=", false, "rich rule still in zone " + zone);
    }

    /** Adds or removes the rules of {@code bans} (runtime, and permanent when configured), then checks the result. */
    private BanOutcome change(List<Ban> bans, String option, boolean wanted, String unexpected) {
        BanTargets targets = BanTargets.of(bans);
        BanTargets.Outcome outcome = targets.outcome();
        List<String> ips = targets.addresses();
        if (ips.isEmpty()) {
            return outcome.build();
        }
        try {
            String problem = change(option, ips, false);
            if (permanent) {
                String permanentProblem = change(option, ips, true);
                problem = problem != null ? problem : permanentProblem;
            }
            outcome.record(ips, present(ips), wanted, problem, unexpected);
        } catch (ActionException e) {
            outcome.failAll(ips, e.getMessage());
        }
        return outcome.build();
    }

    @Override
    public synchronized Set<String> missing(Collection<Ban> active) throws ActionException {
        BanTargets targets = BanTargets.of(active);
        // One listing of the zone's rules answers for both families.
        Set<String> listed = targets.isEmpty() ? Set.of() : listed(false);
        return targets.missing(family -> listed);
    }

    @Override
    public Optional<FirewallMonitor> monitor() {
        return Optional.of(FirewallCmd.monitor(runner));
    }

    /** Removes every rich rule of exactly the form this action writes, runtime and (when configured) permanent. */
    @Override
    public synchronized void tearDown() throws ActionException {
        List<String> runtime = new ArrayList<>(listed(false));
        String problem = change("--remove-rich-rule=", runtime, false);
        if (permanent) {
            List<String> saved = new ArrayList<>(listed(true));
            String permanentProblem = change("--remove-rich-rule=", saved, true);
            problem = problem != null ? problem : permanentProblem;
        }
        if (problem != null) {
            throw new ActionException(name() + ": cannot remove rich rules: " + problem);
        }
    }

    @Override
    public void close() {
        // Nothing held open.
    }

    /** Adds or removes the rules of {@code ips} in calls of {@link FirewallCmd#ITEMS_PER_CALL}; the last failure. */
    private String change(String option, List<String> ips, boolean toPermanent) throws ActionException {
        String problem = null;
        for (int from = 0; from < ips.size(); from += FirewallCmd.ITEMS_PER_CALL) {
            List<String> command = base(toPermanent);
            for (String ip : ips.subList(from, Math.min(ips.size(), from + FirewallCmd.ITEMS_PER_CALL))) {
                command.add(option + rule(ip));
            }
            CommandRunner.Result changed = runner.run(command);
            if (!changed.ok()) {
                problem = changed.failure();
            }
        }
        return problem;
    }

    /** Which of {@code ips} have their rule in the runtime zone: one query call for a few, the listing for many. */
    private Set<String> present(List<String> ips) throws ActionException {
        if (ips.size() > FirewallActions.CHECK_ONE_BY_ONE_UP_TO) {
            return BanTargets.inListing(ips, listed(false));
        }
        Map<String, String> byRule = new LinkedHashMap<>();
        for (String ip : ips) {
            byRule.put(rule(ip), ip);
        }
        List<String> command = base(false);
        for (String rule : byRule.keySet()) {
            command.add("--query-rich-rule=" + rule);
        }
        CommandRunner.Result queried = runner.run(command);
        List<String> rules = new ArrayList<>(byRule.keySet());
        Set<String> yes = FirewallCmd.answeredYes(queried, rules);
        if (yes.isEmpty() && !queried.ok() && !FirewallCmd.answeredNo(queried)) {
            throw new ActionException(name() + ": cannot query rich rules: " + queried.failure());
        }
        Set<String> present = new HashSet<>();
        for (String rule : yes) {
            present.add(byRule.get(rule));
        }
        return present;
    }

    /** Addresses whose rule, in exactly our form, is in the zone's runtime (or permanent) configuration. */
    Set<String> listed(boolean fromPermanent) throws ActionException {
        CommandRunner.Result listing = runner.run(base(fromPermanent, "--list-rich-rules"));
        if (!listing.ok()) {
            throw new ActionException(name() + ": cannot list rich rules: " + listing.failure());
        }
        if (listing.stdoutTruncated()) {
            throw new ActionException(name() + ": listing of rich rules is longer than the output limit");
        }
        return parseRules(listing.stdout());
    }

    /** Addresses of the lines that are exactly {@link #rule(String)} of their address; other rules are not ours. */
    Set<String> parseRules(String listing) {
        Set<String> addresses = new HashSet<>();
        for (String line : FirewallCmd.lines(listing)) {
            int start = line.indexOf(ADDRESS_START);
            if (start < 0) {
                continue;
            }
            start += ADDRESS_START.length();
            int end = line.indexOf('"', start);
            String address = end < 0 ? null : line.substring(start, end);
            String ip = address == null ? null : BanTargets.literal(address);
            if (ip != null && line.equals(rule(Family.of(ip), address))) {
                addresses.add(ip);
            }
        }
        return addresses;
    }

    private List<String> base(boolean toPermanent, String... options) throws ActionException {
        List<String> command = new ArrayList<>();
        command.add(TOOL);
        if (toPermanent) {
            command.add("--permanent");
        }
        command.add("--zone=" + zone());
        command.addAll(List.of(options));
        return command;
    }

    /** The configured zone, or firewalld's default zone, asked once. */
    private String zone() throws ActionException {
        if (zone == null) {
            CommandRunner.Result asked = runner.run(List.of(TOOL, "--get-default-zone"));
            String answer = asked.stdout().strip();
            if (!asked.ok() || !ActionParams.NAME.matcher(answer).matches()) {
                throw new ActionException(name() + ": cannot get firewalld's default zone: " + asked.failure());
            }
            zone = answer;
        }
        return zone;
    }
}
