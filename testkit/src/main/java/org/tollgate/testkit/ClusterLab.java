package org.tollgate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small network of hosts for cluster tests: {@code n} node namespaces, each with its own firewall and its own host
 * name (a UTS namespace of its own), joined through a bridge in a hub namespace by veth links, on
 * {@value #NETWORK}.0/24 (node {@code i} is {@code .}{@code 11 + i}). A node is cut off by taking its link down at the
 * hub ({@link #cut}) and joined again by bringing it up ({@link #mend}). Names are random; {@link #close()} deletes
 * every namespace (with their rules) and the host-name files. Nothing of the host's own network or firewall is
 * touched.
 */
public final class ClusterLab implements AutoCloseable {

    /** The lab's addresses: a documentation range, reachable only inside the lab. */
    public static final String NETWORK = "198.51.100";
    private static final Path UTS_DIR = Path.of("/run/tollgate-test");

    private final String id = NetworkNamespace.randomId();
    private NetworkNamespace hub;
    private final List<NetworkNamespace> nodes = new ArrayList<>();
    private final List<String> hubLinks = new ArrayList<>();
    private final List<Path> utsFiles = new ArrayList<>();

    /**
     * Skips the test unless running as root, fails it when {@code ip}, {@code unshare}, {@code nsenter} or one of
     * {@code tools} is missing, then builds the lab.
     */
    public static ClusterLab create(int nodes, String... tools) {
        Requirements.assumeRoot();
        Requirements.requireTools(NetworkNamespace.withTools(List.of("ip", "unshare", "nsenter", "hostname"), tools));
        return new ClusterLab(nodes);
    }

    private ClusterLab(int count) {
        try {
            hub = NetworkNamespace.add("tg-" + id + "-hub");
            NetworkNamespace.host("ip", "-n", hub.name(), "link", "add", "br0", "type", "bridge");
            NetworkNamespace.host("ip", "-n", hub.name(), "link", "set", "br0", "up");
            Files.createDirectories(UTS_DIR);
            for (int i = 0; i < count; i++) {
                NetworkNamespace node = NetworkNamespace.add("tg-" + id + "-" + i);
                nodes.add(node);
                String nodeLink = "t" + id + "n" + i;
                String hubLink = "t" + id + "h" + i;
                hubLinks.add(hubLink);
                NetworkNamespace.host("ip", "link", "add", nodeLink, "netns", node.name(), "type", "veth", "peer",
                        "name", hubLink, "netns", hub.name());
                NetworkNamespace.host("ip", "-n", hub.name(), "link", "set", hubLink, "master", "br0");
                NetworkNamespace.host("ip", "-n", hub.name(), "link", "set", hubLink, "up");
                NetworkNamespace.host("ip", "-n", node.name(), "link", "set", nodeLink, "up");
                NetworkNamespace.host("ip", "-n", node.name(), "addr", "add", address(i) + "/24", "dev", nodeLink);
                Path uts = UTS_DIR.resolve("uts-" + id + "-" + i);
                Files.writeString(uts, "");
                utsFiles.add(uts);
                NetworkNamespace.host("unshare", "--uts=" + uts, "hostname", hostname(i));
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** Node {@code i}'s address on the lab's network. */
    public static String address(int i) {
        return NETWORK + "." + (11 + i);
    }

    /** Node {@code i}'s host name (its own UTS namespace): {@code pbx-a}, {@code pbx-b}, ... */
    public static String hostname(int i) {
        return "pbx-" + (char) ('a' + i);
    }

    /** Node {@code i}'s network namespace, where its firewall is. */
    public NetworkNamespace node(int i) {
        return nodes.get(i);
    }

    /** {@code command} run in node {@code i}: its network namespace and its host name. */
    public List<String> exec(int i, String... command) {
        List<String> argv = new ArrayList<>(List.of("nsenter", "--uts=" + utsFiles.get(i)));
        argv.addAll(nodes.get(i).exec(command));
        return argv;
    }

    /** Cuts node {@code i} off: its link is taken down at the hub. */
    public void cut(int i) {
        NetworkNamespace.host("ip", "-n", hub.name(), "link", "set", hubLinks.get(i), "down");
    }

    /** Joins node {@code i} again after {@link #cut}. */
    public void mend(int i) {
        NetworkNamespace.host("ip", "-n", hub.name(), "link", "set", hubLinks.get(i), "up");
    }

    @Override
    public void close() {
        for (NetworkNamespace node : nodes) {
            node.close();
        }
        if (hub != null) {
            hub.close();
        }
        for (Path uts : utsFiles) {
            Commands.run(List.of("umount", uts.toString()));
            try {
                Files.deleteIfExists(uts);
            } catch (IOException e) {
                System.err.println("could not delete " + uts + ": " + e.getMessage());
            }
        }
    }
}
