package org.tollgate.banner.shield;

import static org.tollgate.banner.action.NftJson.list;
import static org.tollgate.banner.action.NftJson.map;
import static org.tollgate.banner.action.NftJson.text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tollgate.banner.action.ActionException;
import org.tollgate.banner.action.CommandRunner;
import org.tollgate.banner.action.FirewallMonitor;
import org.tollgate.banner.action.NftJson;
import org.tollgate.banner.action.NftablesDeletions;

/**
 * The shield in nftables: table {@code inet <name>} as {@link NftShieldRules} writes it, fed to {@code nft -f -} as one
 * transaction, and the User-Agent drops through iptables' string match ({@link UserAgentRules}) where it exists.
 * In force when the listing holds the chain hooked at input with every rule (by comment) and every set.
 */
final class NftShield implements Shield {

    private final ShieldSettings settings;
    private final CommandRunner runner;
    private final NftShieldRules rules;
    private final UserAgentRules userAgents;
    private volatile List<String> problems = List.of();

    NftShield(ShieldSettings settings, CommandRunner runner) {
        this.settings = settings;
        this.runner = runner;
        this.rules = new NftShieldRules(settings);
        this.userAgents = new UserAgentRules(settings, runner);
    }

    @Override
    public String name() {
        return "nftables:" + settings.name();
    }

    @Override
    public void apply(AddressList allow, AddressList block) throws ActionException {
        run(rules.replace(allow, block), "cannot apply the shield");
        String problem = userAgents.apply(allow);
        problems = problem == null ? List.of() : List.of(problem);
    }

    @Override
    public void reloadLists(AddressList allow, AddressList block) throws ActionException {
        run(rules.reloadLists(allow, block), "cannot load the allow and block lists");
        if (problems.isEmpty()) {
            String problem = userAgents.apply(allow);
            problems = problem == null ? List.of() : List.of(problem);
        }
    }

    @Override
    public List<String> missing() throws ActionException {
        Object listing = listing();
        List<String> missing = new ArrayList<>();
        if (listing == null) {
            missing.add("table inet " + settings.name());
            return missing;
        }
        Set<String> sets = new LinkedHashSet<>();
        Set<String> comments = new LinkedHashSet<>();
        boolean hooked = false;
        for (Object item : list(map(listing).get("nftables"))) {
            Map<String, Object> set = map(map(item).get("set"));
            if (!set.isEmpty()) {
                sets.add(text(set.get("name")));
            }
            Map<String, Object> chain = map(map(item).get("chain"));
            if (NftShieldRules.CHAIN.equals(chain.get("name")) && "input".equals(chain.get("hook"))) {
                hooked = true;
            }
            Map<String, Object> rule = map(map(item).get("rule"));
            if (NftShieldRules.CHAIN.equals(rule.get("chain")) && rule.containsKey("comment")) {
                comments.add(text(rule.get("comment")));
            }
        }
        if (!hooked) {
            missing.add("chain " + NftShieldRules.CHAIN);
        }
        for (String set : rules.sets()) {
            if (!sets.contains(set)) {
                missing.add("set " + set);
            }
        }
        for (String comment : new LinkedHashSet<>(rules.comments())) {
            if (!comments.contains(comment)) {
                missing.add("rule " + comment);
            }
        }
        if (problems.isEmpty() && userAgents.wanted() && !userAgents.inForce()) {
            missing.add("user-agent rules");
        }
        return missing;
    }

    @Override
    public ShieldStatus status() throws ActionException {
        Object listing = listing();
        List<ShieldStatus.Rule> found = new ArrayList<>();
        for (Object item : list(map(listing).get("nftables"))) {
            Map<String, Object> rule = map(map(item).get("rule"));
            if (!NftShieldRules.CHAIN.equals(rule.get("chain")) || !rule.containsKey("comment")) {
                continue;
            }
            long packets = 0;
            long bytes = 0;
            String family = "ipv4";
            for (Object expression : list(rule.get("expr"))) {
                Map<String, Object> counter = map(map(expression).get("counter"));
                if (!counter.isEmpty()) {
                    packets = ((Number) counter.getOrDefault("packets", 0)).longValue();
                    bytes = ((Number) counter.getOrDefault("bytes", 0)).longValue();
                }
                String words = String.valueOf(expression);
                if (words.contains("ip6") || words.contains("ipv6") || words.contains("_v6")) {
                    family = "ipv6";
                }
            }
            found.add(new ShieldStatus.Rule(text(rule.get("comment")), family, packets, bytes));
        }
        found.addAll(userAgents.status());
        List<String> missing = missing();
        List<String> all = new ArrayList<>(problems);
        missing.forEach(what -> all.add("not in force: " + what));
        return new ShieldStatus(name(), missing.isEmpty(), found, all);
    }

    @Override
    public void remove() throws ActionException {
        run("add table inet " + settings.name() + "\ndelete table inet " + settings.name() + "\n",
                "cannot remove the shield");
        try {
            userAgents.remove();
        } catch (ActionException e) {
            // No iptables: there were no User-Agent rules.
        }
    }

    @Override
    public Optional<FirewallMonitor> monitor() {
        List<String> chains = List.of(NftShieldRules.CHAIN, NftShieldRules.RATE_DROP, NftShieldRules.SCAN_DROP);
        return Optional.of(new FirewallMonitor(runner, NftablesDeletions.COMMAND,
                () -> NftablesDeletions.of(settings.name(), Set.copyOf(rules.sets()), Set.copyOf(chains))));
    }

    @Override
    public List<String> problems() {
        return problems;
    }

    private void run(String script, String what) throws ActionException {
        CommandRunner.Result result = runner.run(List.of("nft", "-f", "-"), script.getBytes(StandardCharsets.US_ASCII));
        if (!result.ok()) {
            throw new ActionException(name() + ": " + what + ": " + result.failure());
        }
    }

    /** {@code nft -j list table inet <name>}, or null when the table is not there. */
    private Object listing() throws ActionException {
        CommandRunner.Result listing = runner.run(List.of("nft", "-j", "list", "table", "inet", settings.name()));
        if (!listing.ok()) {
            if (listing.stderr().contains("No such file or directory")) {
                return null;
            }
            throw new ActionException(name() + ": cannot list table inet " + settings.name() + ": " + listing.failure());
        }
        try {
            return NftJson.parse(listing.stdout());
        } catch (IOException e) {
            throw new ActionException(name() + ": unreadable listing: " + e.getMessage(), e);
        }
    }
}
