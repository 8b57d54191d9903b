package org.tollgate.banner.action;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A long-running command whose output tells when a firewall dropped what an action put there (a firewalld reload,
 * an {@code nft flush ruleset}), so that the bans can be put back at once instead of at the next periodic
 * reconcile. It runs through the action's {@link CommandRunner}, prefix included, so it watches the same firewall the
 * action changes.
 *
 * @param runner  starts the command
 * @param command the command, tool first, as {@link CommandRunner#spawn} takes it
 * @param parsers a fresh reader of the command's output for each run of it (readers may keep state across lines)
 */
public record FirewallMonitor(CommandRunner runner, List<String> command, Supplier<Parser> parsers) {

    public FirewallMonitor {
        Objects.requireNonNull(runner, "runner");
        command = List.copyOf(command);
        Objects.requireNonNull(parsers, "parsers");
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty monitor command");
        }
    }

    /** Monitors with the same key run the same command the same way: one running process serves them all. */
    public List<String> key() {
        List<String> key = new ArrayList<>(runner.prefix());
        key.addAll(command);
        return key;
    }

    /** The tool, for logs and thread names. */
    public String tool() {
        return command.get(0);
    }

    /** Reads a monitor's output, one line at a time. */
    @FunctionalInterface
    public interface Parser {

        /** Why the firewall must be reconciled now, when {@code line} says it dropped bans; empty otherwise. */
        Optional<String> read(String line);
    }
}
