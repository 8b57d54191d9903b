package org.tollgate.banner.ami;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import java.time.Duration;
import org.tollgate.testkit.AmiManagerStub;
import org.tollgate.testkit.FakeClock;
import org.tollgate.testkit.Waits;

/** The AMI client against a manager this test starts ({@link AmiManagerStub}: the real protocol). */
class AmiClientTest {

    private static final String SECRET = "s3cret-for-tests";

    private AmiManagerStub manager;

    @AfterEach
    void stopManager() throws IOException {
        if (manager != null) {
            manager.close();
        }
    }

    private AmiClient client(String secret, AmiSettings.Auth auth) {
        return new AmiClient(new AmiSettings("127.0.0.1", manager.port(), "tollgate", secret, auth, 30_000));
    }

    @Test
    void anMd5LoginHangsUpExactlyTheOffendingChannelsAndBlocksTheEndpoint() throws IOException {
        List<String> offending = List.of("PJSIP/1007-00000368", "PJSIP/1007-0000036a", "PJSIP/1007-0000036c");
        manager = new AmiManagerStub(List.of("PJSIP/1007-00000368", "PJSIP/1007-0000036a", "PJSIP/1007-0000036c",
                "PJSIP/1001-00000400", "PJSIP/1002-00000402"), SECRET);

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
        manager = new AmiManagerStub(List.of("PJSIP/1007-00000368"), SECRET);

        AmiClient.Outcome outcome = client(SECRET, AmiSettings.Auth.PLAIN).stop("PJSIP/1007", "x",
                List.of("PJSIP/1007-00000368", "PJSIP/1007-0000036a"));

        assertThat(outcome.hungUp()).containsExactly("PJSIP/1007-00000368");
        assertThat(outcome.failed()).containsEntry("PJSIP/1007-0000036a", "No such channel");
        assertThat(manager.received("Login", "Secret")).containsExactly(SECRET);
    }

    @Test
    void aRefusedLoginIsReportedAndTriedAgainOnlyAfterABackoffThatDoubles() throws IOException {
        manager = new AmiManagerStub(List.of("PJSIP/1007-00000368"), "another");
        FakeClock clock = new FakeClock("2026-01-20T02:13:00Z");
        AmiClient client = new AmiClient(new AmiSettings("127.0.0.1", manager.port(), "tollgate", SECRET,
                AmiSettings.Auth.MD5, 30_000), clock);
        List<String> channels = List.of("PJSIP/1007-00000368");

        AmiClient.Outcome first = client.stop("PJSIP/1007", "x", channels);
        assertThat(first.refused()).isTrue();
        assertThat(first.error()).isEqualTo("the manager refused the login: Authentication failed; next try at"
                + " 2026-01-20T02:14:00Z");
        assertThat(client.problem()).isEqualTo("manager 127.0.0.1:" + manager.port() + " refused the login of"
                + " 'tollgate' (Authentication failed) 1 time, last at 2026-01-20T02:13:00Z; endpoints are not stopped"
                + " through it; next try at 2026-01-20T02:14:00Z");
        clock.advance(Duration.ofSeconds(59));
        AmiClient.Outcome waiting = client.stop("PJSIP/1007", "x", channels);
        assertThat(waiting.refused()).isTrue();
        assertThat(waiting.error()).startsWith("the manager refused the login before: Authentication failed");
        assertThat(manager.connections.get()).as("no login before the backoff is over").isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        assertThat(client.stop("PJSIP/1007", "x", channels).refused()).isTrue();
        assertThat(manager.connections.get()).isEqualTo(2);
        assertThat(client.retryAt()).as("the wait doubles").isEqualTo(clock.instant().plus(Duration.ofMinutes(2)));
        clock.advance(Duration.ofSeconds(119));
        client.stop("PJSIP/1007", "x", channels);
        assertThat(manager.connections.get()).isEqualTo(2);
        assertThat(manager.received("Hangup", "Channel")).isEmpty();

        // The manager's secret is put right (manager.conf reloaded): the next try logs in and stops the endpoint.
        manager.secret(SECRET);
        clock.advance(Duration.ofSeconds(1));
        AmiClient.Outcome done = client.stop("PJSIP/1007", "x", channels);
        assertThat(done.ok()).isTrue();
        assertThat(done.refused()).isFalse();
        assertThat(client.problem()).isNull();
        assertThat(manager.connections.get()).isEqualTo(3);
        assertThat(manager.received("Hangup", "Channel")).containsExactlyElementsOf(channels);
    }

    @Test
    void aManagerThatNeverAnswersHoldsNoOtherStop() throws Exception {
        // Accepts and never writes its banner: the first stop waits on the socket (its 30 s timeout).
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AmiClient client = new AmiClient(new AmiSettings("127.0.0.1", silent.getLocalPort(), "tollgate", SECRET,
                    AmiSettings.Auth.MD5, 600_000));
            CompletableFuture<AmiClient.Outcome> hanging = CompletableFuture.supplyAsync(
                    () -> client.stop("PJSIP/1007", "x", List.of()));
            try (Socket accepted = silent.accept()) {
                assertThat(accepted.isConnected()).isTrue();
                CompletableFuture<AmiClient.Outcome> other = CompletableFuture.supplyAsync(
                        () -> client.stop("PJSIP/10 07", "x", List.of()));
                AmiClient.Outcome refused = Waits.result(other);
                assertThat(refused.error()).as("the second stop, while the first waits").contains("not an endpoint");
                assertThat(client.problem()).isNull();
                assertThat(hanging).as("the first stop still waits on the manager").isNotDone();
            }
            assertThat(Waits.result(hanging).error()).as("once the manager hangs up").isNotNull();
        }
    }

    @Test
    void aValueThatIsNotAnEndpointNeverReachesTheManager() throws IOException {
        manager = new AmiManagerStub(List.of(), SECRET);
        AmiClient client = client(SECRET, AmiSettings.Auth.MD5);

        assertThat(client.stop("PJSIP/1007\r\nAction: Originate", "x", List.of()).error()).startsWith("not an endpoint");
        assertThat(client.stop("PJSIP/1007", "x", List.of("PJSIP/1007-1\r\nAction: Originate")).error())
                .startsWith("not an endpoint channel");
        assertThat(client.stop("PJSIP/1007", "x", List.of("Local/00881@from-internal-00000001;1")).error())
                .startsWith("not an endpoint channel");
        assertThat(manager.connections.get()).isZero();
    }
}
