package org.tollgate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Free TCP ports on loopback for in-process servers, never the same one twice in a JVM. */
public final class FreePorts {

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /** A free port whose next one is free too (a cluster node takes its port and the next for its event bus). */
    public static int pair() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (port >= 65_535 || HANDED_OUT.contains(port) || HANDED_OUT.contains(port + 1)) {
                continue;
            }
            try (ServerSocket first = new ServerSocket(port); ServerSocket next = new ServerSocket(port + 1)) {
                HANDED_OUT.add(port);
                HANDED_OUT.add(port + 1);
                return port;
            } catch (IOException taken) {
                // another process has one of them: try again
            }
        }
        throw new IllegalStateException("no two free ports in a row");
    }
}
