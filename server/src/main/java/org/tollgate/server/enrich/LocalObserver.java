package org.tollgate.server.enrich;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tollgate.normalizer.json.Observer;

/** The {@link Observer} of this process: this host's name and Tollgate's version, found without the network. */
public final class LocalObserver {

    private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    private LocalObserver() {
    }

    public static Observer get() {
        return new Observer(hostname(), version());
    }

    /** The version in the jar's manifest; {@code development} when run from classes (tests, the IDE). */
    public static String version() {
        String version = LocalObserver.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }

    /**
     * The kernel's host name (what {@code hostname} prints). Not {@code InetAddress.getLocalHost()}, which may ask a
     * name server and wait for it.
     */
    static String hostname() {
        try {
            String name = Files.readString(KERNEL_HOSTNAME, StandardCharsets.UTF_8).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux: the environment, then a placeholder.
        }
        String env = System.getenv("HOSTNAME");
        return env == null || env.isBlank() ? "localhost" : env.strip();
    }
}
