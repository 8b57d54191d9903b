package org.tollgate.banner.shield;

import java.util.List;

/**
 * The shield as the firewall shows it.
 *
 * @param backend  {@link Shield#name()}
 * @param inForce  whether every rule is there
 * @param rules    each rule that matters (allow, block, each rung and method, each User-Agent), in order
 * @param problems what the shield cannot do here, or what is missing
 */
public record ShieldStatus(String backend, boolean inForce, List<Rule> rules, List<String> problems) {

    public ShieldStatus {
        rules = List.copyOf(rules);
        problems = List.copyOf(problems);
    }

    /**
     * One rule and its counters.
     *
     * @param what    its comment: {@code ladder 3/60s}, {@code block list}, {@code user-agent friendly-scanner}
     * @param family  {@code ipv4} or {@code ipv6}
     * @param packets packets it matched (dropped, or accepted for the allow list)
     * @param bytes   their bytes
     */
    public record Rule(String what, String family, long packets, long bytes) {
    }
}
