package org.tollgate.server.ban;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tollgate.testkit.Waits;

/**
 * The banner's start warms the first ban's way: from a failure offered to the ban published, the enforcer's thread
 * and the event loops load and spin no class (a record's {@code hashCode} or a lambda linked there costs the first ban
 * milliseconds of CPU beside it, on a machine of two cores). Run in a fresh JVM ({@link FirstBanProbe}).
 */
class FirstBanClassesTest {

    @Test
    void theFirstBanAfterStartLoadsNoClassOnItsWay() throws Exception {
        List<String> output = probe();
        assertThat(output).as("the probe ran to its end").contains("DONE").doesNotContain("NOT PUBLISHED");
        assertThat(output.stream().filter(line -> line.startsWith("COLD ")).toList())
                .as("classes loaded or defined on the first ban's way").isEmpty();
    }

    private static List<String> probe() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                FirstBanProbe.class.getName()).redirectErrorStream(true).start();
        byte[] bytes = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(Waits.PATIENCE_SECONDS, TimeUnit.SECONDS)).as("the probe's exit").isTrue();
        String text = new String(bytes, StandardCharsets.UTF_8);
        return text.lines().toList();
    }
}
