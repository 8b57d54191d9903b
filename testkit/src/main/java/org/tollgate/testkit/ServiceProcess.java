package org.tollgate.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -Xmx512m -XX:+ExitOnOutOfMemoryError -jar tollgate.jar run --config …} as its own process, as the
 * launcher and the systemd unit run it (SIGHUP at its default, whatever the build runs under), its output kept in a
 * file: for tests that stop it with SIGTERM, kill it with SIGKILL, or reload it with SIGHUP. The jar is the system property {@code tollgate.jar} (failsafe sets it) or {@code defaultJar}.
 */
public final class ServiceProcess implements AutoCloseable {

    private final Process process;
    private final Path output;

    private ServiceProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /**
     * Starts the service and waits until its output says {@code ready} (such as {@code tollgate running}).
     *
     * @param defaultJar the jar when {@code tollgate.jar} is not set, relative to the module's directory
     */
    public static ServiceProcess start(String defaultJar, Path config, Path output, String ready) throws IOException {
        return start(List.of(), defaultJar, config, output, ready);
    }

    /**
     * As {@link #start(String, Path, Path, String)}, under {@code prefix}: {@code ip netns exec <namespace>} to run it
     * inside a namespace, {@code setpriv …} to run it with fewer privileges.
     */
    public static ServiceProcess start(List<String> prefix, String defaultJar, Path config, Path output, String ready)
            throws IOException {
        Path jar = Path.of(System.getProperty("tollgate.jar", defaultJar));
        if (!Files.isRegularFile(jar)) {
            fail(jar.toAbsolutePath() + " is missing: run through failsafe (./mvnw verify), after the server's package");
        }
        // As systemd starts it, whatever the build runs under (nohup ignores SIGHUP, and children inherit that).
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of("env", "--default-signal=HUP",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-XX:+ExitOnOutOfMemoryError", "-jar", jar.toAbsolutePath().toString(), "run", "--config",
                config.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start();
        ServiceProcess service = new ServiceProcess(process, output);
        Waits.until(() -> !process.isAlive() || service.text().contains(ready), Duration.ofMinutes(2),
                () -> "tollgate run did not start" + service.output());
        if (!process.isAlive()) {
            fail("tollgate run exited " + process.exitValue() + service.output());
        }
        return service;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, as systemd stops it; returns the exit code (143 after SIGTERM). */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(Waits.PATIENCE_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("tollgate run still running " + Waits.PATIENCE_SECONDS + " s after SIGTERM" + output());
        }
        return process.exitValue();
    }

    /** SIGKILL ({@code kill -9}): no shutdown hook, nothing flushed; returns once the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(Waits.PATIENCE_SECONDS, TimeUnit.SECONDS)) {
            fail("tollgate run still running " + Waits.PATIENCE_SECONDS + " s after SIGKILL");
        }
    }

    /** Kills the process if it still runs: a test that failed leaves nothing running behind it. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    /** Everything the process wrote so far. */
    public String text() {
        try {
            return Files.exists(output) ? Files.readString(output) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last 4,000 characters of the process's output, for a failure message. */
    public String output() {
        String text = text();
        return "\n--- " + output + " (last 4,000 characters) ---\n" + text.substring(Math.max(0, text.length() - 4_000));
    }
}
