package org.tollgate.banner.shield;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.tollgate.normalizer.message.KernelMessages;

/**
 * The shield as one nftables script, built only from validated settings (ports and counts are numbers, methods come
 * from a fixed list, addresses from {@link AddressList}): table {@code inet <name>} with
 *
 * <ul>
 *   <li>{@code allow_v4/v6} and {@code block_v4/v6}: interval sets of the lists; allowed sources are accepted first,
 *       blocked ones dropped on every port;</li>
 *   <li>{@code r<i>_v4/v6}: one dynamic set per ladder rung, each element a source address with its own token bucket
 *       ({@code update @r0_v4 { ip saddr limit rate over 180/hour burst 3 packets }}) and a timeout of the rung's
 *       window, so a quiet source is forgotten;</li>
 *   <li>{@code m_<method>_v4/v6}: the same per method, for UDP datagrams whose payload starts with the method
 *       ({@code @ih} raw payload matches, Linux 5.16+);</li>
 *   <li>chain {@code input} hooked at priority {@code filter - 5} (after the bans' table at -10), and chains
 *       {@code rate_drop} and {@code scan_drop} that log (at most 10 lines a second) and drop.</li>
 * </ul>
 *
 * Only new connections count for the ladder ({@code ct state new}: a TCP connection, a UDP flow from a new address and
 * port or after the flow's conntrack entry expired), so a registered phone's re-REGISTERs on its flow do not.
 * Every rule that drops has a counter and a comment, read back by {@code tollgate shield status}.
 */
final class NftShieldRules {

    static final String CHAIN = "input";
    static final String RATE_DROP = "rate_drop";
    static final String SCAN_DROP = "scan_drop";
    /** Elements per dynamic set: bounds the kernel's memory; sources past it are not limited until others expire. */
    static final int DYNAMIC_SET_SIZE = 65_535;
    private static final String LOG_LIMIT = "limit rate 10/second burst 20 packets";

    private final ShieldSettings settings;
    private final String table;

    NftShieldRules(ShieldSettings settings) {
        this.settings = settings;
        this.table = "inet " + settings.name();
    }

    /**
     * The whole shield as one transaction that replaces whatever the table held: added (so the delete never fails),
     * deleted, and declared anew. nft applies a file as one transaction: the firewall never shows half a shield.
     */
    String replace(AddressList allow, AddressList block) {
        StringBuilder script = new StringBuilder();
        script.append("add table ").append(table).append('\n');
        script.append("delete table ").append(table).append('\n');
        script.append("table ").append(table).append(" {\n");
        for (String list : new String[] {"allow", "block"}) {
            AddressList entries = list.equals("allow") ? allow : block;
            for (boolean v6 : new boolean[] {false, true}) {
                script.append("  set ").append(list).append(family(v6)).append(" { type ").append(type(v6))
                        .append("; flags interval; auto-merge;");
                List<String> elements = entries.entries(v6);
                if (!elements.isEmpty()) {
                    script.append(" elements = { ").append(String.join(", ", elements)).append(" };");
                }
                script.append(" }\n");
            }
        }
        for (Map.Entry<String, ShieldSettings.Rung> limit : limits().entrySet()) {
            for (boolean v6 : new boolean[] {false, true}) {
                script.append("  set ").append(limit.getKey()).append(family(v6)).append(" { type ").append(type(v6))
                        .append("; size ").append(DYNAMIC_SET_SIZE).append("; flags dynamic,timeout; timeout ")
                        .append(limit.getValue().within().getSeconds()).append("s; }\n");
            }
        }
        script.append("  chain ").append(RATE_DROP).append(" {\n");
        if (settings.log()) {
            script.append("    ").append(LOG_LIMIT).append(" log prefix \"").append(KernelMessages.RATE_PREFIX)
                    .append("\" level warn\n");
        }
        script.append("    drop\n  }\n");
        script.append("  chain ").append(SCAN_DROP).append(" {\n");
        if (settings.log()) {
            script.append("    ").append(LOG_LIMIT).append(" log prefix \"").append(KernelMessages.SCAN_PREFIX)
                    .append("\" level warn\n");
        }
        script.append("    drop\n  }\n");
        script.append("  chain ").append(CHAIN).append(" {\n");
        script.append("    type filter hook input priority filter - 5; policy accept;\n");
        for (String rule : rules()) {
            script.append("    ").append(rule).append('\n');
        }
        script.append("  }\n}\n");
        return script.toString();
    }

    /** The input chain's rules, in order, each with its counter and comment. */
    List<String> rules() {
        List<String> rules = new ArrayList<>();
        for (boolean v6 : new boolean[] {false, true}) {
            rules.add(saddr(v6) + " @allow" + family(v6) + " counter accept comment \"allow list\"");
        }
        for (boolean v6 : new boolean[] {false, true}) {
            rules.add(saddr(v6) + " @block" + family(v6) + " counter drop comment \"block list\"");
        }
        if (settings.ports().isEmpty()) {
            return rules;
        }
        String ports = settings.ports().size() == 1 ? settings.ports().get(0).toString()
                : "{ " + settings.ports().stream().map(String::valueOf).collect(Collectors.joining(", ")) + " }";
        if (settings.protocols().contains("udp")) {
            for (Map.Entry<String, ShieldSettings.Rung> method : new java.util.TreeMap<>(settings.methods()).entrySet()) {
                String name = method.getKey();
                ShieldSettings.Rung rung = method.getValue();
                for (boolean v6 : new boolean[] {false, true}) {
                    rules.add("meta nfproto " + nfproto(v6) + " udp dport " + ports + " " + payloadStartsWith(name + " ")
                            + " update @" + methodSet(name) + family(v6) + " { " + saddr(v6) + " " + limit(rung)
                            + " } counter goto " + SCAN_DROP + " comment \"method " + name + " " + rung + "\"");
                }
            }
        }
        String l4 = settings.protocols().size() == 2 ? "meta l4proto { udp, tcp }"
                : "meta l4proto " + settings.protocols().get(0);
        for (int i = 0; i < settings.ladder().size(); i++) {
            ShieldSettings.Rung rung = settings.ladder().get(i);
            for (boolean v6 : new boolean[] {false, true}) {
                rules.add("meta nfproto " + nfproto(v6) + " " + l4 + " th dport " + ports + " ct state new update @r" + i
                        + family(v6) + " { " + saddr(v6) + " " + limit(rung) + " } counter goto " + RATE_DROP
                        + " comment \"ladder " + rung + "\"");
            }
        }
        return rules;
    }

    /** The comments of {@link #rules()}, in order: what a listing must show for the shield to be in force. */
    List<String> comments() {
        List<String> comments = new ArrayList<>();
        for (String rule : rules()) {
            int at = rule.lastIndexOf("comment \"");
            comments.add(rule.substring(at + 9, rule.length() - 1));
        }
        return comments;
    }

    /** Every set's name, for the monitor and the listing. */
    List<String> sets() {
        List<String> sets = new ArrayList<>();
        for (String name : List.of("allow", "block")) {
            sets.add(name + "_v4");
            sets.add(name + "_v6");
        }
        for (String name : limits().keySet()) {
            sets.add(name + "_v4");
            sets.add(name + "_v6");
        }
        return sets;
    }

    /** The allow and block sets refilled, in one transaction, leaving the limits' state alone. */
    String reloadLists(AddressList allow, AddressList block) {
        StringBuilder script = new StringBuilder();
        for (String list : new String[] {"allow", "block"}) {
            AddressList entries = list.equals("allow") ? allow : block;
            for (boolean v6 : new boolean[] {false, true}) {
                String set = list + family(v6);
                script.append("flush set ").append(table).append(' ').append(set).append('\n');
                List<String> elements = entries.entries(v6);
                if (!elements.isEmpty()) {
                    script.append("add element ").append(table).append(' ').append(set).append(" { ")
                            .append(String.join(", ", elements)).append(" }\n");
                }
            }
        }
        return script.toString();
    }

    /** The dynamic limit sets by name prefix ({@code r0_}, {@code m_options_}), each with its rung. */
    private Map<String, ShieldSettings.Rung> limits() {
        Map<String, ShieldSettings.Rung> limits = new LinkedHashMap<>();
        for (int i = 0; i < settings.ladder().size(); i++) {
            limits.put("r" + i, settings.ladder().get(i));
        }
        if (settings.protocols().contains("udp")) {
            new java.util.TreeMap<>(settings.methods()).forEach((method, rung) -> limits.put(methodSet(method), rung));
        }
        return limits;
    }

    private static String methodSet(String method) {
        return "m_" + method.toLowerCase(Locale.ROOT);
    }

    /** {@code @ih,0,<bits> 0x<hex>}: the UDP payload starts with {@code text} (ASCII). */
    static String payloadStartsWith(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        StringBuilder hex = new StringBuilder();
        for (byte b : bytes) {
            hex.append(String.format("%02x", b));
        }
        return "@ih,0," + bytes.length * 8 + " 0x" + hex;
    }

    private static String limit(ShieldSettings.Rung rung) {
        return "limit rate over " + rung.rate() + " burst " + rung.count() + " packets";
    }

    private static String family(boolean v6) {
        return v6 ? "_v6" : "_v4";
    }

    private static String type(boolean v6) {
        return v6 ? "ipv6_addr" : "ipv4_addr";
    }

    private static String saddr(boolean v6) {
        return v6 ? "ip6 saddr" : "ip saddr";
    }

    private static String nfproto(boolean v6) {
        return v6 ? "ipv6" : "ipv4";
    }
}
