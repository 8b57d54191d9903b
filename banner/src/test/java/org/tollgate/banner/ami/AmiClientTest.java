package org.tollgate.banner.ami;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The AMI client against a manager this test starts, speaking main/manager.c's protocol: the banner line, then
 * blocks of {@code Key: value} lines ended by a blank line; Challenge (AuthType MD5) answers {@code Challenge:},
 * Login takes {@code Key: md5(challenge + secret)} or {@code Secret:}, every response carries the ActionID; Hangup of
 * a channel that is not up answers {@code Response: Error} / {@code Message: No such channel}. Events come between
 * responses, as they do.
 */
class AmiClientTest {

    private static final String SECRET = "s3cret-for-tests";

    /** A manager with a set of live channels, recording every action it receives. */
    private static final class FakeManager implements AutoCloseable {
        final ServerSocket server;
        final List<Map<String, String>> actions = new CopyOnWriteArrayList<>();
        final AtomicInteger connections = new AtomicInteger();
        final List<String> live;
        final Thread thread;

        FakeManager(List<String> live) throws IOException {
            this.live = new CopyOnWriteArrayList<>(live);
            server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
            thread = new Thread(this::serve, "fake-ami");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
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
                        String expected = md5(challenge + SECRET);
                        loggedIn = SECRET.equals(action.get("Secret"))
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

        List<String> received(String action, String header) {
            return actions.stream().filter(a -> action.equals(a.get("Action"))).map(a -> a.get(header)).toList();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private FakeManager manager;

    @AfterEach
    void stopManager() throws IOException {
        if (manager != null) {
            manager.close();
        }
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

    private AmiClient client(String secret, AmiSettings.Auth auth) {
        return new AmiClient(new AmiSettings("127.0.0.1", manager.port(), "tollgate", secret, auth, 30_000));
    }

    @Test
    void anMd5LoginHangsUpExactlyTheOffendingChannelsAndBlocksTheEndpoint() throws IOException {
        List<String> offending = List.of("PJSIP/1007-00000368", "PJSIP/1007-0000036a", "PJSIP/1007-0000036c");
        manager = new FakeManager(List.of("PJSIP/1007-00000368", "PJSIP/1007-0000036a", "PJSIP/1007-0000036c",
                "PJSIP/1001-00000400", "PJSIP/1002-00000402"));

        AmiClient.Outcome outcome = client(SECRET, AmiSettings.Auth.MD5).stop("PJSIP/1007", "office calls", offending);

        assertThat(outcome.ok()).as(outcome.toString()).isTrue();
        assertThat(outcome.blocked()).isTrue();
        assertThat(outcome.hungUp()).containsExactlyElementsOf(offending);
        assertThat(manager.received("Hangup", "Channel")).containsExactlyElementsOf(offending);
        assertThat(manager.live).containsExactly("PJSIP/1001-00000400", "PJSIP/1002-00000402");
        assertThat(manager.received("Login", "Secret")).containsOnlyNulls(); // the secret never crossed the wire
        assertThat(manager.received("DBPut", "Family")).containsExactly(AmiClient.FAMILY);
        assertThat(manager.received("DBPut", "Key")).containsExactly("PJSIP/1007");
        assertThat(manager.actions).allMatch(a -> a.get("ActionID") != null && a.get("ActionID").startsWith("tollgate-"));
    }

    @Test
    void aPlainSecretLoginWorksAndAChannelAlreadyGoneIsReported() throws IOException {
        manager = new FakeManager(List.of("PJSIP/1007-00000368"));

        AmiClient.Outcome outcome = client(SECRET, AmiSettings.Auth.PLAIN).stop("PJSIP/1007", "x",
                List.of("PJSIP/1007-00000368", "PJSIP/1007-0000036a"));

        assertThat(outcome.hungUp()).containsExactly("PJSIP/1007-00000368");
        assertThat(outcome.failed()).containsEntry("PJSIP/1007-0000036a", "No such channel");
        assertThat(manager.received("Login", "Secret")).containsExactly(SECRET);
    }

    @Test
    void aRefusedLoginIsReportedAndNeverRetriedInALoop() throws IOException {
        manager = new FakeManager(List.of("PJSIP/1007-00000368"));
        AmiClient client = client("wrong", AmiSettings.Auth.MD5);

        AmiClient.Outcome first = client.stop("PJSIP/1007", "x", List.of("PJSIP/1007-00000368"));
        AmiClient.Outcome second = client.stop("PJSIP/1007", "x", List.of("PJSIP/1007-00000368"));

        assertThat(first.error()).isEqualTo("the manager refused the login: Authentication failed");
        assertThat(second.error()).isEqualTo("the manager refused the login before: Authentication failed");
        assertThat(manager.connections.get()).isEqualTo(1);
        assertThat(manager.received("Hangup", "Channel")).isEmpty();
        assertThat(manager.live).containsExactly("PJSIP/1007-00000368");
    }

    @Test
    void aValueThatIsNotAnEndpointNeverReachesTheManager() throws IOException {
        manager = new FakeManager(List.of());
        AmiClient client = client(SECRET, AmiSettings.Auth.MD5);

        assertThat(client.stop("PJSIP/1007\r\nAction: Originate", "x", List.of()).error()).startsWith("not an endpoint");
        assertThat(client.stop("PJSIP/1007", "x", List.of("PJSIP/1007-1\r\nAction: Originate")).error())
                .startsWith("not an endpoint channel");
        assertThat(client.stop("PJSIP/1007", "x", List.of("Local/00881@from-internal-00000001;1")).error())
                .startsWith("not an endpoint channel");
        assertThat(manager.connections.get()).isZero();
    }
}
