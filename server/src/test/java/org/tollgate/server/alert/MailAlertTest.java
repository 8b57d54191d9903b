package org.tollgate.server.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.vertx.core.Vertx;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.subethamail.smtp.auth.EasyAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.LoginFailedException;
import org.subethamail.smtp.server.SMTPServer;
import org.tollgate.server.TlsFixtures;
import org.tollgate.testkit.Waits;

/**
 * The mail action against real SMTP servers started here: GreenMail (plain SMTP and SMTPS, with AUTH) and
 * SubEthaSMTP (STARTTLS required, AUTH required), one that refuses the login, and one that is down and comes back.
 */
class MailAlertTest {

    private static final String PASSWORD = "s3cret-for-tests";

    @TempDir
    static Path shared;

    private static TlsFixtures certificate;

    @TempDir
    Path dir;

    private Vertx vertx;
    private final List<AutoCloseable> servers = new ArrayList<>();
    private Path passwordFile;

    @BeforeAll
    static void aCertificateForTheServers() throws Exception {
        certificate = TlsFixtures.selfSigned(shared, "smtp");
        // GreenMail's SMTPS reads its key store from these, once per JVM.
        System.setProperty("greenmail.tls.keystore.file", certificate.keystore().toString());
        System.setProperty("greenmail.tls.keystore.password", TlsFixtures.PASSWORD);
        System.setProperty("greenmail.tls.key.password", TlsFixtures.PASSWORD);
    }

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        passwordFile = Files.writeString(dir.resolve("smtp-password"), PASSWORD + "\n");
    }

    @AfterEach
    void tearDown() throws Exception {
        Waits.result(vertx.close().toCompletionStage());
        for (AutoCloseable server : servers) {
            server.close();
        }
    }

    private GreenMail greenMail(ServerSetup setup) {
        GreenMail mail = new GreenMail(setup.dynamicPort())
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("tollgate", PASSWORD));
        mail.start();
        servers.add(mail::stop);
        return mail;
    }

    /** SubEthaSMTP with STARTTLS and AUTH required, keeping what arrives; a wrong password is refused. */
    private Received subetha(int port) throws Exception {
        Received received = new Received();
        SMTPServer server = SMTPServer.port(port)
                .bindAddress(java.net.InetAddress.getLoopbackAddress())
                .hostName("localhost")
                .startTlsSocketFactory(certificate.serverContext())
                .requireTLS()
                .requireAuth()
                .authenticationHandlerFactory(new EasyAuthenticationHandlerFactory((user, password, context) -> {
                    received.logins.add(user);
                    if (!user.equals("tollgate") || !password.equals(PASSWORD)) {
                        throw new LoginFailedException("wrong password");
                    }
                }))
                .messageHandler((context, from, to, data) -> received.mails.add(new String(data)))
                .build();
        server.start();
        servers.add(server::stop);
        received.port = server.getPortAllocated();
        return received;
    }

    private static final class Received {
        final List<String> mails = Collections.synchronizedList(new ArrayList<>());
        final List<String> logins = Collections.synchronizedList(new ArrayList<>());
        int port;
    }

    @Test
    void aBanIsMailedThroughPlainSmtpWithItsLinesUsersAndEnd() throws Exception {
        GreenMail smtp = greenMail(ServerSetup.SMTP);
        AlertsVerticle alerts = AlertFixtures.deploy(vertx, AlertFixtures.alerts("""
                      - type: mail
                        to: root@example.org, noc@example.org
                        from: tollgate@pbx1.example.org
                        host: 127.0.0.1
                        port: %d
                        user: tollgate
                        password_file: %s
                """.formatted(smtp.getSmtp().getPort(), passwordFile)));

        AlertFixtures.publish(vertx, "192.0.2.10");

        assertThat(smtp.waitForIncomingEmail(Waits.PATIENCE.toMillis(), 1)).as("%s", alerts.counters()).isTrue();
        MimeMessage mail = smtp.getReceivedMessages()[0];
        assertThat(mail.getSubject()).endsWith("] sip-auth: 192.0.2.10 banned");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("tollgate@pbx1.example.org");
        assertThat(mail.getAllRecipients()).extracting(Object::toString)
                .containsExactlyInAnyOrder("root@example.org", "noc@example.org");
        String body = GreenMailUtil.getBody(mail);
        assertThat(body).contains("banned 192.0.2.10 in jail sip-auth")
                .contains("until 2026-01-18T20:39:50Z (3h)")
                .contains("Users tried: 1001, admin")
                .contains("What failed: registration-failed")
                .contains("Registration from '<sip:admin@203.0.113.5>' failed for '192.0.2.10:5060' - Wrong password");
        // The server has the mail before the client hears its answer: the count follows.
        Waits.eventually(() -> assertThat(alerts.counters()).singleElement().satisfies(c -> {
            assertThat(c.sent()).isEqualTo(1);
            assertThat(c.told()).isEqualTo(1);
            assertThat(c.action()).doesNotContain(PASSWORD);
        }));
    }

    @Test
    void aFraudJailsAlertIsMailedThroughStarttlsWithItsReasonEndpointAndSource() throws Exception {
        Received smtp = subetha(0);
        AlertsVerticle alerts = AlertFixtures.deploy(vertx, AlertFixtures.fraudAlerts(starttls(smtp.port, passwordFile)));

        AlertFixtures.publishFraud(vertx);
        AlertFixtures.publish(vertx, "192.0.2.10"); // a ban of a jail without alert actions: not told

        Waits.eventually(() -> assertThat(smtp.mails).hasSize(1));
        String mail = smtp.mails.get(0);
        assertThat(mail).contains("Subject: [Tollgate ").contains("] fraud/office: PJSIP/1007 tripped calls")
                .contains("fraud jail office tripped")
                .contains("Reason:      6 calls to international, premium, satellite in 10m; max 5")
                .contains("Endpoint:    PJSIP/1007").contains("Source:      203.0.113.66")
                .doesNotContain("192.0.2.10");
        Waits.eventually(() -> assertThat(alerts.counters()).singleElement()
                .satisfies(c -> assertThat(c.told()).isEqualTo(1)));
    }

    @Test
    void smtpsWithTheServersCaTrusted() throws Exception {
        GreenMail smtps = greenMail(ServerSetup.SMTPS);
        AlertFixtures.deploy(vertx, AlertFixtures.alerts("""
                      - type: mail
                        to: root@example.org
                        host: localhost
                        port: %d
                        tls: tls
                        tls_ca: %s
                        user: tollgate
                        password_file: %s
                """.formatted(smtps.getSmtps().getPort(), certificate.pem(), passwordFile)));

        AlertFixtures.publish(vertx, "2001:db8::7");

        assertThat(smtps.waitForIncomingEmail(Waits.PATIENCE.toMillis(), 1)).isTrue();
        assertThat(smtps.getReceivedMessages()[0].getSubject()).endsWith("sip-auth: 2001:db8::7 banned");
    }

    @Test
    void starttlsRequiredWithALogin() throws Exception {
        Received server = subetha(0);
        AlertFixtures.deploy(vertx, AlertFixtures.alerts(starttls(server.port, passwordFile)));

        AlertFixtures.publish(vertx, "198.51.100.23");

        Waits.eventually(() -> assertThat(server.mails).hasSize(1));
        assertThat(server.logins).containsExactly("tollgate");
        assertThat(server.mails.get(0)).contains("Subject: [Tollgate ").contains("sip-auth: 198.51.100.23 banned")
                .contains("Wrong password");
    }

    @Test
    void aServerThatRefusesTheLoginIsTriedAgainAndNothingIsSent() throws Exception {
        Received server = subetha(0);
        Path wrong = Files.writeString(dir.resolve("wrong"), "not-the-password");
        AlertsVerticle alerts = AlertFixtures.deploy(vertx, AlertFixtures.alerts(starttls(server.port, wrong)));

        AlertFixtures.publish(vertx, "198.51.100.24");

        Waits.eventually(() -> assertThat(counters(alerts).failed()).isGreaterThanOrEqualTo(3));
        assertThat(server.logins).hasSizeGreaterThanOrEqualTo(3);
        assertThat(server.mails).isEmpty();
        AlertCounters counters = counters(alerts);
        assertThat(counters.sent()).isZero();
        assertThat(counters.waiting()).as("never dropped: kept for the next try").isEqualTo(1);
    }

    @Test
    void aServerThatIsDownIsTriedUntilItIsUpAndThenGetsTheMail() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        AlertsVerticle alerts = AlertFixtures.deploy(vertx, AlertFixtures.alerts(starttls(port, passwordFile)));

        AlertFixtures.publish(vertx, "198.51.100.25");
        Waits.eventually(() -> assertThat(counters(alerts).failed()).isGreaterThanOrEqualTo(2));

        Received server = subetha(port);
        Waits.eventually(() -> assertThat(server.mails).hasSize(1));
        assertThat(server.mails.get(0)).contains("198.51.100.25");
        Waits.eventually(() -> assertThat(counters(alerts).waiting()).isZero());
    }

    @Test
    void aScanOfASlash24SendsAFewMailsNot256() throws Exception {
        Received server = subetha(0);
        AlertsVerticle alerts = AlertFixtures.deploy(vertx, AlertFixtures.alerts(starttls(server.port, passwordFile)
                + "        interval: 2s\n"));

        for (int host = 0; host < 256; host++) {
            AlertFixtures.publish(vertx, "203.0.113." + host);
        }

        Waits.eventually(() -> assertThat(counters(alerts).told()).isEqualTo(256));
        List<String> mails = List.copyOf(server.mails);
        System.out.printf("256 bans: %d mails%n", mails.size());
        assertThat(mails.size()).isBetween(2, 6);
        assertThat(mails.get(0)).contains("sip-auth: 203.0.113.0 banned");
        String all = String.join("\n", mails);
        for (int host = 0; host < 256; host++) {
            assertThat(all).contains("203.0.113." + host + " ");
        }
        assertThat(mails.get(1)).contains(" bans: sip-auth ").contains("The lines that led to the first 20 bans");
    }

    private static String starttls(int port, Path password) {
        return """
                      - type: mail
                        to: root@example.org
                        host: localhost
                        port: %d
                        tls: starttls
                        tls_ca: %s
                        user: tollgate
                        password_file: %s
                """.formatted(port, certificate.pem(), password);
    }

    private static AlertCounters counters(AlertsVerticle alerts) {
        return alerts.counters().get(0);
    }
}
