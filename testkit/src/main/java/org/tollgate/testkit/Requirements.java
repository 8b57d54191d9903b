package org.tollgate.testkit;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a lab test needs before it touches a namespace. Not being root skips the test: a developer's ordinary
 * {@code ./mvnw verify} has no business with namespaces. A missing tool, as root, fails it: there the tests are meant to
 * run, and a skip would hide that they did not.
 */
public final class Requirements {

    /** The Debian package of each tool the labs and the firewall actions run, for the install hint. */
    private static final Map<String, String> PACKAGES = Map.ofEntries(
            Map.entry("ip", "iproute2"),
            Map.entry("socat", "socat"),
            Map.entry("ipset", "ipset"),
            Map.entry("iptables", "iptables"),
            Map.entry("ip6tables", "iptables"),
            Map.entry("iptables-restore", "iptables"),
            Map.entry("ip6tables-restore", "iptables"),
            Map.entry("nft", "nftables"),
            Map.entry("conntrack", "conntrack"),
            Map.entry("firewalld", "firewalld"),
            Map.entry("firewall-cmd", "firewalld"),
            Map.entry("dbus-daemon", "dbus"),
            Map.entry("dbus-monitor", "dbus-bin"));

    private Requirements() {
    }

    /** Skips the test (or the test class, from {@code @BeforeAll}) unless running as root. */
    public static void assumeRoot() {
        assumeTrue(isRoot(), "network namespaces and firewalls need root; skipped for uid != 0");
    }

    /** Fails the test when one of {@code tools} is not on the PATH, naming the packages to install. */
    public static void requireTools(List<String> tools) {
        List<String> missing = new ArrayList<>();
        for (String tool : tools) {
            if (!onPath(tool)) {
                missing.add(tool);
            }
        }
        if (!missing.isEmpty()) {
            fail("these integration tests need " + missing + " on PATH; install with: " + installCommand(missing));
        }
    }

    /** {@code apt-get install -y} with the package of each of {@code tools}, or the tool's own name when unknown. */
    static String installCommand(List<String> tools) {
        Set<String> packages = new LinkedHashSet<>();
        for (String tool : tools) {
            packages.add(PACKAGES.getOrDefault(tool, tool));
        }
        return "apt-get install -y " + String.join(" ", packages);
    }

    public static boolean onPath(String tool) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, tool))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isRoot() {
        try {
            Commands.Result id = Commands.run("id", "-u");
            return id.ok() && id.stdout().strip().equals("0");
        } catch (RuntimeException e) {
            return false;
        }
    }
}
