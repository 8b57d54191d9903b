package org.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.tollgate.testkit.Waits;

/**
 * Runs a probe's {@code main} in a JVM of its own on the tests' class path and returns what it printed, one line each:
 * for what happens once per JVM (a class loaded, a call site linked), which another test in the tests' JVM would have
 * done first.
 */
public final class FreshJvm {

    private FreshJvm() {
    }

    public static List<String> run(Class<?> main) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                main.getName()).redirectErrorStream(true).start();
        byte[] bytes = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(Waits.PATIENCE_SECONDS, TimeUnit.SECONDS)).as("the probe's exit").isTrue();
        return new String(bytes, StandardCharsets.UTF_8).lines().toList();
    }

    /**
     * Runs a {@link ColdClasses} probe: one that prints {@code DONE} at its end and a line starting with {@code NOT}
     * when what it waited for did not come; returns its {@code COLD} lines.
     */
    public static List<String> coldClasses(Class<?> probe) throws IOException, InterruptedException {
        List<String> output = run(probe);
        assertThat(output).as("the probe ran to its end").contains("DONE")
                .noneMatch(line -> line.startsWith("NOT "));
        return output.stream().filter(line -> line.startsWith("COLD ")).toList();
    }
}
