package org.tollgate.banner.action;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.tollgate.banner.jail.ActionSettings;
import org.tollgate.banner.jail.Ban;

/**
 * Bans into two firewalld ipsets, {@code <set>} and {@code <set>-v6}, declared permanently with {@code timeout=0}
 * and bound as sources to a zone ({@code drop} by default), so everything from a banned address lands in that zone.
 * Entries are runtime only: firewalld keeps no entries of timeout sets on disk, and drops them on reload; its
 * {@code Reloaded} signal ({@link #monitor}) sets off a reconcile that finds them {@link #missing} and puts them back.
 *
 * <p>Bulk calls write the addresses to a file in a private temporary directory and pass
 * {@code --add-entries-from-file}, one call per family.
 *
 * <p>Parameters: {@code set} (default {@value #DEFAULT_SET}), {@code zone} (default {@value #DEFAULT_ZONE}).
 */
final class FirewalldIpsetAction implements FirewallAction {

    static final String TYPE = "firewalld-ipset";
    static final String DEFAULT_SET = "tollgate";
    static final String DEFAULT_ZONE = "drop";
    static final Set<String> PARAMS = Set.of("set", "zone");

    private static final String TOOL = FirewallCmd.TOOL;
    private static final int LONGEST_SET = 28;

    private final CommandRunner runner;
    private final String set;
    private final String zone;

    FirewalldIpsetAction(ActionSettings settings, CommandRunner runner) {
        ActionParams params = new ActionParams(settings, PARAMS);
        this.runner = runner;
        this.set = params.name("set", DEFAULT_SET, LONGEST_SET);
        this.zone = params.name("zone", DEFAULT_ZONE, 64);
    }

    @Override
    public List<String> tools() {
        return List.of(FirewallCmd.TOOL);
    }

    @Override
    public String name() {
        return TYPE + ":" + set;
    }

    String setName(Family family) {
        return family.ipsetName(set);
    }

    /**
     * Declares the sets and their zone bindings in the permanent configuration, then reloads firewalld when anything
     * was missing from the permanent or the runtime one.
     */
    @Override
    public synchronized void setUp() throws ActionException {
        FirewallCmd.requireRunning(runner, name());
        Set<String> saved = ipsets(true);
        Set<String> running = ipsets(false);
        boolean reload = false;
        for (Family family : Family.values()) {
            String name = setName(family);
            if (!saved.contains(name)) {
                require(runner.run(List.of(TOOL, "--permanent", "--new-ipset=" + name, "--type=hash:ip",
                        "--option=family=" + family.ipsetFamily, "--option=timeout=0")), "create ipset " + name);
                reload = true;
            }
            if (!bound(family, true)) {
                require(runner.run(List.of(TOOL, "--permanent", "--zone=" + zone, "--add-source=ipset:" + name)),
                        "bind ipset " + name + " to zone " + zone);
                reload = true;
            }
            reload |= !running.contains(name) || !bound(family, false);
        }
        if (reload) {
            require(runner.run(List.of(TOOL, "--reload")), "reload firewalld");
        }
    }

    @Override
    public synchronized BanOutcome ban(List<Ban> bans) throws ActionException {
        BanTargets targets = BanTargets.of(bans);
        BanTargets.Outcome outcome = targets.outcome();
        outcome.eachFamily(targets, (family, ips) -> {
            CommandRunner.Result added = withEntriesFile(family, "--add-entries-from-file=", ips);
            if (!added.ok() && added.message().contains("INVALID_IPSET")) {
                // The set was removed behind our back: declare it again and retry once.
                setUp();
                added = withEntriesFile(family, "--add-entries-from-file=", ips);
            }
            String problem = added.ok() ? null : added.failure();
            Set<String> present = bound(family, false) ? present(family, ips) : Set.of();
            outcome.record(ips, present, true, problem,
                    "not in force: entry missing from " + setName(family) + " or set not bound to " + zone);
        });
        return outcome.build();
    }

    @Override
    public synchronized BanOutcome unban(List<Ban> bans) throws ActionException {
        BanTargets targets = BanTargets.of(bans);
        BanTargets.Outcome outcome = targets.outcome();
        outcome.eachFamily(targets, (family, ips) -> {
            CommandRunner.Result removed = withEntriesFile(family, "--remove-entries-from-file=", ips);
            String problem = removed.ok() ? null : removed.failure();
            Set<String> present = present(family, ips);
            outcome.record(ips, present, false, problem, "still in " + setName(family));
        });
        return outcome.build();
    }

    @Override
    public synchronized Set<String> missing(Collection<Ban> active) throws ActionException {
        return BanTargets.of(active).missing(family -> bound(family, false) ? listed(family) : Set.of());
    }

    @Override
    public Optional<FirewallMonitor> monitor() {
        return Optional.of(FirewallCmd.monitor(runner));
    }

    /** Unbinds and deletes both sets from the permanent configuration, then reloads. */
    @Override
    public synchronized void tearDown() throws ActionException {
        Set<String> saved = ipsets(true);
        boolean reload = false;
        for (Family family : Family.values()) {
            String name = setName(family);
            if (bound(family, true)) {
                require(runner.run(List.of(TOOL, "--permanent", "--zone=" + zone, "--remove-source=ipset:" + name)),
                        "unbind ipset " + name);
                reload = true;
            }
            if (saved.contains(name)) {
                require(runner.run(List.of(TOOL, "--permanent", "--delete-ipset=" + name)), "delete ipset " + name);
                reload = true;
            }
        }
        if (reload) {
            require(runner.run(List.of(TOOL, "--reload")), "reload firewalld");
        }
    }

    @Override
    public void close() {
        // Entry files live only for the call that writes them.
    }

    /**
     * Runs {@code firewall-cmd --ipset=<set> <option><file>} with {@code ips} one per line in a file that only this
     * process can read, deleted afterwards.
     */
    private CommandRunner.Result withEntriesFile(Family family, String option, List<String> ips) throws ActionException {
        Path directory = null;
        Path file = null;
        try {
            directory = Files.createTempDirectory("tollgate-firewalld-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            file = directory.resolve("entries");
            Files.write(file, (String.join("\n", ips) + "\n").getBytes(StandardCharsets.US_ASCII));
            return runner.run(List.of(TOOL, "--ipset=" + setName(family), option + file));
        } catch (IOException e) {
            throw new ActionException(name() + ": cannot write the entries file: " + e.getMessage(), e);
        } finally {
            deleteQuietly(file);
            deleteQuietly(directory);
        }
    }

    /** Which of {@code ips} firewalld has in the set: one query call for a few, the entry list for many. */
    private Set<String> present(Family family, List<String> ips) throws ActionException {
        if (ips.size() > FirewallActions.CHECK_ONE_BY_ONE_UP_TO) {
            return BanTargets.inListing(ips, listed(family));
        }
        List<String> command = new ArrayList<>(List.of(TOOL, "--ipset=" + setName(family)));
        for (String ip : ips) {
            command.add("--query-entry=" + ip);
        }
        CommandRunner.Result queried = runner.run(command);
        Set<String> present = FirewallCmd.answeredYes(queried, ips);
        if (present.isEmpty() && !queried.ok() && !FirewallCmd.answeredNo(queried)
                && !queried.message().contains("INVALID_IPSET")) {
            throw new ActionException(name() + ": cannot query " + setName(family) + ": " + queried.failure());
        }
        return present;
    }

    /** Entries firewalld holds for the set at runtime; empty when the set does not exist. */
    Set<String> listed(Family family) throws ActionException {
        CommandRunner.Result listing = runner.run(List.of(TOOL, "--ipset=" + setName(family), "--get-entries"));
        if (!listing.ok()) {
            if (listing.message().contains("INVALID_IPSET")) {
                return Set.of();
            }
            throw new ActionException(name() + ": cannot list " + setName(family) + ": " + listing.failure());
        }
        if (listing.stdoutTruncated()) {
            throw new ActionException(name() + ": listing of " + setName(family) + " is longer than the output limit");
        }
        Set<String> entries = new HashSet<>();
        for (String line : FirewallCmd.lines(listing.stdout())) {
            String ip = BanTargets.literal(line);
            if (ip != null) {
                entries.add(ip);
            }
        }
        return entries;
    }

    /**
     * True when the set is a source of the zone, in the runtime or the permanent configuration; false too when the
     * set does not exist there.
     */
    private boolean bound(Family family, boolean inPermanent) throws ActionException {
        List<String> command = new ArrayList<>(List.of(TOOL));
        if (inPermanent) {
            command.add("--permanent");
        }
        command.addAll(List.of("--zone=" + zone, "--query-source=ipset:" + setName(family)));
        CommandRunner.Result queried = runner.run(command);
        if (queried.ok()) {
            return true;
        }
        if (FirewallCmd.answeredNo(queried) || queried.message().contains("INVALID_IPSET")) {
            return false;
        }
        throw new ActionException(name() + ": cannot query the sources of zone " + zone + ": " + queried.failure());
    }

    private Set<String> ipsets(boolean inPermanent) throws ActionException {
        CommandRunner.Result listed = runner.run(inPermanent
                ? List.of(TOOL, "--permanent", "--get-ipsets")
                : List.of(TOOL, "--get-ipsets"));
        require(listed, "list ipsets");
        return new HashSet<>(List.of(listed.stdout().strip().split("\\s+")));
    }

    private void require(CommandRunner.Result result, String what) throws ActionException {
        if (!result.ok()) {
            throw new ActionException(name() + ": cannot " + what + ": " + result.failure());
        }
    }

    private static void deleteQuietly(Path path) {
        if (path == null) {
            return;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // Left in the system temporary directory, readable by root alone.
        }
    }
}
