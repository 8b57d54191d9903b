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
    public static final int PORT = 5060;

    /** How long {@link #assertDeliveredFrom} keeps sending, allowing time for neighbour discovery. */
    private static final Duration ARRIVAL_WAIT = Duration.ofSeconds(8);
    /** How long {@link #assertDroppedFrom} gives its datagrams to arrive. */
    private static final Duration DROP_WAIT = Duration.ofMillis(700);
    private static final Duration PROBE_WAIT = Duration.ofMillis(250);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

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
     * Sends datagrams from {@code from} ({@link #ATTACKER4} or {@link #ATTACKER6}) until one arrives or {@code within}
     * passes.
     *
     * @return true when one arrived
     */
    public boolean deliveredFrom(String from, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        do {
            if (arrives(send(from), PROBE_WAIT)) {
                return true;
            }
        } while (System.nanoTime() < deadline);
        return false;
    }

    /**
     * Sends datagrams from {@code from} until {@code inARow} in a row get lost (each waited for {@code wait}) or
     * {@code within} passes: for a ban that is still on its way.
     *
     * @return true when that many in a row were lost
     */
    public boolean droppedFrom(String from, int inARow, Duration wait, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        int lost = 0;
        do {
            lost = arrives(send(from), wait) ? 0 : lost + 1;
            if (lost == inARow) {
                return true;
            }
        } while (System.nanoTime() < deadline);
        return false;
    }

    /** Asserts that datagrams from {@code from} reach the listener again, allowing time for neighbour discovery. */
    public void assertDeliveredFrom(String from) {
        if (!deliveredFrom(from, ARRIVAL_WAIT)) {
            fail("no datagram from " + from + " reached " + target(from) + " port " + PORT + " within "
                    + ARRIVAL_WAIT.toSeconds() + "s");
        }
    }

    /** Asserts that none of three datagrams from {@code from} reaches the listener: for a ban already in force. */
    public void assertDroppedFrom(String from) {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            tokens.add(send(from));
        }
        Waits.sleep(DROP_WAIT);
        for (String token : tokens) {
            if (received.contains(token)) {
                fail("a datagram from the banned " + from + " arrived (" + token + ")");
            }
        }
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
            if (!sender.waitFor(SEND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
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
        if (from.equals(ATTACKER4)) {
            return SERVER4;
        }
        if (from.equals(ATTACKER6)) {
            return SERVER6;
        }
        throw new IllegalArgumentException("the attacker's addresses are " + ATTACKER4 + " and " + ATTACKER6
                + ", was '" + from + "'");
    }

    private boolean arrives(String token, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!received.contains(token) && System.nanoTime() < deadline) {
            Waits.sleep(Duration.ofMillis(10));
        }
        return received.contains(token);
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
