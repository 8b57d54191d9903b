package org.tollgate.banner.action;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code nft monitor destroy} output for deletions of one action's table, sets or chain, as
 * {@code nft flush ruleset}, {@code nft delete table inet tollgate} or a firewall script that starts from scratch
 * make them:
 *
 * <pre>
 * delete rule inet tollgate input handle 3
 * delete set inet tollgate v4
 * delete chain inet tollgate input
 * delete table inet tollgate
 * </pre>
 *
 * Deleted elements and rules are no reason: every ban and unban of the action deletes some itself (it refills its
 * chain and re-adds elements to set their timeouts), so they would call for a reconcile after each. Newer nft
 * versions may say {@code destroy} for {@code delete}; both are read.
 */
public final class NftablesDeletions implements FirewallMonitor.Parser {

    public static final List<String> COMMAND = List.of("nft", "monitor", "destroy");

    private final String table;
    private final Set<String> sets;
    private final Set<String> chains;

    /** The ban action's table: its sets {@code v4}, {@code v6} and its chain. */
    NftablesDeletions(String table) {
        this(table, Set.of(NftablesAction.setName(Family.V4), NftablesAction.setName(Family.V6)),
                Set.of(NftablesAction.CHAIN));
    }

    private NftablesDeletions(String table, Set<String> sets, Set<String> chains) {
        this.table = table;
        this.sets = Set.copyOf(sets);
        this.chains = Set.copyOf(chains);
    }

    /** Deletions of table {@code inet <table>}, or of one of its {@code sets} or {@code chains}. */
    public static NftablesDeletions of(String table, Set<String> sets, Set<String> chains) {
        return new NftablesDeletions(table, sets, chains);
    }

    @Override
    public Optional<String> read(String line) {
        String[] words = line.strip().split(" ");
        if (words.length < 4 || !(words[0].equals("delete") || words[0].equals("destroy"))
                || !words[2].equals("inet") || !words[3].equals(table)) {
            return Optional.empty();
        }
        String what = words[1];
        boolean wholeTable = what.equals("table");
        String name = wholeTable || words.length < 5 ? null : words[4];
        boolean ours = switch (what) {
            case "table" -> true;
            case "set" -> name != null && sets.contains(name);
            case "chain" -> name != null && chains.contains(name);
            default -> false;
        };
        // After the name only a definition or a comment may follow ("{ ... }", "# handle 3").
        int after = wholeTable ? 4 : 5;
        if (!ours || words.length > after && !words[after].startsWith("{") && !words[after].startsWith("#")) {
            return Optional.empty();
        }
        return Optional.of("nftables " + what + " inet " + table + (name == null ? "" : " " + name) + " deleted");
    }
}
