package org.tollgate.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.banner.config.ConfigException;
import org.tollgate.server.config.ClusterSettings;
import org.tollgate.server.config.ListenAddress;
import org.tollgate.server.config.TollgateConfig;
import org.tollgate.testkit.FreePorts;
import org.tollgate.testkit.Waits;

/**
 * Two nodes with the cluster's secret join over TLS and talk on the event bus; a node with a secret of its own is
 * refused by both channels; a secret made for another cluster name, or readable by others, is refused at start.
 */
class ClusterJoinTest {

    @TempDir
    static Path dir;
    private static Path secret;
    private static Path strangerSecret;
    private final List<Vertx> nodes = new ArrayList<>();

    @BeforeAll
    static void secrets() {
        secret = dir.resolve("cluster.key");
        ClusterKeys.create(secret, "pbx-site");
        strangerSecret = dir.resolve("stranger.key");
        ClusterKeys.create(strangerSecret, "pbx-site");
    }

    @AfterEach
    void stop() throws Exception {
        for (Vertx node : nodes) {
            Waits.result(node.close().toCompletionStage());
        }
    }

    @Test
    void nodesWithTheSecretJoinAndTalkAStrangerIsRefused() throws Exception {
        int a = FreePorts.pair();
        int b = FreePorts.pair();
        Vertx first = start(secret, a, b);
        Vertx second = start(secret, b, a);
        Waits.until("both nodes in one cluster", () -> members(first) == 2 && members(second) == 2);

        List<String> received = new CopyOnWriteArrayList<>();
        Waits.result(first.eventBus().<String>consumer("test.hello", message -> received.add(message.body()))
                .completion().toCompletionStage());
        Waits.until("the registration seen by the second node", () -> {
            second.eventBus().send("test.hello", "over TLS");
            return !received.isEmpty();
        });
        assertThat(received).contains("over TLS");

        // A node with a secret of its own, pointed at both: it starts, alone, and neither node lets it in.
        int c = FreePorts.pair();
        Vertx stranger = start(strangerSecret, c, a, b);
        assertThat(members(stranger)).isEqualTo(1);
        assertThat(members(first)).isEqualTo(2);
        assertThat(members(second)).isEqualTo(2);
        ClusterKeys strangerKeys = ClusterKeys.load(strangerSecret, "pbx-site");
        for (int port : new int[] {a, a + 1}) {
            try (SSLSocket socket = (SSLSocket) strangerKeys.sslContext().getSocketFactory().createSocket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                socket.setSoTimeout(30_000);
                assertThatThrownBy(() -> {
                    socket.startHandshake();
                    // TLS 1.3: the server's refusal of the client certificate may come with the first read.
                    socket.getOutputStream().write(1);
                    socket.getOutputStream().flush();
                    if (socket.getInputStream().read() < 0) {
                        throw new SSLException("closed by the node");
                    }
                }).as("handshake on port " + port).isInstanceOf(IOException.class);
            }
        }
    }

    /**
     * A member that accepts connections and never answers (a frozen process, a port forwarded to nothing): JGroups'
     * TLS handshake with it waited for ever, holding the join, until the handshake had a limit.
     */
    @Test
    void aMemberThatAcceptsAndNeverAnswersDoesNotHoldTheJoin() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            long started = System.nanoTime();
            Vertx alone = start(secret, FreePorts.pair(), silent.getLocalPort());
            System.out.printf("cluster: joined (alone) beside a silent member in %.1f s%n",
                    (System.nanoTime() - started) / 1e9);
            assertThat(members(alone)).isEqualTo(1);
        }
    }

    @Test
    void aSecretOfAnotherClusterOrReadableByOthersIsRefused() throws Exception {
        assertThatThrownBy(() -> ClusterKeys.load(secret, "pbx-site-b"))
                .hasMessageContaining("was made for the cluster 'pbx-site', not 'pbx-site-b'");
        Path open = dir.resolve("open.key");
        Files.copy(secret, open);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> ClusterKeys.load(open, "pbx-site")).hasMessageContaining("chmod 600");
        assertThatThrownBy(() -> ClusterKeys.load(dir.resolve("none.key"), "pbx-site"))
                .hasMessageContaining("tollgate cluster init --name pbx-site");
        Path notKeys = dir.resolve("text.key");
        Files.writeString(notKeys, "not a key store");
        Files.setPosixFilePermissions(notKeys, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> ClusterKeys.load(notKeys, "pbx-site")).hasMessageContaining("not a cluster secret");
        assertThatThrownBy(() -> ClusterKeys.create(secret, "pbx-site")).hasMessageContaining("exists");
    }

    @Test
    void theSectionIsReadAndCheckedWithLines() {
        String yaml = """
                sources: [{type: stdin}]
                cluster:
                  enabled: true
                  name: pbx-site
                  secret_file: /etc/tollgate/cluster.key
                  host: 10.0.0.5
                  members: ["10.0.0.6:7800", "10.0.0.5:7800", "[2001:db8::7]:7900"]
                """;
        ClusterSettings cluster = TollgateConfig.parse(yaml, "t.yaml").cluster();
        assertThat(cluster.enabled()).isTrue();
        assertThat(cluster.port()).isEqualTo(ClusterSettings.DEFAULT_PORT);
        assertThat(cluster.eventBusPort()).isEqualTo(7801);
        assertThat(cluster.joinTimeout()).isEqualTo(ClusterSettings.DEFAULT_JOIN_TIMEOUT);
        assertThat(TollgateConfig.parse(yaml + "  join_timeout: 2m\n", "t.yaml").cluster().joinTimeout())
                .isEqualTo(Duration.ofMinutes(2));
        for (String wrong : new String[] {"0", "500ms", "11m", "soon"}) {
            assertThatThrownBy(() -> TollgateConfig.parse(yaml + "  join_timeout: " + wrong + "\n", "t.yaml"))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.join_timeout")
                    .hasMessageContaining("line 8");
        }
        assertThat(cluster.members()).containsExactly(new ListenAddress("10.0.0.6", 7800),
                new ListenAddress("2001:db8::7", 7900));
        assertThat(TollgateConfig.parse("sources: [{type: stdin}]\ncluster: {enabled: false, name: x}\n", "t.yaml").cluster().enabled()).isFalse();
        assertThat(TollgateConfig.parse("sources: [{type: stdin}]\n", "t.yaml").cluster().enabled()).isFalse();
        assertThatThrownBy(() -> TollgateConfig.parse(yaml.replace("10.0.0.5\n", "pbx1.example.net\n"), "t.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.host")
                .hasMessageContaining("line 6");
        assertThatThrownBy(() -> TollgateConfig.parse(yaml.replace("10.0.0.6:7800", "10.0.0.6"), "t.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.members");
        assertThatThrownBy(() -> TollgateConfig.parse(yaml.replace("name: pbx-site", "name: 'a b'"), "t.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.name");
        assertThatThrownBy(() -> TollgateConfig.parse(yaml + "  multicast: true\n", "t.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("multicast");
    }

    private Vertx start(Path secretFile, int port, int... members) throws Exception {
        List<ListenAddress> others = new ArrayList<>();
        for (int member : members) {
            others.add(new ListenAddress("127.0.0.1", member));
        }
        ClusterSettings settings = new ClusterSettings(true, "pbx-site", secretFile, 0, "127.0.0.1", port, others,
                100, ClusterSettings.DEFAULT_JOIN_TIMEOUT, "t.yaml");
        Vertx vertx = Waits.result(ClusterNode.start(settings, ClusterKeys.load(secretFile, "pbx-site"),
                new VertxOptions()).toCompletionStage());
        nodes.add(vertx);
        return vertx;
    }

    private static int members(Vertx vertx) {
        return ((VertxInternal) vertx).clusterManager().getNodes().size();
    }
}
