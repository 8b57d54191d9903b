package org.tollgate.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.tollgate.testkit.Waits;

/** How the cluster secret's keytool is run: a tool that hangs is killed at the timeout, whatever it does with its output. */
class ClusterKeysTest {

    @Test
    void aToolThatHangsWithItsOutputOpenIsKilledAtTheTimeout() throws Exception {
        // Never finishes by itself and keeps its output open: reading the output before the timed wait would hang.
        CompletableFuture<Throwable> run = CompletableFuture.supplyAsync(() -> {
            try {
                ClusterKeys.run(List.of("sleep", "3600"), Duration.ofSeconds(1));
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        assertThat(Waits.result(run)).as("the hanging tool's run").isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sleep did not finish within 1 s");
    }

    @Test
    void aToolThatFailsIsOneLineWithWhatItSaidAndOneThatWorksGivesItsOutput() throws Exception {
        assertThatThrownBy(() -> ClusterKeys.run(List.of("sh", "-c", "echo 'bad\nthing'; exit 3"),
                Waits.PATIENCE)).hasMessage("sh failed: bad thing");
        assertThat(ClusterKeys.run(List.of("sh", "-c", "echo fine"), Waits.PATIENCE)).isEqualTo("fine");
    }
}
