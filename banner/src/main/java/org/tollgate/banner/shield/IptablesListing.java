package org.tollgate.banner.shield;

import java.util.ArrayList;
import java.util.List;

/** Reads the rules of {@code iptables -L <chain> -v -x -n}: each rule's packets, bytes and comment. */
final class IptablesListing {

    private IptablesListing() {
    }

    /** The rules that carry a comment ({@code /* ladder 3/60s *\/}), with their counters. */
    static List<ShieldStatus.Rule> rules(String listing, String family) {
        List<ShieldStatus.Rule> rules = new ArrayList<>();
        for (String line : listing.split("\n")) {
            int open = line.indexOf("/* ");
            int close = line.lastIndexOf(" */");
            String[] words = line.strip().split("\\s+");
            if (open < 0 || close < open || words.length < 2 || !words[0].matches("[0-9]+")
                    || !words[1].matches("[0-9]+")) {
                continue;
            }
            rules.add(new ShieldStatus.Rule(line.substring(open + 3, close), family, Long.parseLong(words[0]),
                    Long.parseLong(words[1])));
        }
        return rules;
    }
}
