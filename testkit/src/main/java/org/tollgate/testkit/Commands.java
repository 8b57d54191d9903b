package org.tollgate.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a command by argument vector, never through a shell, with an empty stdin: namespace plumbing on the host, and a
 * test's own checks inside a namespace ({@link NetworkNamespace#run}). Messages stay untranslated ({@code LC_ALL=C}),
 * as the firewall actions run their tools, so a test can match them as text.
 */
public final class Commands {

    /** How long a command may take before it is killed and the test fails. */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static final Duration DRAIN_GRACE = Duration.ofSeconds(5);

    private Commands() {
    }

    /** Runs {@code argv} and returns how it went, whatever its exit code. */
    public static Result run(List<String> argv) {
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("LC_ALL", "C");
        builder.environment().put("LANG", "C");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", argv), e);
        }
        CompletableFuture<String> stdout = drain(process.getInputStream());
        CompletableFuture<String> stderr = drain(process.getErrorStream());
        try {
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new IllegalStateException("no answer within " + TIMEOUT.toSeconds() + "s, killed: "
                        + String.join(" ", argv));
            }
            return new Result(argv, process.exitValue(), stdout.get(DRAIN_GRACE.toMillis(), TimeUnit.MILLISECONDS),
                    stderr.get(DRAIN_GRACE.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", argv), e);
        } catch (ExecutionException | TimeoutException e) {
            // The command exited but left a child holding its pipes open.
            kill(process);
            throw new IllegalStateException("output not closed after exit: " + String.join(" ", argv), e);
        }
    }

    /** Runs {@code argv} and returns how it went, whatever its exit code. */
    public static Result run(String... argv) {
        return run(List.of(argv));
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (stream) {
                text.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.completeExceptionally(e);
            }
        }, "testkit-command-output");
        reader.setDaemon(true);
        reader.start();
        return text;
    }

    /**
     * One finished command.
     *
     * @param command  the argument vector as run
     * @param exitCode its exit status
     * @param stdout   standard output as UTF-8
     * @param stderr   standard error as UTF-8
     */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {

        public Result {
            command = List.copyOf(command);
        }

        public boolean ok() {
            return exitCode == 0;
        }

        /** A one-line account of a failed call: the command, its exit code and what it said. */
        public String failure() {
            String said = (stderr.isBlank() ? stdout : stderr).strip().replace('\n', ' ');
            return String.join(" ", command) + " exited " + exitCode + (said.isEmpty() ? "" : ": " + said);
        }
    }
}
