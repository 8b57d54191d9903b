package org.tollgate.server.service;

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
 * Two network namespaces joined by a veth pair: the server ({@value #SERVER}) with a UDP listener on port
 * {@value #PORT}, the attacker ({@value #ATTACKER}) that sends to it. A process started with {@link #inServer} has the
 * server namespace's own firewall, so whatever Tollgate bans there stays there: the host's firewall is never touched.
 * {@link #close()} kills the listener and deletes both namespaces (and with them every rule and set made inside).
 */
final class NetnsPair implements AutoCloseable {

    static final String SERVER = "192.0.2.1";
    static final String ATTACKER = "192.0.2.50";
    static final int PORT = 5060;

    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);

    final String server;
    final String attacker;
    private Process listener;
    private final Set<String> received = ConcurrentHashMap.newKeySet();
    private final AtomicInteger probes = new AtomicInteger();

    /** Skips the test unless running as root; fails it when one of {@code tools} is missing. */
    static NetnsPair create(String... tools) {
        assumeTrue(run("id", "-u").strip().equals("0"), "network namespaces and firewalls need root; skipped for uid != 0");
        List<String> missing = new ArrayList<>();
        List<String> needed = new ArrayList<>(List.of("ip", "socat"));
        needed.addAll(List.of(tools));
        for (String tool : needed) {
            if (!onPath(tool)) {
                missing.add(tool);
            }
        }
        if (!missing.isEmpty()) {
            fail("the end-to-end test needs " + missing + " on PATH; install with: apt-get install -y "
                    + "iproute2 socat ipset iptables nftables");
        }
        return new NetnsPair();
    }

    private NetnsPair() {
        String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        server = "tg-" + id;
        attacker = "tg-" + id + "-a";
        try {
            run("ip", "netns", "add", server);
            run("ip", "netns", "add", attacker);
            String serverLink = "t" + id + "s";
            String attackerLink = "t" + id + "a";
            run("ip", "link", "add", serverLink, "netns", server, "type", "veth", "peer", "name", attackerLink,
                    "netns", attacker);
            for (String[] side : new String[][] {{server, serverLink, SERVER}, {attacker, attackerLink, ATTACKER}}) {
                run("ip", "-n", side[0], "link", "set", "lo", "up");
                run("ip", "-n", side[0], "link", "set", side[1], "up");
                run("ip", "-n", side[0], "addr", "add", side[2] + "/24", "dev", side[1]);
            }
            listen();
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** {@code ip netns exec <server> command…}, as an argument list for a {@link ProcessBuilder}. */
    List<String> inServer(String... command) {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", server));
        argv.addAll(List.of(command));
        return argv;
    }

    /** Runs {@code command} in the server namespace; returns its exit code (its output is discarded). */
    int exitCodeInServer(String... command) {
        try {
            Process process = new ProcessBuilder(inServer(command)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("no answer within " + STEP_TIMEOUT.toSeconds() + "s: " + inServer(command));
            }
            return process.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends datagrams from the attacker until one arrives or {@code within} passes.
     *
     * @return true when one arrived
     */
    boolean delivered(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        do {
            if (arrives(send(), Duration.ofMillis(250))) {
                return true;
            }
        } while (System.nanoTime() < deadline);
        return false;
    }

    /**
     * Sends datagrams from the attacker until {@code inARow} in a row get lost (each waited for {@code wait}) or
     * {@code within} passes.
     *
     * @return true when that many in a row were lost
     */
    boolean dropped(int inARow, Duration wait, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        int lost = 0;
        do {
            lost = arrives(send(), wait) ? 0 : lost + 1;
            if (lost == inARow) {
                return true;
            }
        } while (System.nanoTime() < deadline);
        return false;
    }

    /** Sends one datagram from the attacker's address; returns its token. */
    private String send() {
        String token = "probe-" + probes.incrementAndGet();
        try {
            Process sender = new ProcessBuilder("ip", "netns", "exec", attacker, "socat", "-u", "-",
                    "UDP4-SENDTO:" + SERVER + ":" + PORT + ",bind=" + ATTACKER).redirectErrorStream(true).start();
            sender.getOutputStream().write((token + "\n").getBytes(StandardCharsets.US_ASCII));
            sender.getOutputStream().close();
            if (!sender.waitFor(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
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
        while (!received.contains(token) && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(10));
        }
        return received.contains(token);
    }

    private void listen() {
        try {
            listener = new ProcessBuilder("ip", "netns", "exec", server, "socat", "-u",
                    "UDP4-RECV:" + PORT + ",bind=" + SERVER, "-").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        }, "udp-listener");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.destroyForcibly();
        }
        for (String namespace : List.of(attacker, server)) {
            if (Files.exists(Path.of("/run/netns", namespace))) {
                try {
                    run("ip", "netns", "del", namespace);
                } catch (RuntimeException e) {
                    System.err.println("could not delete namespace " + namespace + ": " + e.getMessage());
                }
            }
        }
    }

    /** Runs a set-up command on the host (namespace plumbing only, never a firewall); returns its stdout. */
    private static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output.strip());
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
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
