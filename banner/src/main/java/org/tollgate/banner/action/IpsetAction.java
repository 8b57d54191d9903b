package org.tollgate.banner.action;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.tollgate.banner.jail.ActionSettings;
import org.tollgate.banner.jail.Ban;

/**
 * Bans into two ipsets, {@code <set>} (IPv4) and {@code <set>-v6}, each matched by one iptables or ip6tables rule,
 * {@code -I INPUT -m set --match-set <set> src -j DROP}. Entries carry kernel timeouts equal to the ban's remaining
 * time (0 for permanent), so bans end on time even when Tollgate is not running. A bulk ban is one
 * {@code ipset restore -exist} fed on stdin; re-adding an entry just refreshes its timeout. A few bans at a time (the
 * usual case: one attacker crossed maxretry) go through a long-running {@code ipset -} session instead, started under
 * {@code stdbuf -o0} so its prompt is not held in a buffer: no process is started on the ban's path, and the
 * entry is in the set about a millisecond sooner.
 *
 * <p>Parameters: {@code set} (default {@value #DEFAULT_SET}), {@code blocktype} ({@code DROP} or {@code REJECT}),
 * {@code chain} (default {@code INPUT}), {@code protocol} ({@code all}, {@code tcp}, {@code udp}, {@code sctp}),
 * {@code port} (needs a protocol; {@code 5060}, {@code 5060,5061} or {@code 5060:5080}), {@code maxelem}.
 */
final class IpsetAction implements FirewallAction {

    static final String TYPE = "ipset";
    static final String DEFAULT_SET = "tollgate";
    static final int DEFAULT_MAXELEM = 65536;
    static final Set<String> PARAMS = Set.of("set", "blocktype", "chain", "protocol", "port", "maxelem");

    private static final String IPSET = "ipset";
    /** ipset names hold at most 31 characters; "-v6" is appended for the IPv6 set. */
    private static final int LONGEST_SET = 28;
    private static final int MAX_DESTROY_ATTEMPTS = 5;

    private final CommandRunner runner;
    private final InstantSource clock;
    private final String set;
    private final String blocktype;
    private final String chain;
    private final String protocol;
    private final String ports;
    private final int maxelem;
    /**
     * {@code ipset -}, under {@code stdbuf -o0}: without it ipset holds its prompt in a buffer and an answer's end
     * cannot be told.
     */
    private final KeptSession session;
    /**
     * {@link #setName}, made once: a method reference made in {@link #ban} would spin its class on the first real
     * ban's way, which the warm-up's rehearsal (on other sets) does not take.
     */
    private final Function<Family, String> setNames = this::setName;

    IpsetAction(ActionSettings settings, CommandRunner runner, InstantSource clock) {
        ActionParams params = new ActionParams(settings, PARAMS);
        this.runner = runner;
        this.clock = clock;
        this.set = params.name("set", DEFAULT_SET, LONGEST_SET);
        this.blocktype = params.choice("blocktype", "DROP", List.of("DROP", "REJECT"));
        this.chain = params.name("chain", "INPUT", 28);
        this.protocol = params.choice("protocol", "all", List.of("all", "tcp", "udp", "sctp"));
        this.ports = params.ports("port");
        if (ports != null && protocol.equals("all")) {
            throw params.error("port", "needs protocol tcp, udp or sctp beside it; iptables matches ports per protocol");
        }
        this.maxelem = params.integer("maxelem", DEFAULT_MAXELEM, 1, 1 << 26);
        this.session = new KeptSession(name(), IPSET,
                () -> runner.session(List.of("stdbuf", "-o0", IPSET, "-"), "ipset> "), Integer.MAX_VALUE, clock);
    }

    @Override
    public List<String> tools() {
        return List.of(IPSET);
    }

    @Override
    public String name() {
        return TYPE + ":" + set;
    }

    String setName(Family family) {
        return family.ipsetName(set);
    }

    @Override
    public synchronized void setUp() throws ActionException {
        CommandRunner.Result created = runner.run(List.of(IPSET, "restore", "-exist"), bytes(createLines()));
        if (!created.ok()) {
            String hint = created.stderr().contains("already exists")
                    ? " (a set of that name exists with other options: destroy it, or name another set)" : "";
            throw new ActionException(name() + ": cannot create sets " + setName(Family.V4) + " and "
                    + setName(Family.V6) + ": " + created.failure() + hint);
        }
        for (Family family : Family.values()) {
            ensureRule(family);
        }
    }

    @Override
    public synchronized BanOutcome ban(List<Ban> bans) throws ActionException {
        return add(bans, setNames, true);
    }

    /**
     * A ban's adds into the sets {@code sets} names, through the session (or one {@code ipset restore}), then checked:
     * each address tested in its set and, for the sets in use ({@code inUse}), the rule matching the set asked after
     * and put back when it is gone. The warm-up runs the same code on its throwaway sets ({@code inUse} false), so the
     * first ban's way is not a cold one.
     */
    private BanOutcome add(List<Ban> bans, Function<Family, String> sets, boolean inUse) throws ActionException {
        BanTargets targets = BanTargets.of(bans);
        BanTargets.Outcome outcome = targets.outcome();
        if (targets.isEmpty()) {
            return outcome.build();
        }
        List<String> adds = addLines(targets, sets, clock.instant());
        String problem = session.sessionOrBatch(targets, sessionLines(adds), () -> {
            StringBuilder script = createLines();
            adds.forEach(add -> script.append(add).append('\n'));
            return runner.run(List.of(IPSET, "restore", "-exist"), bytes(script));
        });
        outcome.verify(targets, true, problem, (family, ips) -> {
            if (inUse && !referenced(family)) {
                ensureRule(family);
            }
            return present(family, sets.apply(family), ips);
        }, family -> "not in set " + sets.apply(family) + " after restore");
        return outcome.build();
    }

    @Override
    public synchronized BanOutcome unban(List<Ban> bans) throws ActionException {
        BanTargets targets = BanTargets.of(bans);
        BanTargets.Outcome outcome = targets.outcome();
        if (targets.isEmpty()) {
            return outcome.build();
        }
        // Created first so that a missing set does not stop the restore at its first line.
        StringBuilder script = createLines();
        for (Family family : Family.values()) {
            for (String ip : targets.addresses(family)) {
                script.append("del ").append(setName(family)).append(' ').append(ip).append('\n');
            }
        }
        CommandRunner.Result restored = runner.run(List.of(IPSET, "restore", "-exist"), bytes(script));
        String problem = restored.ok() ? null : restored.failure();
        outcome.verify(targets, false, problem, (family, ips) -> present(family, setName(family), ips),
                family -> "still in set " + setName(family));
        return outcome.build();
    }

    /**
     * Tests the probes through the session (starting it), as a ban's check does, and rehearses a ban on a throwaway set
     * of each family ({@link #rehearsalSet}) through the code of {@link #ban}: never in the sets the rules match.
     */
    @Override
    public synchronized void warmUp(Collection<Ban> probes) throws ActionException {
        BanTargets targets = BanTargets.of(probes);
        targets.outcome().build();
        for (Map.Entry<Family, List<String>> family : targets.addressesByFamily().entrySet()) {
            referenced(family.getKey());
            present(family.getKey(), setName(family.getKey()), family.getValue());
        }
        List<Family> made = new ArrayList<>();
        List<Ban> rehearsed = new ArrayList<>();
        for (Family family : Family.values()) {
            Collection<Ban> ofFamily = targets.of(family).values();
            if (!ofFamily.isEmpty() && makeRehearsalSet(family)) {
                made.add(family);
                rehearsed.addAll(ofFamily);
            }
        }
        try {
            add(rehearsed, this::rehearsalSet, false);
        } finally {
            for (Family family : made) {
                session.ask("destroy " + rehearsalSet(family));
            }
        }
    }

    /**
     * The throwaway set of {@code family}'s warm-up: {@code <set>-w4} or {@code <set>-w6}, a {@code hash:ip} set with
     * {@code maxelem 1} (a size no ban set has) that no rule matches.
     */
    String rehearsalSet(Family family) {
        return set + (family == Family.V4 ? "-w4" : "-w6");
    }

    /**
     * Makes {@code family}'s throwaway set through the session, where a ban's add is rehearsed and which is destroyed
     * at once: the session's and the kernel's first add of a documentation address, so that the first real ban's add
     * is not a cold one. No rule matches that set, so no packet ever meets it; the sets the rules match are not
     * touched. A set of that name that is not such a throwaway set (another maxelem, or matched by a rule) is left
     * alone and false is returned (nothing is rehearsed in it); one left by a start that stopped during its warm-up is
     * used and destroyed.
     */
    private boolean makeRehearsalSet(Family family) {
        String scratch = rehearsalSet(family);
        String created = session.ask("create " + scratch + " hash:ip family " + family.ipsetFamily
                + " timeout 0 maxelem 1");
        return created != null && (created.isBlank() || leftFromARehearsal(scratch));
    }

    /** True when {@code scratch} is a set only {@link #makeRehearsalSet} makes: maxelem 1, matched by no rule. */
    private boolean leftFromARehearsal(String scratch) {
        String header = session.ask("list " + scratch + " -terse");
        return header != null && header.contains(" maxelem 1 ") && header.contains("\nReferences: 0\n");
    }

    @Override
    public synchronized Set<String> missing(Collection<Ban> active) throws ActionException {
        return BanTargets.of(active).missing(family -> ruleInForce(family) ? listed(family) : Set.of());
    }

    @Override
    public synchronized void tearDown() throws ActionException {
        for (Family family : Family.values()) {
            // Rules first: a set that a rule still references cannot be destroyed.
            for (int i = 0; i < 16 && ruleInForce(family); i++) {
                CommandRunner.Result deleted = runner.run(iptables(family, "-D"));
                if (!deleted.ok()) {
                    throw new ActionException(name() + ": cannot remove rule: " + deleted.failure());
                }
            }
            destroy(setName(family));
        }
    }

    @Override
    public synchronized void close() {
        // Bans stay in the kernel with their timeouts; only the session ends.
        session.close();
    }

    /** The add lines of {@code targets} into the sets {@code sets} names, IPv4 first. */
    private static List<String> addLines(BanTargets targets, Function<Family, String> sets, Instant now) {
        List<String> adds = new ArrayList<>();
        for (Family family : Family.values()) {
            for (Map.Entry<String, Ban> entry : targets.of(family).entrySet()) {
                adds.add(addLine(sets.apply(family), entry.getKey(), entry.getValue(), now));
            }
        }
        return adds;
    }

    /** The add lines as the session takes them: an entry there already just gets its timeout refreshed. */
    private static List<String> sessionLines(List<String> adds) {
        return adds.stream().map(add -> add + " -exist").toList();
    }

    /** {@code add <set> <ip> timeout <seconds left>}, for a restore script or the session. */
    private static String addLine(String setName, String ip, Ban ban, Instant now) {
        return "add " + setName + ' ' + ip + " timeout " + KernelTimeouts.seconds(ban, now);
    }



    /** {@code create} lines for both sets; with {@code -exist} they are a no-op for sets that already exist. */
    StringBuilder createLines() {
        StringBuilder lines = new StringBuilder();
        for (Family family : Family.values()) {
            lines.append("create ").append(setName(family)).append(" hash:ip family ").append(family.ipsetFamily)
                    .append(" timeout 0 maxelem ").append(maxelem).append('\n');
        }
        return lines;
    }

    /** The rule matching {@code family}'s set, as {@code <tool> -w <operation> <chain> <spec>}. */
    List<String> iptables(Family family, String operation) {
        List<String> command = new ArrayList<>(List.of(family.iptables, "-w", operation, chain));
        if (!protocol.equals("all")) {
            command.addAll(List.of("-p", protocol));
            if (ports != null) {
                command.addAll(List.of("-m", "multiport", "--dports", ports));
            }
        }
        command.addAll(List.of("-m", "set", "--match-set", setName(family), "src", "-j", blocktype));
        return command;
    }

    /**
     * True when the session says a rule matches {@code family}'s set: the kernel counts each iptables rule that
     * matches a set in its {@code References}. One line through the session instead of an {@code iptables -C} process
     * (a few milliseconds, tens on a busy machine) after every ban; false when the count is 0 or the session cannot
     * say, and the ban's check then runs {@code iptables -C} (and inserts the rule when it is gone). The exact rule is
     * checked at set-up and by every {@link #missing} (the periodic reconcile).
     */
    private boolean referenced(Family family) {
        String answer = session.ask("list " + setName(family) + " -terse");
        if (answer == null) {
            return false;
        }
        int at = answer.indexOf("\nReferences: ");
        if (at < 0) {
            return false;
        }
        int digits = at + "\nReferences: ".length();
        return digits < answer.length() && answer.charAt(digits) >= '1' && answer.charAt(digits) <= '9';
    }

    private void ensureRule(Family family) throws ActionException {
        if (ruleInForce(family)) {
            return;
        }
        List<String> insert = iptables(family, "-I");
        insert.add(4, "1");
        CommandRunner.Result inserted = runner.run(insert);
        if (!inserted.ok()) {
            throw new ActionException(name() + ": cannot insert the " + family.iptables + " rule: " + inserted.failure());
        }
    }

    /** True when the rule is there; exit 1 (no such rule) and 2 (no such set or chain) both mean it is not. */
    private boolean ruleInForce(Family family) throws ActionException {
        CommandRunner.Result checked = runner.run(iptables(family, "-C"));
        if (checked.exitCode() == 0) {
            return true;
        }
        if (checked.exitCode() == 1 || checked.exitCode() == 2) {
            return false;
        }
        throw new ActionException(name() + ": cannot check the " + family.iptables + " rule: " + checked.failure());
    }

    /**
     * Which of {@code ips} are in {@code family}'s set {@code name}: one {@code ipset test} each for a few, one listing
     * for many.
     */
    private Set<String> present(Family family, String name, List<String> ips) throws ActionException {
        if (ips.size() > FirewallActions.CHECK_ONE_BY_ONE_UP_TO) {
            return BanTargets.inListing(ips, listed(name));
        }
        Set<String> inSession = testedInSession(name, ips);
        if (inSession != null) {
            return inSession;
        }
        Set<String> present = new HashSet<>();
        for (String ip : ips) {
            CommandRunner.Result tested = runner.run(List.of(IPSET, "test", name, ip));
            if (tested.ok()) {
                present.add(ip);
            } else if (!tested.stderr().contains("is NOT in set") && !tested.stderr().contains("does not exist")) {
                throw new ActionException(name() + ": cannot test " + ip + ": " + tested.failure());
            }
        }
        return present;
    }

    /** Which of {@code ips} are in set {@code name}, asked through the session; null without one or when it fails. */
    private Set<String> testedInSession(String name, List<String> ips) {
        Set<String> present = new HashSet<>();
        for (String ip : ips) {
            String answer = session.ask("test " + name + ' ' + ip);
            if (answer == null) {
                return null;
            }
            if (answer.contains(" is in set ")) {
                present.add(ip);
            } else if (!answer.contains(" is NOT in set ") && !answer.contains("does not exist")) {
                return null;
            }
        }
        return present;
    }

    /** Every address in {@code family}'s set; empty when the set does not exist. */
    Set<String> listed(Family family) throws ActionException {
        return listed(setName(family));
    }

    /** Every address in set {@code name}; empty when the set does not exist. */
    private Set<String> listed(String name) throws ActionException {
        CommandRunner.Result listing = runner.run(List.of(IPSET, "list", name, "-output", "save"));
        if (!listing.ok()) {
            if (listing.stderr().contains("does not exist")) {
                return Set.of();
            }
            throw new ActionException(name() + ": cannot list set " + name + ": " + listing.failure());
        }
        if (listing.stdoutTruncated()) {
            throw new ActionException(name() + ": listing of set " + name + " is longer than the output limit");
        }
        return parseSave(listing.stdout(), name);
    }

    /** Addresses from {@code ipset save} output: lines {@code add <set> <ip> [timeout N]}. */
    static Set<String> parseSave(String save, String setName) {
        Set<String> addresses = new HashSet<>();
        String prefix = "add " + setName + " ";
        for (String line : save.split("\n")) {
            if (!line.startsWith(prefix)) {
                continue;
            }
            int start = prefix.length();
            int end = line.indexOf(' ', start);
            String ip = BanTargets.literal(line.substring(start, end < 0 ? line.length() : end));
            if (ip != null) {
                addresses.add(ip);
            }
        }
        return addresses;
    }

    private void destroy(String name) throws ActionException {
        for (int attempt = 1; ; attempt++) {
            CommandRunner.Result destroyed = runner.run(List.of(IPSET, "destroy", name));
            if (destroyed.ok() || destroyed.stderr().contains("does not exist")) {
                return;
            }
            // The kernel lets go of a set a moment after the last rule using it is gone.
            if (attempt == MAX_DESTROY_ATTEMPTS || !destroyed.stderr().contains("in use")) {
                throw new ActionException(name() + ": cannot destroy set " + name + ": " + destroyed.failure());
            }
            try {
                Thread.sleep(100L * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ActionException(name() + ": interrupted while destroying set " + name, e);
            }
        }
    }

    private static byte[] bytes(CharSequence text) {
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
