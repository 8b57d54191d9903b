package org.tollgate.banner.action;

/** Address family of a canonical IP literal; firewalls keep the two in separate sets, tables and tools. */
enum Family {
    V4("ipv4", "iptables", "iptables-restore", "inet"),
    V6("ipv6", "ip6tables", "ip6tables-restore", "inet6");

    /** The family as firewalld and conntrack name it. */
    final String label;
    final String iptables;
    final String iptablesRestore;
    /** The family as ipset names it. */
    final String ipsetFamily;

    Family(String label, String iptables, String iptablesRestore, String ipsetFamily) {
        this.label = label;
        this.iptables = iptables;
        this.iptablesRestore = iptablesRestore;
        this.ipsetFamily = ipsetFamily;
    }

    /**
     * This family's set of a pair of ipsets named for {@code base}: {@code base} itself for IPv4, {@code base-v6} for
     * IPv6, as the ipset and firewalld-ipset actions name them.
     */
    String ipsetName(String base) {
        return this == V4 ? base : base + "-v6";
    }

    /** The family of a canonical literal: IPv6 text always holds a colon, IPv4 text never does. */
    static Family of(String canonical) {
        return canonical.indexOf(':') >= 0 ? V6 : V4;
    }
}
