package org.tollgate.banner.action;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.banner.BanPathEvent;
import org.tollgate.banner.LogFields;

/**
 * Runs a firewall tool by argument vector, never through a shell: each argument reaches the tool as one {@code argv}
 * element, whatever characters it holds. Optional stdin bytes are fed on a separate thread, stdout and stderr are
 * drained concurrently and kept up to a bound, and a child that outlives the timeout is killed.
 *
 * <p>The prefix is prepended to every command. Production has none; integration tests pass
 * {@code ip netns exec <namespace>} so that every command lands in the namespace the test created.
 *
 * <p>Actions call {@link #run(List, byte[])} only with addresses already checked by
 * {@link org.tollgate.normalizer.address.IpLiteral#canonical(CharSequence)}; tests subclass this runner to record
 * commands instead of running them.
 */
public class CommandRunner {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** Enough for a listing of some 200,000 banned addresses in {@code nft -j} form. */
    public static final int DEFAULT_STDOUT_LIMIT = 32 << 20;
    public static final int STDERR_LIMIT = 64 << 10;
    /**
     * The longest wait for one answer of a {@link Session}. Its start (the tool's first answer) waits up to the
     * runner's timeout instead, as a run of the tool does: starting a process may take long on a busy machine.
     */
    public static final Duration SESSION_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(CommandRunner.class);
    private static final Duration KILL_GRACE = Duration.ofSeconds(5);
    private static final int LOGGED_COMMAND_CHARS = 300;
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ExecutorService IO = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "tollgate-command-io-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    private final List<String> prefix;
    private final Duration timeout;
    private final int stdoutLimit;

    /** No prefix, {@link #DEFAULT_TIMEOUT}, {@link #DEFAULT_STDOUT_LIMIT}. */
    public CommandRunner() {
        this(List.of(), DEFAULT_TIMEOUT, DEFAULT_STDOUT_LIMIT);
    }

    public CommandRunner(List<String> prefix, Duration timeout) {
        this(prefix, timeout, DEFAULT_STDOUT_LIMIT);
    }

    public CommandRunner(List<String> prefix, Duration timeout, int stdoutLimit) {
        this.prefix = List.copyOf(prefix);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("command timeout must be positive, was " + timeout);
        }
        if (stdoutLimit < 1) {
            throw new IllegalArgumentException("stdout limit must be positive, was " + stdoutLimit);
        }
        this.stdoutLimit = stdoutLimit;
    }

    public List<String> prefix() {
        return prefix;
    }

    public Duration timeout() {
        return timeout;
    }

    /** Runs {@code command} with no stdin. */
    public final Result run(List<String> command) throws ActionException {
        return run(command, null);
    }

    /**
     * Runs {@code command} (tool first) with {@code stdin} fed to it, or an empty stdin for {@code null}. A non-zero
     * exit is returned, not thrown: tools report "already there" and "not there" through exit codes.
     *
     * @throws ActionException when the tool cannot be started, times out, or the call is interrupted
     */
    public Result run(List<String> command, byte[] stdin) throws ActionException {
        List<String> argv = argv(command);
        ProcessBuilder builder = builder(argv);
        long started = System.nanoTime();
        Process process = start(builder, command.get(0));
        CompletableFuture<Bounded> out = drain(process.getInputStream(), stdoutLimit);
        CompletableFuture<Bounded> err = drain(process.getErrorStream(), STDERR_LIMIT);
        feed(process.getOutputStream(), stdin);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new ActionException(command.get(0) + ": no answer within " + describe(timeout) + ", killed: "
                        + describe(argv));
            }
            int exit = process.exitValue();
            Bounded stdout = out.get(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            Bounded stderr = err.get(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            Result result = new Result(argv, exit, stdout.text(), stderr.text(), stdout.truncated);
            BanPathEvent.mark(BanPathEvent.PROCESS, null, describe(argv), started);
            LOG.atDebug()
                    .addKeyValue(LogFields.COMMAND, describe(argv))
                    .addKeyValue(LogFields.EXIT_CODE, exit)
                    .addKeyValue(LogFields.DURATION_MS, (System.nanoTime() - started) / 1_000_000)
                    .log("firewall command finished");
            return result;
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new ActionException(command.get(0) + ": interrupted, killed: " + describe(argv), e);
        } catch (ExecutionException | TimeoutException e) {
            // The child exited but left a grandchild holding its pipes open.
            kill(process);
            throw new ActionException(command.get(0) + ": output not closed after exit: " + describe(argv), e);
        }
    }

    /**
     * A tool kept running in its interactive mode, one command line per call: for the few commands on a ban's path,
     * where starting a process per command would cost more than the command. See {@link ToolSession}.
     */
    public interface Session extends AutoCloseable {

        /** Sends one command line and returns what the tool said in answer to it. */
        String ask(String line) throws ActionException;

        /** True until the session failed or was closed. */
        boolean open();

        @Override
        void close();
    }

    /**
     * As {@link #session(List, String)}, for a tool that prompts only on a terminal ({@code nft -i}): each line is
     * followed by {@code sentinel.apply(n)}, a command sure to fail, and the answer ends at its error. See
     * {@link ToolSession#startWithSentinel}.
     *
     * @throws ActionException when it cannot be started or does not answer the first sentinel in time
     */
    public Session sessionWithSentinel(List<String> command, IntFunction<String> sentinel) throws ActionException {
        return ToolSession.startWithSentinel(argv(command), sentinel, timeout, sessionTimeout());
    }

    /**
     * Starts {@code command} (tool first; the prefix is prepended) as a {@link Session} whose tool ends each answer with
     * {@code prompt}. Its first prompt is waited for up to the runner's timeout, like a run of the tool; each later
     * answer is bounded by {@link #SESSION_TIMEOUT} or the runner's timeout, whichever is shorter: a session carries
     * single commands, and a hung one should give way to a process soon.
     *
     * @throws ActionException when it cannot be started or does not prompt in time
     */
    public Session session(List<String> command, String prompt) throws ActionException {
        return ToolSession.start(argv(command), prompt, timeout, sessionTimeout());
    }

    private Duration sessionTimeout() {
        return timeout.compareTo(SESSION_TIMEOUT) < 0 ? timeout : SESSION_TIMEOUT;
    }

    /**
     * Starts {@code command} (tool first) and leaves it running, for a monitor that reports firewall events until it
     * is stopped: stdin is empty, stderr is merged into stdout. The caller reads its output and destroys it; no
     * timeout applies.
     *
     * @throws ActionException when the tool cannot be started
     */
    public Process spawn(List<String> command) throws ActionException {
        List<String> argv = argv(command);
        return start(builder(argv).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))), command.get(0));
    }

    /** Stops a process from {@link #spawn}, and anything it started, without waiting for it. */
    public static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** A builder for {@code argv} with the environment every tool runs in. */
    static ProcessBuilder builder(List<String> argv) {
        ProcessBuilder builder = new ProcessBuilder(argv);
        // Tool messages ("already exists", "is NOT in set") are matched as text; keep them untranslated.
        builder.environment().put("LC_ALL", "C");
        builder.environment().put("LANG", "C");
        return builder;
    }

    private static Process start(ProcessBuilder builder, String tool) throws ActionException {
        try {
            return builder.start();
        } catch (IOException e) {
            throw new ActionException(tool + ": cannot run " + describe(builder.command()) + ": " + e.getMessage(), e);
        }
    }

    private List<String> argv(List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        List<String> argv = new ArrayList<>(prefix.size() + command.size());
        argv.addAll(prefix);
        for (String argument : command) {
            if (argument.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("NUL in an argument of " + command.get(0));
            }
            argv.add(argument);
        }
        return argv;
    }

    private static void kill(Process process) {
        stop(process);
        try {
            process.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void feed(OutputStream stdin, byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            closeQuietly(stdin);
            return;
        }
        // On its own thread: a child that stops reading must not block us past the timeout.
        IO.execute(() -> {
            try (stdin) {
                stdin.write(bytes);
            } catch (IOException e) {
                // The child exited early or closed stdin; its exit code and stderr tell why.
            }
        });
    }

    private static CompletableFuture<Bounded> drain(InputStream stream, int limit) {
        return CompletableFuture.supplyAsync(() -> {
            Bounded bounded = new Bounded(limit);
            byte[] buffer = new byte[8192];
            try (stream) {
                int n;
                while ((n = stream.read(buffer)) >= 0) {
                    bounded.write(buffer, n);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bounded;
        }, IO);
    }

    private static void closeQuietly(OutputStream stream) {
        try {
            stream.close();
        } catch (IOException e) {
            // Nothing was written; the child sees end of input either way.
        }
    }

    /** The command as one line for logs and messages, cut short: bulk calls carry thousands of arguments. */
    static String describe(List<String> argv) {
        String joined = String.join(" ", argv);
        return joined.length() <= LOGGED_COMMAND_CHARS
                ? joined
                : joined.substring(0, LOGGED_COMMAND_CHARS) + "... (" + argv.size() + " arguments)";
    }

    private static String describe(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    /**
     * One finished command.
     *
     * @param command         the full argument vector, prefix included
     * @param exitCode        the tool's exit status
     * @param stdout          standard output as UTF-8, cut at the runner's limit
     * @param stderr          standard error as UTF-8, cut at {@link #STDERR_LIMIT}
     * @param stdoutTruncated true when stdout was longer than the limit; listings then cannot be trusted
     */
    public record Result(List<String> command, int exitCode, String stdout, String stderr, boolean stdoutTruncated) {

        public Result {
            command = List.copyOf(command);
        }

        public boolean ok() {
            return exitCode == 0;
        }

        /** stderr, or stdout when stderr is empty, trimmed and on one line, for failure reasons. */
        public String message() {
            String text = stderr.isBlank() ? stdout : stderr;
            text = text.strip().replace('\n', ' ');
            return text.length() <= 500 ? text : text.substring(0, 500) + "...";
        }

        /** A one-line account of a failed call: the tool, its exit code and what it said. */
        public String failure() {
            return describe(command) + " exited " + exitCode + (message().isEmpty() ? "" : ": " + message());
        }
    }

    private static final class Bounded {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final int limit;
        private boolean truncated;

        Bounded(int limit) {
            this.limit = limit;
        }

        void write(byte[] buffer, int n) {
            int room = limit - bytes.size();
            if (n > room) {
                truncated = true;
            }
            if (room > 0) {
                bytes.write(buffer, 0, Math.min(n, room));
            }
        }

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
