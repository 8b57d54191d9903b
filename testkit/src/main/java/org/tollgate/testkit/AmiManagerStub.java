package org.tollgate.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An Asterisk Manager Interface for tests, speaking main/manager.c's protocol: the banner line, then blocks of
 * {@code Key: value} lines ended by a blank line; Challenge (AuthType MD5) answers {@code Challenge:}, Login takes
 * {@code Key: md5(challenge + secret)} or {@code Secret:} and closes the session when refused, every response carries
 * the ActionID, Hangup of a channel that is not up answers {@code No such channel}, and an event comes before each
 * response, as events do. Records every action; one session at a time.
 */
public final class AmiManagerStub implements AutoCloseable {
    private final ServerSocket server;
    private volatile String secret;
    /** Every action received, in order. */
    public final List<Map<String, String>> actions = new CopyOnWriteArrayList<>();
    /** Connections accepted. */
    public final AtomicInteger connections = new AtomicInteger();
    /** The channels up now: a Hangup removes its channel. */
    public final List<String> live;
    private final Thread thread;

    /** Starts on a free loopback port, with {@code live} channels up and {@code secret} as the user's secret. */
    public AmiManagerStub(List<String> live, String secret) throws IOException {
        this.secret = secret;
        this.live = new CopyOnWriteArrayList<>(live);
        server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        thread = new Thread(this::serve, "fake-ami");
        thread.setDaemon(true);
        thread.start();
    }

    /** Changes the user's secret, as a manager.conf reload does. */
    public void secret(String value) {
        secret = value;
    }

    public int port() {
        return server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                connections.incrementAndGet();
                session(socket);
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void session(Socket socket) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = socket.getOutputStream();
        write(out, "Asterisk Call Manager/9.0.0\r\n");
        String challenge = null;
        boolean loggedIn = false;
        while (true) {
            Map<String, String> action = new LinkedHashMap<>();
            String line;
            while ((line = in.readLine()) != null && !line.isEmpty()) {
                int colon = line.indexOf(": ");
                action.put(line.substring(0, colon), line.substring(colon + 2));
            }
            if (line == null) {
                return;
            }
            actions.add(action);
            String id = action.get("ActionID");
            String name = action.get("Action");
            // An event between the responses, which the client must skip.
            write(out, "Event: FullyBooted\r\nPrivilege: system,all\r\nStatus: Fully Booted\r\n\r\n");
            switch (name) {
                case "Challenge" -> {
                    challenge = "840816152";
                    write(out, "Response: Success\r\nActionID: " + id + "\r\nChallenge: " + challenge + "\r\n\r\n");
                }
                case "Login" -> {
                    String expected = md5(challenge + secret);
                    loggedIn = secret.equals(action.get("Secret"))
                            || "MD5".equals(action.get("AuthType")) && expected.equals(action.get("Key"));
                    write(out, loggedIn
                            ? "Response: Success\r\nActionID: " + id + "\r\nMessage: Authentication accepted\r\n\r\n"
                            : "Response: Error\r\nActionID: " + id + "\r\nMessage: Authentication failed\r\n\r\n");
                    if (!loggedIn) {
                        return; // manager.c closes the session after a failed login
                    }
                }
                case "Hangup" -> write(out, live.remove(action.get("Channel"))
                        ? "Response: Success\r\nActionID: " + id + "\r\nMessage: Channel Hungup\r\n\r\n"
                        : "Response: Error\r\nActionID: " + id + "\r\nMessage: No such channel\r\n\r\n");
                case "Logoff" -> {
                    write(out, "Response: Goodbye\r\nActionID: " + id + "\r\nMessage: Thanks for all the fish.\r\n\r\n");
                    return;
                }
                default -> write(out, loggedIn ? "Response: Success\r\nActionID: " + id + "\r\n\r\n"
                        : "Response: Error\r\nActionID: " + id + "\r\nMessage: Permission denied\r\n\r\n");
            }
        }
    }

    /** The values of {@code header} in every {@code action} received. */
    public List<String> received(String action, String header) {
        return actions.stream().filter(a -> action.equals(a.get("Action"))).map(a -> a.get(header)).toList();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
