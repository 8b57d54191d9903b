package org.tollgate.banner.action;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import org.tollgate.banner.BanPathEvent;

/**
 * A firewall tool kept running in its interactive mode ({@code ipset -}, {@code nft -i}): one command line in, its
 * answer out, with no process started per command. The answer is everything the tool writes (stdout and stderr
 * together) up to the end of the answer: its next prompt, or, for a tool that prompts only on a terminal, the error
 * of a sentinel command sent after each line, a command sure to fail whose echo in the error is unique per call.
 * The tool runs by argument vector like every command of {@link CommandRunner}.
 *
 * <p>The tool's start (up to its first prompt or first sentinel answer) has a limit of its own, apart from the limit on
 * each answer: starting a process can take long on a busy machine (a Python tool takes most of a second to start on
 * some), while a command's answer comes at once from a tool that works. A session that times out, whose tool exits, or
 * that answers with more than {@link #ANSWER_LIMIT} bytes is closed and fails every later call; its owner starts a new
 * one. Thread-safe: one command at a time.
 *
 * <p>The caller's thread reads the answer itself, so the tool's answer wakes the thread that waits for it and no
 * other: one hand-off between threads fewer on a ban's path than a reader thread of its own. The limits are kept by a
 * watchdog thread that sleeps most of the time and kills the tool when an answer is late, which ends the caller's read.
 */
final class ToolSession implements CommandRunner.Session {

    static final int ANSWER_LIMIT = 64 << 10;

    private final Process process;
    private final OutputStream input;
    private final Framing framing;
    private final Duration answerTimeout;
    private final String name;
    private final InputStream output;
    /** What the tool wrote and the last answer did not take; guarded by {@code this}. */
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final byte[] buffer = new byte[8192];
    /**
     * When the answer waited for is late ({@link System#nanoTime()}), {@link #IDLE} while none is waited for, and
     * {@link #TIMED_OUT} once the watchdog killed the tool for a late answer.
     */
    private final AtomicLong deadline = new AtomicLong(IDLE);
    private volatile boolean ended;
    private volatile boolean closed;

    private static final long IDLE = 0;
    private static final long TIMED_OUT = -1;
    /** How often the watchdog looks for an answer waited for while none is; sleeping, it costs nothing. */
    private static final long WATCH_NANOS = 200_000_000L;

    private ToolSession(Process process, Framing framing, Duration answerTimeout, String name) {
        this.process = process;
        this.input = process.getOutputStream();
        this.output = process.getInputStream();
        this.framing = framing;
        this.answerTimeout = answerTimeout;
        this.name = name;
    }

    /**
     * Starts {@code argv} with stdout and stderr merged and waits for its first prompt.
     *
     * @param startTimeout  the longest wait for the first prompt
     * @param answerTimeout the longest wait for each later answer
     * @throws ActionException when the tool cannot be started or does not prompt within {@code startTimeout}
     */
    static ToolSession start(List<String> argv, String prompt, Duration startTimeout, Duration answerTimeout)
            throws ActionException {
        return start(argv, new Prompt(prompt), startTimeout, answerTimeout);
    }

    /**
     * Starts {@code argv} with stdout and stderr merged, for a tool that answers a failed command with lines ending in
     * the command echoed and one line more (nft's caret line), and says nothing on success. After each line the
     * session sends {@code sentinel.apply(n)}, with {@code n} counting calls, a command that must fail; the answer is
     * what came before the line ahead of its echo. The first sentinel is sent at start, to see the tool answer.
     *
     * @param startTimeout  the longest wait for the answer to the first sentinel
     * @param answerTimeout the longest wait for each later answer
     * @throws ActionException when the tool cannot be started or does not answer the sentinel within
     *                         {@code startTimeout}
     */
    static ToolSession startWithSentinel(List<String> argv, IntFunction<String> sentinel, Duration startTimeout,
                                         Duration answerTimeout) throws ActionException {
        return start(argv, new Sentinel(sentinel), startTimeout, answerTimeout);
    }

    private static ToolSession start(List<String> argv, Framing framing, Duration startTimeout,
                                     Duration answerTimeout) throws ActionException {
        ProcessBuilder builder = CommandRunner.builder(argv).redirectErrorStream(true);
        String name = CommandRunner.describe(argv);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new ActionException(name + ": cannot start: " + e.getMessage(), e);
        }
        ToolSession session = new ToolSession(process, framing, answerTimeout, name);
        Thread watchdog = new Thread(session::watch, "tollgate-session-" + process.pid());
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            session.exchange(null, startTimeout);
        } catch (ActionException e) {
            session.close();
            throw e;
        }
        return session;
    }

    /**
     * Sends one command line and returns the tool's answer to it, without the prompt or the sentinel's error (""
     * when it said nothing).
     *
     * @throws IllegalArgumentException for a line holding a line break or a NUL: it would be two commands
     * @throws ActionException          when the session is closed, the tool exited, or the answer's end did not
     *                                  come in time
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
        return exchange(line, answerTimeout);
    }

    @Override
    public boolean open() {
        return !closed && !ended && process.isAlive();
    }

    /** Ends the tool; a call waiting for its answer then fails at once. Never waits for that call. */
    @Override
    public void close() {
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
    }

    /**
     * Writes what the framing makes of {@code line} (null: the opening, if any) and waits up to {@code timeout} for the
     * answer's end.
     */
    private synchronized String exchange(String line, Duration timeout) throws ActionException {
        long started = System.nanoTime();
        String answer = answer(line, timeout);
        BanPathEvent.mark(BanPathEvent.SESSION, null, line != null ? line : name + " started", started);
        return answer;
    }

    private String answer(String line, Duration timeout) throws ActionException {
        String request = framing.request(line);
        long due = System.nanoTime() + timeout.toNanos();
        deadline.set(due == IDLE || due == TIMED_OUT ? due + 2 : due);
        try {
            if (!request.isEmpty()) {
                try {
                    input.write(request.getBytes(StandardCharsets.UTF_8));
                    input.flush();
                } catch (IOException e) {
                    close();
                    throw new ActionException(name + ": the tool stopped reading: " + e.getMessage(), e);
                }
            }
            while (true) {
                byte[] bytes = pending.toByteArray();
                Cut cut = framing.cut(bytes);
                if (cut != null) {
                    pending.reset();
                    pending.write(bytes, cut.spanned(), bytes.length - cut.spanned());
                    return new String(bytes, 0, cut.answer(), StandardCharsets.UTF_8);
                }
                if (deadline.get() == TIMED_OUT) {
                    close();
                    throw new ActionException(name + ": no answer within " + timeout.toMillis() + " ms, closed");
                }
                if (ended || closed) {
                    String said = new String(bytes, StandardCharsets.UTF_8).strip();
                    close();
                    throw new ActionException(name + ": the tool exited" + (said.isEmpty() ? "" : ": " + said));
                }
                if (bytes.length > ANSWER_LIMIT) {
                    close();
                    throw new ActionException(name + ": an answer longer than " + ANSWER_LIMIT + " bytes");
                }
                readSome();
            }
        } finally {
            // Answered (or failed) in time: nothing for the watchdog to wait for. Once it timed out, that stays.
            long waited = deadline.get();
            if (waited != TIMED_OUT) {
                deadline.compareAndSet(waited, IDLE);
            }
        }
    }

    /** Waits for what the tool writes next and keeps it; at its end (exited, or killed), marks the session ended. */
    private void readSome() {
        int n;
        try {
            n = output.read(buffer);
        } catch (IOException e) {
            n = -1; // closed under us: the session is over either way
        }
        if (n < 0) {
            ended = true;
        } else {
            pending.write(buffer, 0, n);
        }
    }

    /**
     * The watchdog: kills the tool when the answer waited for is late, which ends the read waiting for it (the
     * caller then says the answer did not come in time). Looks every {@link #WATCH_NANOS} while no answer is waited
     * for, and sleeps until the deadline while one is.
     */
    private void watch() {
        while (!closed && !ended) {
            long due = deadline.get();
            long now = System.nanoTime();
            if (due == TIMED_OUT) {
                return;
            }
            if (due != IDLE && now - due >= 0) {
                if (deadline.compareAndSet(due, TIMED_OUT)) {
                    process.destroyForcibly();
                    return;
                }
                continue;
            }
            LockSupport.parkNanos(due == IDLE ? WATCH_NANOS : Math.min(WATCH_NANOS, due - now));
        }
    }

    /** How the tool's answers are told apart. */
    private interface Framing {

        /** What to write for {@code line}; for null, what to write at start before the first answer ("" for none). */
        String request(String line);

        /** Where the answer at the head of {@code bytes} ends; null while it has not ended. */
        Cut cut(byte[] bytes);
    }

    /** The answer's length, and the length of all it spans, its end mark included. */
    private record Cut(int answer, int spanned) {
    }

    /** Every answer ends with the prompt, which the tool also writes at start. */
    private static final class Prompt implements Framing {
        private final byte[] prompt;

        Prompt(String prompt) {
            this.prompt = prompt.getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public String request(String line) {
            return line == null ? "" : line + "\n";
        }

        @Override
        public Cut cut(byte[] bytes) {
            int from = bytes.length - prompt.length;
            return from >= 0 && regionEquals(bytes, from, prompt) ? new Cut(from, bytes.length) : null;
        }
    }

    /**
     * Every line is followed by a sentinel command that fails; the answer ends at the line ahead of the sentinel's
     * echo (its error message, whatever its wording), and what the answer spans ends with the line after the echo.
     */
    private static final class Sentinel implements Framing {
        private final IntFunction<String> sentinel;
        private int count;
        private byte[] echo;

        Sentinel(IntFunction<String> sentinel) {
            this.sentinel = sentinel;
        }

        @Override
        public String request(String line) {
            String next = sentinel.apply(count++);
            echo = ("\n" + next + "\n").getBytes(StandardCharsets.UTF_8);
            return line == null ? next + "\n" : line + "\n" + next + "\n";
        }

        @Override
        public Cut cut(byte[] bytes) {
            for (int at = 0; at + echo.length <= bytes.length; at++) {
                if (regionEquals(bytes, at, echo)) {
                    int after = at + echo.length;
                    int lineEnd = indexOf(bytes, (byte) '\n', after);
                    if (lineEnd < 0) {
                        return null;
                    }
                    // The error message is the line ahead of the echo, which begins right after a line break.
                    int answer = at;
                    while (answer > 0 && bytes[answer - 1] != '\n') {
                        answer--;
                    }
                    return new Cut(answer, lineEnd + 1);
                }
            }
            return null;
        }
    }

    private static boolean regionEquals(byte[] bytes, int from, byte[] expected) {
        for (int i = 0; i < expected.length; i++) {
            if (bytes[from + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] bytes, byte value, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
