package org.tollgate.banner.action;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * A runner that starts no process: it records each command, its stdin and the content of any file passed as
 * {@code --add-entries-from-file=} / {@code --remove-entries-from-file=}, and answers from a script.
 */
final class RecordingRunner extends CommandRunner {

    /** One recorded call. */
    record Call(List<String> command, String stdin, String entriesFile) {

        /** Everything the tool would have seen, for "nothing hostile got through" checks. */
        String everything() {
            return String.join("\u0000", command) + "\u0000" + (stdin == null ? "" : stdin) + "\u0000"
                    + (entriesFile == null ? "" : entriesFile);
        }
    }

    private final List<Call> calls = new ArrayList<>();
    private final List<String> sessionLines = new ArrayList<>();
    private Function<List<String>, Result> answers = command -> ok("");
    private Function<String, String> sessionAnswers;

    /** Lets actions open a session, answered line by line by {@code answers}; without this, no session starts. */
    RecordingRunner withSession(Function<String, String> answers) {
        this.sessionAnswers = answers;
        return this;
    }

    /** The lines sent through sessions, in order. */
    List<String> sessionLines() {
        return sessionLines;
    }

    @Override
    public Session sessionWithSentinel(List<String> command, IntFunction<String> sentinel) throws ActionException {
        return session(command, "");
    }

    @Override
    public Session session(List<String> command, String prompt) throws ActionException {
        if (sessionAnswers == null) {
            throw new ActionException("recorded: no session");
        }
        return new Session() {
            @Override
            public String ask(String line) {
                sessionLines.add(line);
                return sessionAnswers.apply(line);
            }

            @Override
            public boolean open() {
                return true;
            }

            @Override
            public void close() {
            }
        };
    }

    RecordingRunner answering(Function<List<String>, Result> answers) {
        this.answers = answers;
        return this;
    }

    List<Call> calls() {
        return calls;
    }

    List<List<String>> commands() {
        List<List<String>> commands = new ArrayList<>();
        for (Call call : calls) {
            commands.add(call.command());
        }
        return commands;
    }

    @Override
    public Result run(List<String> command, byte[] stdin) {
        String entries = null;
        for (String argument : command) {
            int at = argument.indexOf("-entries-from-file=");
            if (at >= 0) {
                try {
                    entries = Files.readString(Path.of(argument.substring(at + "-entries-from-file=".length())));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        calls.add(new Call(List.copyOf(command), stdin == null ? null : new String(stdin, StandardCharsets.UTF_8),
                entries));
        Result answer = answers.apply(command);
        return new Result(command, answer.exitCode(), answer.stdout(), answer.stderr(), false);
    }

    static Result ok(String stdout) {
        return new Result(List.of("recorded"), 0, stdout, "", false);
    }

    static Result exit(int code, String stdout, String stderr) {
        return new Result(List.of("recorded"), code, stdout, stderr, false);
    }
}
