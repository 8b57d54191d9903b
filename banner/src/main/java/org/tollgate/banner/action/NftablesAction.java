package org.tollgate.banner.action;

import static org.tollgate.banner.action.NftJson.list;
import static org.tollgate.banner.action.NftJson.map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tollgate.banner.config.Echo;
import org.tollgate.banner.jail.ActionSettings;
import org.tollgate.banner.jail.Ban;

/**
 * Bans into table {@code inet <table>}: sets {@code v4} and {@code v6} with per-element timeouts, and a chain hooked
 * at {@code input} with priority {@code filter - 10}, ahead of a usual established/related accept at priority 0, so
 * a banned peer's ongoing dialog is cut too.
 *
 * <p>Every ban and unban is one {@code nft -f -} transaction that also declares the table, sets and chain: a call
 * after {@code nft flush ruleset} rebuilds them, and the firewall never shows half a batch. Elements are added,
 * deleted and added again in that transaction, because re-adding an existing element does not change its timeout
 * on every kernel.
 *
 * <p>A few bans at a time (the usual case: one attacker crossed maxretry) send that same transaction as one line to a
 * long-running {@code nft -i} session, where commands joined by {@code ;} on a line are one transaction; no process
 * is started on the ban's path. When the session is missing or says anything, the ban runs {@code nft -f -} as
 * above. nft prompts only on a terminal, so each line is followed by a listing that fails (a table name longer than
 * nft allows, with a counter), and the answer ends at that listing's echoed error.
 *
 * <p>Parameters: {@code table} (default {@value #DEFAULT_TABLE}), {@code blocktype} ({@code drop} or
 * {@code reject}).
 */
final class NftablesAction implements FirewallAction {

    static final String TYPE = "nftables";
    static final String DEFAULT_TABLE = "tollgate";
    static final Set<String> PARAMS = Set.of("table", "blocktype");
    static final String CHAIN = "input";

    private static final String NFT = "nft";
    /** Elements per statement: keeps each line of a 10,000-ban script short without splitting the transaction. */
    private static final int ELEMENTS_PER_STATEMENT = 1000;
    private static final JsonFactory JSON = new JsonFactory();
    /**
     * nft keeps every line of an interactive session in its history, in memory, and writes it to
     * {@code $HOME/.nft.history} at exit: a session is replaced after this many lines, and runs with a HOME where no
     * file can be written.
     */
    private static final int SESSION_LINES = 1000;
    private static final List<String> NFT_INTERACTIVE = List.of("env", "HOME=/dev/null", NFT, "-i");
    /** nft refuses names of 256 characters or more before asking the kernel, so this listing always fails. */
    private static final String SENTINEL_TABLE = "tollgate_end_" + "x".repeat(256) + "_";

    private final CommandRunner runner;
    private final InstantSource clock;
    private final String table;
    private final String blocktype;
    private final KeptSession session;

    NftablesAction(ActionSettings settings, CommandRunner runner, InstantSource clock) {
        ActionParams params = new ActionParams(settings, PARAMS);
        this.runner = runner;
        this.clock = clock;
        // nft identifiers take no '-' unquoted.
        this.table = params.name("table", DEFAULT_TABLE, 64);
        if (table.indexOf('-') >= 0) {
            throw params.error("table", "expected letters, digits or '_', was " + Echo.quote(table));
        }
        this.blocktype = params.choice("blocktype", "drop", List.of("drop", "reject"));
        this.session = new KeptSession(name(), NFT,
                () -> runner.sessionWithSentinel(NFT_INTERACTIVE, n -> "list set inet " + SENTINEL_TABLE + n + " s"),
                SESSION_LINES, clock);
    }

    @Override
    public List<String> tools() {
        return List.of(NFT);
    }

    @Override
    public String name() {
        return TYPE + ":" + table;
    }

    static String setName(Family family) {
        return family == Family.V4 ? "v4" : "v6";
    }

    @Override
    public synchronized void setUp() throws ActionException {
        CommandRunner.Result applied = apply(structure());
        if (!applied.ok()) {
            throw new ActionException(name() + ": cannot create table inet " + table + ": " + applied.failure());
        }
    }

    @Override
    public synchronized BanOutcome ban(List<Ban> bans) throws ActionException {
        BanTargets targets = BanTargets.of(bans);
        BanTargets.Outcome outcome = targets.outcome();
        if (targets.isEmpty()) {
            return outcome.build();
        }
        Instant now = clock.instant();
        StringBuilder script = structure();
        for (Family family : Family.values()) {
            List<String> ips = targets.addresses(family);
            List<String> timed = new ArrayList<>(ips.size());
            for (Map.Entry<String, Ban> entry : targets.of(family).entrySet()) {
                long seconds = KernelTimeouts.seconds(entry.getValue(), now);
                timed.add(seconds == 0 ? entry.getKey() : entry.getKey() + " timeout " + seconds + "s");
            }
            elements(script, "add", family, ips);
            elements(script, "delete", family, ips);
            elements(script, "add", family, timed);
        }
        String problem = session.sessionOrBatch(targets, List.of(script.toString().strip().replace("\n", "; ")),
                () -> apply(script));
        boolean ok = problem == null;
        // After a failed transaction only the listing tells whether the chain is still there.
        outcome.verify(targets, true, problem,
                (family, ips) -> ok ? present(family, ips) : inForce().get(family),
                family -> "not in set " + setName(family) + " after nft -f");
        return outcome.build();
    }

    @Override
    public synchronized BanOutcome unban(List<Ban> bans) throws ActionException {
        BanTargets targets = BanTargets.of(bans);
        BanTargets.Outcome outcome = targets.outcome();
        if (targets.isEmpty()) {
            return outcome.build();
        }
        StringBuilder script = structure();
        for (Family family : Family.values()) {
            // Adding first makes the delete valid for elements that are already gone.
            elements(script, "add", family, targets.addresses(family));
            elements(script, "delete", family, targets.addresses(family));
        }
        CommandRunner.Result applied = apply(script);
        String problem = applied.ok() ? null : applied.failure();
        outcome.verify(targets, false, problem, (family, ips) -> present(family, ips),
                family -> "still in set " + setName(family));
        return outcome.build();
    }

    /** Starts the session with a question about the probes (a {@code get element}, read only), as a ban's check asks. */
    @Override
    public synchronized void warmUp(Collection<Ban> probes) throws ActionException {
        for (Map.Entry<Family, List<String>> family : BanTargets.of(probes).addressesByFamily().entrySet()) {
            session.ask("get element inet " + table + " " + setName(family.getKey()) + " { "
                    + String.join(", ", family.getValue()) + " }");
            present(family.getKey(), family.getValue());
        }
    }

    @Override
    public synchronized Set<String> missing(Collection<Ban> active) throws ActionException {
        BanTargets targets = BanTargets.of(active);
        // One listing of the table answers for both families.
        Map<Family, Set<String>> inForce = targets.isEmpty() ? Map.of() : inForce();
        return targets.missing(inForce::get);
    }

    /** {@code nft monitor destroy}: a deletion of the table, a set or the chain. */
    @Override
    public Optional<FirewallMonitor> monitor() {
        return Optional.of(new FirewallMonitor(runner, NftablesDeletions.COMMAND, () -> new NftablesDeletions(table)));
    }

    @Override
    public synchronized void tearDown() throws ActionException {
        // Adding first makes the delete valid when the table is already gone.
        CommandRunner.Result deleted = apply(new StringBuilder()
                .append("add table inet ").append(table).append('\n')
                .append("delete table inet ").append(table).append('\n'));
        if (!deleted.ok()) {
            throw new ActionException(name() + ": cannot delete table inet " + table + ": " + deleted.failure());
        }
    }

    @Override
    public synchronized void close() {
        // Bans stay in the kernel with their timeouts; only the session ends.
        session.close();
    }

    /**
     * Runs the ban's transaction {@code script} as one line of the {@code nft -i} session. False when there is no
     * session, the batch is large (one {@code nft -f} is cheaper then), or nft said anything; the caller then runs the
     * script with {@code nft -f -}. As the line is one transaction, a failure leaves nothing half done.
     */


    /** Declarations of the table, both sets, and the chain with its two rules; idempotent as a whole. */
    StringBuilder structure() {
        String verdict = blocktype;
        String t = "inet " + table;
        return new StringBuilder()
                .append("add table ").append(t).append('\n')
                .append("add set ").append(t).append(" v4 { type ipv4_addr; flags timeout; }\n")
                .append("add set ").append(t).append(" v6 { type ipv6_addr; flags timeout; }\n")
                .append("add chain ").append(t).append(' ').append(CHAIN)
                .append(" { type filter hook input priority filter - 10; policy accept; }\n")
                // Flushed and refilled so that the rules are there exactly once, whatever was there before.
                .append("flush chain ").append(t).append(' ').append(CHAIN).append('\n')
                .append("add rule ").append(t).append(' ').append(CHAIN).append(" ip saddr @v4 ").append(verdict).append('\n')
                .append("add rule ").append(t).append(' ').append(CHAIN).append(" ip6 saddr @v6 ").append(verdict).append('\n');
    }

    private void elements(StringBuilder script, String verb, Family family, List<String> elements) {
        for (int from = 0; from < elements.size(); from += ELEMENTS_PER_STATEMENT) {
            List<String> chunk = elements.subList(from, Math.min(elements.size(), from + ELEMENTS_PER_STATEMENT));
            script.append(verb).append(" element inet ").append(table).append(' ').append(setName(family))
                    .append(" { ").append(String.join(", ", chunk)).append(" }\n");
        }
    }

    private CommandRunner.Result apply(CharSequence script) throws ActionException {
        return runner.run(List.of(NFT, "-f", "-"), script.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Which of {@code ips} are in the set: for a few, one {@code nft get element} for all of them, which succeeds
     * only when every one is there; for many, or when that fails, the table listing.
     */
    private Set<String> present(Family family, List<String> ips) throws ActionException {
        if (ips.size() <= FirewallActions.CHECK_ONE_BY_ONE_UP_TO) {
            List<String> command = new ArrayList<>(List.of("get", "element", "inet", table, setName(family)));
            command.add("{ " + String.join(", ", ips) + " }");
            // In the session a found element is listed; an error (any missing) starts with "Error:".
            String answer = session.running() ? session.ask(String.join(" ", command)) : null;
            if (answer != null && answer.startsWith("table inet " + table + " {")) {
                return new HashSet<>(ips);
            }
            command.add(0, NFT);
            if (runner.run(command).ok()) {
                return new HashSet<>(ips);
            }
        }
        return inForce().get(family);
    }

    /**
     * Addresses in force per family, from {@code nft -j list table}: an address counts when it is in its set and
     * the chain holds the rule that matches that set. Empty when the table is gone.
     */
    Map<Family, Set<String>> inForce() throws ActionException {
        CommandRunner.Result listing = runner.run(List.of(NFT, "-j", "list", "table", "inet", table));
        Map<Family, Set<String>> inForce = new EnumMap<>(Family.class);
        inForce.put(Family.V4, new HashSet<>());
        inForce.put(Family.V6, new HashSet<>());
        if (!listing.ok()) {
            if (listing.stderr().contains("No such file or directory")) {
                return inForce;
            }
            throw new ActionException(name() + ": cannot list table inet " + table + ": " + listing.failure());
        }
        if (listing.stdoutTruncated()) {
            throw new ActionException(name() + ": listing of table inet " + table + " is longer than the output limit");
        }
        try (JsonParser parser = JSON.createParser(listing.stdout())) {
            parser.nextToken();
            parseTable(readValue(parser), inForce);
        } catch (IOException e) {
            throw new ActionException(name() + ": unreadable listing of table inet " + table + ": " + e.getMessage(), e);
        }
        return inForce;
    }

    /** Fills {@code inForce} from the JSON of {@code nft -j list table inet <table>}, read by {@link #readValue}. */
    void parseTable(Object root, Map<Family, Set<String>> inForce) {
        Map<Family, Set<String>> members = new EnumMap<>(Family.class);
        members.put(Family.V4, new HashSet<>());
        members.put(Family.V6, new HashSet<>());
        boolean hooked = false;
        Set<Family> matched = new HashSet<>();
        for (Object item : list(map(root).get("nftables"))) {
            Map<String, Object> set = map(map(item).get("set"));
            if (table.equals(set.get("table"))) {
                Family family = "v4".equals(set.get("name")) ? Family.V4 : "v6".equals(set.get("name")) ? Family.V6 : null;
                for (Object element : family == null ? List.of() : list(set.get("elem"))) {
                    // A plain string, or {"elem": {"val": ..., "timeout": ..., "expires": ...}}.
                    Object value = element instanceof String ? element : map(map(element).get("elem")).get("val");
                    String ip = value instanceof String text ? BanTargets.literal(text) : null;
                    if (ip != null) {
                        members.get(family).add(ip);
                    }
                }
            }
            Map<String, Object> chain = map(map(item).get("chain"));
            if (table.equals(chain.get("table")) && CHAIN.equals(chain.get("name")) && "input".equals(chain.get("hook"))) {
                hooked = true;
            }
            Map<String, Object> rule = map(map(item).get("rule"));
            if (table.equals(rule.get("table")) && CHAIN.equals(rule.get("chain"))) {
                Family family = null;
                boolean blocks = false;
                for (Object expression : list(rule.get("expr"))) {
                    Object right = map(map(expression).get("match")).get("right");
                    if ("@v4".equals(right)) {
                        family = Family.V4;
                    } else if ("@v6".equals(right)) {
                        family = Family.V6;
                    }
                    blocks |= map(expression).containsKey("drop") || map(expression).containsKey("reject");
                }
                if (family != null && blocks) {
                    matched.add(family);
                }
            }
        }
        for (Family family : Family.values()) {
            if (hooked && matched.contains(family)) {
                inForce.get(family).addAll(members.get(family));
            }
        }
    }

    /** The JSON value at the parser's current token as maps, lists, strings, numbers, booleans and nulls. */
    static Object readValue(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == null) {
            throw new IOException("empty JSON");
        }
        switch (token) {
            case START_OBJECT: {
                Map<String, Object> object = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    parser.nextToken();
                    object.put(field, readValue(parser));
                }
                return object;
            }
            case START_ARRAY: {
                List<Object> array = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(readValue(parser));
                }
                return array;
            }
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return parser.getNumberValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected JSON token " + token);
        }
    }
}
