package org.tollgate.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two network namespaces joined by a veth pair, for tests against the real firewall tools: the server
 * ({@value #SERVER4}, {@value #SERVER6}) runs a UDP listener on port {@value #PORT}, the attacker
 * ({@value #ATTACKER4}, {@value #ATTACKER6}) sends to it. Traffic crosses a real interface, as it would from outside,
 * so firewalld's zones and the input hook all apply, and a ban shows where it matters: the datagrams stop arriving.
 * The attacker side also holds a bystander's addresses ({@value #BYSTANDER4}, {@value #BYSTANDER6}), never banned:
 * a datagram of the bystander's that arrives shows that the attacker's, sent just before it on the same path, would
 * have arrived by then too, so a drop is seen without waiting for a fixed time.
 *
 * <p>Firewall commands run in {@link #server()}, under {@code ip netns exec}: the host's own firewall is never
 * touched. {@link #close()} kills the listeners and deletes both namespaces (and with them every rule and set made
 * inside).
 */
public final class NamespacePair implements AutoCloseable {

    public static final String SERVER4 = "192.0.2.1";
    public static final String SERVER6 = "2001:db8::1";
    public static final String ATTACKER4 = "192.0.2.50";
    public static final String ATTACKER6 = "2001:db8::50";
    public static final String BYSTANDER4 = "192.0.2.60";
    public static final String BYSTANDER6 = "2001:db8::60";
    public static final int PORT = 5060;

    /** How long one datagram is waited for before another is sent (the first may wait for neighbour discovery). */
    private static final Duration PROBE_WAIT = Duration.ofMillis(500);

    private final String id = NetworkNamespace.randomId();
    private NetworkNamespace server;
    private NetworkNamespace attacker;
    private final List<Process> listeners = new ArrayList<>();
    private final Set<String> received = ConcurrentHashMap.newKeySet();
    private final AtomicInteger probes = new AtomicInteger();

    /**
     * Skips the test unless running as root, fails it when {@code ip}, {@code socat} or one of {@code tools} is
     * missing, then builds the namespaces and starts the listeners.
     */
    public static NamespacePair create(String... tools) {
        Requirements.assumeRoot();
        Requirements.requireTools(NetworkNamespace.withTools(List.of("ip", "socat"), tools));
        return new NamespacePair();
    }

    private NamespacePair() {
        try {
            server = NetworkNamespace.add("tg-" + id);
            attacker = NetworkNamespace.add("tg-" + id + "-a");
            String serverLink = "t" + id + "s";
            String attackerLink = "t" + id + "a";
            NetworkNamespace.host("ip", "link", "add", serverLink, "netns", server.name(), "type", "veth", "peer",
                    "name", attackerLink, "netns", attacker.name());
            address(server, serverLink, SERVER4, SERVER6);
            address(attacker, attackerLink, ATTACKER4, ATTACKER6);
            address(attacker, attackerLink, BYSTANDER4, BYSTANDER6);
            listen("UDP4-RECV:" + PORT + ",bind=" + SERVER4);
            listen("UDP6-RECV:" + PORT + ",bind=[" + SERVER6 + "]");
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private static void address(NetworkNamespace side, String link, String ipv4, String ipv6) {
        NetworkNamespace.host("ip", "-n", side.name(), "link", "set", link, "up");
        NetworkNamespace.host("ip", "-n", side.name(), "addr", "add", ipv4 + "/24", "dev", link);
        NetworkNamespace.host("ip", "-n", side.name(), "addr", "add", ipv6 + "/64", "dev", link, "nodad");
    }

    /** The namespace with the listener, where the firewall under test runs. */
    public NetworkNamespace server() {
        return server;
    }

    public NetworkNamespace attacker() {
        return attacker;
    }

    /** Runs {@code command} inside the server namespace and returns its stdout; fails the test when it fails. */
    public String inServer(String... command) {
        return server.inside(command);
    }

    /**
     * Sends datagrams from {@code from} ({@link #ATTACKER4} or {@link #ATTACKER6}) until one of them arrives or
     * {@code within} passes.
     *
     * @return true when one arrived
     */
    public boolean deliveredFrom(String from, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        List<String> sent = new ArrayList<>();
        do {
            sent.add(send(from));
            if (arrives(sent, PROBE_WAIT)) {
                return true;
            }
        } while (System.nanoTime() < deadline);
        return false;
    }

    /**
     * Sends datagrams from {@code from} until {@code inARow} in a row are lost or {@code within} passes: for a ban
     * that is still on its way. A datagram counts as lost when one the bystander sent after it arrived and it did not.
     *
     * @return true when that many in a row were lost
     */
    public boolean droppedFrom(String from, int inARow, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        int lost = 0;
        do {
            lost = lost(from) ? lost + 1 : 0;
            if (lost == inARow) {
                return true;
            }
        } while (System.nanoTime() < deadline);
        return false;
    }

    /** Asserts that datagrams from {@code from} reach the listener again, allowing time for neighbour discovery. */
    public void assertDeliveredFrom(String from) {
        if (!deliveredFrom(from, Waits.PATIENCE)) {
            fail("no datagram from " + from + " reached " + target(from) + " port " + PORT + " within "
                    + Waits.PATIENCE_SECONDS + "s");
        }
    }

    /** Asserts that none of three datagrams from {@code from} reaches the listener: for a ban already in force. */
    public void assertDroppedFrom(String from) {
        for (int i = 0; i < 3; i++) {
            if (!lost(from)) {
                fail("a datagram from the banned " + from + " arrived");
            }
        }
    }

    /**
     * Sends a datagram from {@code from}, then from the bystander of its family until one of the bystander's arrives;
     * true when {@code from}'s has not arrived by then.
     */
    private boolean lost(String from) {
        String token = send(from);
        String bystander = from.indexOf(':') < 0 ? BYSTANDER4 : BYSTANDER6;
        if (!deliveredFrom(bystander, Waits.PATIENCE)) {
            fail("no datagram from the bystander " + bystander + " reached " + target(from) + " port " + PORT
                    + " within " + Waits.PATIENCE_SECONDS + "s");
        }
        return !received.contains(token);
    }

    /** Sends one datagram from {@code from} to the server address of its family; returns its token. */
    public String send(String from) {
        String token = "probe-" + probes.incrementAndGet();
        String to = from.indexOf(':') < 0
                ? "UDP4-SENDTO:" + target(from) + ":" + PORT + ",bind=" + from
                : "UDP6-SENDTO:[" + target(from) + "]:" + PORT + ",bind=[" + from + "]";
        try {
            Process sender = new ProcessBuilder(attacker.exec("socat", "-u", "-", to)).redirectErrorStream(true).start();
            sender.getOutputStream().write((token + "\n").getBytes(StandardCharsets.US_ASCII));
            sender.getOutputStream().close();
            if (!sender.waitFor(Waits.PATIENCE_SECONDS, TimeUnit.SECONDS)) {
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

    private static String target(String from) {
        if (from.equals(ATTACKER4) || from.equals(BYSTANDER4)) {
            return SERVER4;
        }
        if (from.equals(ATTACKER6) || from.equals(BYSTANDER6)) {
            return SERVER6;
        }
        throw new IllegalArgumentException("the attacker side's addresses are " + ATTACKER4 + ", " + ATTACKER6 + ", "
                + BYSTANDER4 + " and " + BYSTANDER6 + ", was '" + from + "'");
    }

    /** True once any of {@code tokens} arrived, waiting up to {@code within}. */
    private boolean arrives(List<String> tokens, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (tokens.stream().noneMatch(received::contains) && System.nanoTime() < deadline) {
            Waits.sleep(Duration.ofMillis(10));
        }
        return tokens.stream().anyMatch(received::contains);
    }

    private void listen(String address) {
        Process listener;
        try {
            listener = new ProcessBuilder(server.exec("socat", "-u", address, "-"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
    }

    @Override
    public void close() {
        for (Process listener : listeners) {
            listener.destroyForcibly();
        }
        for (NetworkNamespace namespace : new NetworkNamespace[] {attacker, server}) {
            if (namespace != null) {
                namespace.close();
            }
        }
    }
}
