package org.tollgate.server.alert;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** This host's name as the kernel has it (what {@code hostname} prints), for the alerts; never looked up in DNS. */
final class ThisHost {

    private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    private ThisHost() {
    }

    static String name() {
        try {
            String name = Files.readString(KERNEL_HOSTNAME, StandardCharsets.US_ASCII).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or no /proc: the name below will do.
        }
        String env = System.getenv("HOSTNAME");
        return env == null || env.isBlank() ? "localhost" : env.strip();
    }
}
