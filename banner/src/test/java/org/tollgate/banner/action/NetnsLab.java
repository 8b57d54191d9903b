package org.tollgate.banner.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two network namespaces joined by a veth pair, for integration tests against the real firewall tools: the server
 * ({@value #SERVER4}, {@value #SERVER6}) runs a UDP listener on port {@value #PORT}, the attacker
 * ({@value #ATTACKER4}, {@value #ATTACKER6}) sends to it. Traffic crosses a real interface, as it would from
 * outside, so firewalld's zones and the input hook all apply.
 *
 * <p>Every firewall command goes through {@link #runner()}, which prefixes {@code ip netns exec <server>}: the host's
 * own firewall is never touched. {@link #close()} kills the listeners and deletes both namespaces.
 */
final class NetnsLab implements AutoCloseable {

    static final String SERVER4 = "192.0.2.1";
    static final String SERVER6 = "2001:db8::1";
    static final String ATTACKER4 = "192.0.2.50";
    static final String ATTACKER6 = "2001:db8::50";
    static final int PORT = 5060;

    private static final Duration ARRIVAL_WAIT = Duration.ofSeconds(8);
    private static final Duration DROP_WAIT = Duration.ofMillis(700);
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

    final String server;
    final String attacker;
    private final List<Process> listeners = new ArrayList<>();
    private final Set<String> received = ConcurrentHashMap.newKeySet();
    private final AtomicInteger probes = new AtomicInteger();

    /**
     * Skips the test class unless running as root, fails it when one of {@code tools} is missing, then builds the
     * namespaces and starts the listeners.
     */
    static NetnsLab create(String... tools) {
        assumeTrue(isRoot(), "network namespaces and firewalls need root; skipped for uid != 0");
        List<String> needed = new ArrayList<>(List.of("ip", "socat"));
        needed.addAll(List.of(tools));
        List<String> missing = new ArrayList<>();
        for (String tool : needed) {
            if (!onPath(tool)) {
                missing.add(tool);
            }
        }
        if (!missing.isEmpty()) {
            fail("firewall integration tests need " + missing + " on PATH; install with: apt-get install -y "
                    + "ipset nftables iptables firewalld dbus dbus-bin conntrack socat iproute2");
        }
        return new NetnsLab();
    }

    private NetnsLab() {
        String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        server = "tg-" + id;
        attacker = "tg-" + id + "-a";
        try {
            host("ip", "netns", "add", server);
            host("ip", "netns", "add", attacker);
            String serverLink = "t" + id + "s";
            String attackerLink = "t" + id + "a";
            host("ip", "link", "add", serverLink, "netns", server, "type", "veth", "peer", "name", attackerLink,
                    "netns", attacker);
            for (String[] side : new String[][] {{server, serverLink, SERVER4, SERVER6}, {attacker, attackerLink, ATTACKER4, ATTACKER6}}) {
                host("ip", "-n", side[0], "link", "set", "lo", "up");
                host("ip", "-n", side[0], "link", "set", side[1], "up");
                host("ip", "-n", side[0], "addr", "add", side[2] + "/24", "dev", side[1]);
                host("ip", "-n", side[0], "addr", "add", side[3] + "/64", "dev", side[1], "nodad");
            }
            listen("UDP4-RECV:" + PORT + ",bind=" + SERVER4);
            listen("UDP6-RECV:" + PORT + ",bind=[" + SERVER6 + "]");
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** Runs firewall tools inside the server namespace. */
    CommandRunner runner() {
        return runner(List.of());
    }

    /** As {@link #runner()}, with {@code more} after {@code ip netns exec <server>}, such as {@code env VAR=value}. */
    CommandRunner runner(List<String> more) {
        List<String> prefix = new ArrayList<>(List.of("ip", "netns", "exec", server));
        prefix.addAll(more);
        return new CommandRunner(prefix, Duration.ofSeconds(60));
    }

    /** Runs {@code command} inside the server namespace and returns its stdout; fails the test when it fails. */
    String inServer(String... command) {
        try {
            CommandRunner.Result result = runner().run(List.of(command));
            if (!result.ok()) {
                fail("in namespace " + server + ": " + result.failure());
            }
            return result.stdout();
        } catch (ActionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Asserts that datagrams from the attacker reach the listener again, allowing time for neighbour discovery. */
    void assertDelivered(Family family) {
        long deadline = System.nanoTime() + ARRIVAL_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String token = send(family);
            if (arrives(token, Duration.ofMillis(250))) {
                return;
            }
        }
        fail("no " + family + " datagram from the attacker reached " + (family == Family.V4 ? SERVER4 : SERVER6) + ":"
                + PORT + " within " + ARRIVAL_WAIT.toSeconds() + "s");
    }

    /** Asserts that none of three datagrams from the attacker reaches the listener. */
    void assertDropped(Family family) {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            tokens.add(send(family));
        }
        sleep(DROP_WAIT);
        for (String token : tokens) {
            assertThat(received).as("%s datagram from the banned attacker arrived", family).doesNotContain(token);
        }
    }

    /** Sends one datagram from the attacker's address; returns its token. */
    String send(Family family) {
        String token = "probe-" + probes.incrementAndGet();
        String to = family == Family.V4
                ? "UDP4-SENDTO:" + SERVER4 + ":" + PORT + ",bind=" + ATTACKER4
                : "UDP6-SENDTO:[" + SERVER6 + "]:" + PORT + ",bind=[" + ATTACKER6 + "]";
        try {
            Process sender = new ProcessBuilder("ip", "netns", "exec", attacker, "socat", "-u", "-", to)
                    .redirectErrorStream(true).start();
            sender.getOutputStream().write((token + "\n").getBytes(StandardCharsets.US_ASCII));
            sender.getOutputStream().close();
            if (!sender.waitFor(10, TimeUnit.SECONDS)) {
                sender.destroyForcibly();
                fail("socat sender did not finish");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return token;
    }

    private boolean arrives(String token, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (received.contains(token)) {
                return true;
            }
            sleep(Duration.ofMillis(10));
        }
        return received.contains(token);
    }

    private void listen(String address) {
        try {
            Process listener = new ProcessBuilder("ip", "netns", "exec", server, "socat", "-u", address, "-")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            listeners.add(listener);
            Thread reader = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(
                        new InputStreamReader(listener.getInputStream(), StandardCharsets.US_ASCII))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        received.add(line.strip());
                    }
                } catch (IOException e) {
                    // The listener was killed.
                }
            }, "udp-listener-" + address);
            reader.setDaemon(true);
            reader.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (Process listener : listeners) {
            listener.destroyForcibly();
        }
        for (String namespace : List.of(attacker, server)) {
            if (Files.exists(Path.of("/run/netns", namespace))) {
                try {
                    host("ip", "netns", "del", namespace);
                } catch (RuntimeException e) {
                    System.err.println("could not delete namespace " + namespace + ": " + e.getMessage());
                }
            }
        }
    }

    /** Runs one of the lab's own set-up commands on the host (namespace plumbing only, never a firewall). */
    private static void host(String... command) {
        try {
            CommandRunner.Result result = new CommandRunner(List.of(), STEP_TIMEOUT).run(List.of(command));
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

    static boolean onPath(String tool) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, tool))) {
                return true;
            }
        }
        return false;
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
