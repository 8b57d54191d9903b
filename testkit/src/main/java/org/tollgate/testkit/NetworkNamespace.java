package org.tollgate.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A network namespace of the test's own, {@code tg-<random>}, with loopback up. Every firewall command goes through
 * {@link #exec}, {@link #run} or {@link #inside}, which prefix {@code ip netns exec <namespace>}, so the host's firewall
 * is never touched. {@link #close()} deletes the namespace, and with it every set, table and rule made in it; only a
 * namespace this object created is ever deleted.
 */
public final class NetworkNamespace implements AutoCloseable {

    private final String name;
    private boolean created;

    private NetworkNamespace(String name) {
        this.name = name;
    }

    /** Skips the test unless running as root; fails it when {@code ip} or one of {@code tools} is missing. */
    public static NetworkNamespace create(String... tools) {
        Requirements.assumeRoot();
        Requirements.requireTools(withTools(List.of("ip"), tools));
        return add("tg-" + randomId());
    }

    /** Adds namespace {@code name} on the host and brings its loopback up. */
    static NetworkNamespace add(String name) {
        NetworkNamespace namespace = new NetworkNamespace(name);
        try {
            host("ip", "netns", "add", name);
            namespace.created = true;
            host("ip", "-n", name, "link", "set", "lo", "up");
        } catch (RuntimeException | Error e) {
            namespace.close();
            throw e;
        }
        return namespace;
    }

    public String name() {
        return name;
    }

    /** {@code ip netns exec <namespace> command…}, as an argument list for a process or a command runner. */
    public List<String> exec(String... command) {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", name));
        argv.addAll(List.of(command));
        return argv;
    }

    /** Runs {@code command} inside the namespace; returns how it went, whatever its exit code. */
    public Commands.Result run(String... command) {
        return Commands.run(exec(command));
    }

    /** Runs {@code command} inside the namespace and returns its stdout; fails the test when it fails. */
    public String inside(String... command) {
        Commands.Result result = run(command);
        if (!result.ok()) {
            fail("in namespace " + name + ": " + result.failure());
        }
        return result.stdout();
    }

    @Override
    public void close() {
        if (created && Files.exists(Path.of("/run/netns", name))) {
            try {
                host("ip", "netns", "del", name);
                created = false;
            } catch (RuntimeException e) {
                System.err.println("could not delete namespace " + name + ": " + e.getMessage());
            }
        }
    }

    /** Namespace plumbing on the host ({@code ip netns}, {@code ip link}), never a firewall. */
    static void host(String... command) {
        Commands.Result result = Commands.run(command);
        if (!result.ok()) {
            throw new IllegalStateException(result.failure());
        }
    }

    static String randomId() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    static List<String> withTools(List<String> first, String... more) {
        List<String> tools = new ArrayList<>(first);
        tools.addAll(List.of(more));
        return tools;
    }
}
