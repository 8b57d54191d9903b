package org.tollgate.banner.action;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A firewall tool kept running in its interactive mode ({@code ipset -}): one command line in, its answer out, with no
 * process started per command. The answer is everything the tool writes (stdout and stderr together) up to its next
 * prompt. The tool runs by argument vector like every command of {@link CommandRunner}.
 *
 * <p>A session that times out, whose tool exits, or that answers with more than {@link #ANSWER_LIMIT} bytes is closed
 * and fails every later call; its owner starts a new one. Thread-safe: one command at a time.
 */
final class ToolSession implements CommandRunner.Session {

    static final int ANSWER_LIMIT = 64 << 10;

    private final Process process;
    private final OutputStream input;
    private final byte[] prompt;
    private final Duration timeout;
    private final String name;
    /** What the tool wrote since the last prompt; guarded by {@code this}. */
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean ended;
    private boolean closed;

    private ToolSession(Process process, String prompt, Duration timeout, String name) {
        this.process = process;
        this.input = process.getOutputStream();
        this.prompt = prompt.getBytes(StandardCharsets.US_ASCII);
        this.timeout = timeout;
        this.name = name;
    }

    /**
     * Starts {@code argv} with stdout and stderr merged and waits for its first prompt.
     *
     * @throws ActionException when the tool cannot be started or does not prompt within {@code timeout}
     */
    static ToolSession start(List<String> argv, String prompt, Duration timeout) throws ActionException {
        ProcessBuilder builder = CommandRunner.builder(argv).redirectErrorStream(true);
        String name = CommandRunner.describe(argv);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new ActionException(name + ": cannot start: " + e.getMessage(), e);
        }
        ToolSession session = new ToolSession(process, prompt, timeout, name);
        Thread reader = new Thread(session::read, "tollgate-session-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        try {
            session.awaitPrompt();
        } catch (ActionException e) {
            session.close();
            throw e;
        }
        return session;
    }

    /**
     * Sends one command line and returns the tool's answer to it, without the prompt ("" when it said nothing).
     *
     * @throws IllegalArgumentException for a line holding a line break or a NUL: it would be two commands
     * @throws ActionException          when the session is closed, the tool exited, or no prompt came in time
     */
    @Override
    public synchronized String ask(String line) throws ActionException {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\n' || c == '\r' || c == '\0') {
                throw new IllegalArgumentException("a line break or NUL in a command for " + name);
            }
        }
        if (closed) {
            throw new ActionException(name + ": session closed");
        }
        try {
            input.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            input.flush();
        } catch (IOException e) {
            close();
            throw new ActionException(name + ": the tool stopped reading: " + e.getMessage(), e);
        }
        return awaitPrompt();
    }

    @Override
    public synchronized boolean open() {
        return !closed && !ended;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            input.close();
        } catch (IOException e) {
            // The tool is gone already.
        }
        process.destroy();
        notifyAll();
    }

    private synchronized String awaitPrompt() throws ActionException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!endsWithPrompt()) {
            if (ended || closed) {
                String said = pending.toString(StandardCharsets.UTF_8).strip();
                close();
                throw new ActionException(name + ": the tool exited" + (said.isEmpty() ? "" : ": " + said));
            }
            if (pending.size() > ANSWER_LIMIT) {
                close();
                throw new ActionException(name + ": an answer longer than " + ANSWER_LIMIT + " bytes");
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                close();
                throw new ActionException(name + ": no answer within " + timeout.toMillis() + " ms, closed");
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new ActionException(name + ": interrupted, closed", e);
            }
        }
        byte[] bytes = pending.toByteArray();
        pending.reset();
        return new String(bytes, 0, bytes.length - prompt.length, StandardCharsets.UTF_8);
    }

    private boolean endsWithPrompt() {
        int size = pending.size();
        if (size < prompt.length) {
            return false;
        }
        byte[] bytes = pending.toByteArray();
        for (int i = 0; i < prompt.length; i++) {
            if (bytes[size - prompt.length + i] != prompt[i]) {
                return false;
            }
        }
        return true;
    }

    /** The reader thread: everything the tool writes goes to {@link #pending}. */
    private void read() {
        byte[] buffer = new byte[8192];
        try (InputStream output = process.getInputStream()) {
            int n;
            while ((n = output.read(buffer)) >= 0) {
                synchronized (this) {
                    // Past the limit nothing more is kept: the waiting call sees the limit and closes the session.
                    if (pending.size() <= ANSWER_LIMIT) {
                        pending.write(buffer, 0, n);
                    }
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // Closed under us: the session is over either way.
        }
        synchronized (this) {
            ended = true;
            notifyAll();
        }
    }
}
