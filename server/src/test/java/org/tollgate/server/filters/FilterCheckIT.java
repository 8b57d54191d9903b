package org.tollgate.server.filters;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** filters/check.sh runs the real fail2ban-regex over the filter samples; it must pass. */
class FilterCheckIT {

    @Test
    void failToBanRegexAgreesWithEverySample() throws Exception {
        Process process = new ProcessBuilder(List.of("bash", "check.sh"))
                .directory(Path.of("..", "filters").toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("check.sh finished").isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).containsPattern("\\d+ passed, 0 failed");
    }
}
