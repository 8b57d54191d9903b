package org.tollgate.banner.enforce;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.tollgate.banner.action.ActionException;
import org.tollgate.banner.action.CommandRunner;

/**
 * A network namespace of the test's own, {@code tg-<random>}, with only loopback up. Every firewall command goes
 * through {@link #runner()}, which prefixes {@code ip netns exec <namespace>}, so the host's firewall is never
 * touched. {@link #close()} deletes the namespace, and with it every set, table and rule made in it.
 */
final class NetworkNamespace implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    final String name;

    /** Skips the test unless running as root; fails it when one of {@code tools} is missing. */
    static NetworkNamespace create(String... tools) {
        assumeTrue(isRoot(), "network namespaces and firewalls need root; skipped for uid != 0");
        List<String> missing = new ArrayList<>();
        for (String tool : tools) {
            if (!onPath(tool)) {
                missing.add(tool);
            }
        }
        if (!missing.isEmpty()) {
            fail("enforcer integration tests need " + missing + " on PATH; install with: apt-get install -y "
                    + "ipset nftables iptables iproute2");
        }
        return new NetworkNamespace();
    }

    private NetworkNamespace() {
        name = "tg-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        host("ip", "netns", "add", name);
        try {
            host("ip", "netns", "exec", name, "ip", "link", "set", "lo", "up");
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** Runs tools inside the namespace. */
    CommandRunner runner() {
        return new CommandRunner(List.of("ip", "netns", "exec", name), TIMEOUT);
    }

    /** Runs {@code command} inside the namespace; returns how it went, whatever its exit code. */
    CommandRunner.Result run(String... command) {
        try {
            return runner().run(List.of(command));
        } catch (ActionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code command} inside the namespace and fails the test when it fails. */
    String inside(String... command) {
        CommandRunner.Result result = run(command);
        if (!result.ok()) {
            fail("in namespace " + name + ": " + result.failure());
        }
        return result.stdout();
    }

    @Override
    public void close() {
        if (Files.exists(Path.of("/run/netns", name))) {
            try {
                host("ip", "netns", "del", name);
            } catch (RuntimeException e) {
                System.err.println("could not delete namespace " + name + ": " + e.getMessage());
            }
        }
    }

    /** Namespace plumbing on the host: {@code ip netns add/del} and the first step into it, never a firewall. */
    private static void host(String... command) {
        try {
            CommandRunner.Result result = new CommandRunner(List.of(), TIMEOUT).run(List.of(command));
            if (!result.ok()) {
                throw new IllegalStateException(result.failure());
            }
        } catch (ActionException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isRoot() {
        try {
            return new CommandRunner().run(List.of("id", "-u")).stdout().strip().equals("0");
        } catch (ActionException e) {
            return false;
        }
    }

    private static boolean onPath(String tool) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, tool))) {
                return true;
            }
        }
        return false;
    }
}
