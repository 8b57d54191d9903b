package org.tollgate.server.cli;

import java.io.Flushable;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Consumer;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.server.check.LogChecker;
import org.tollgate.normalizer.call.NumberingPlan;
import picocli.CommandLine.Option;

/** {@code --patched} and {@code --zone}, shared by the commands that read Asterisk logs from files. */
final class LogOptions {

    @Option(names = "--patched", description = "The host runs a Tollgate chan_sip patch: trust the (ip:port) of 'Failed to authenticate' lines.")
    boolean patched;

    @Option(names = "--zone", paramLabel = "ZONE", description = "Time zone of stamps that name none (default: this machine's, ${DEFAULT-VALUE}).")
    ZoneId zone = ZoneId.systemDefault();

    /** A checker that reads lines as these options say. */
    LogChecker checker() {
        return new LogChecker(LogChecker.options(zone, patched));
    }

    /** A checker that reads lines as these options say, its results counted by the sink ({@link LogChecker#counting}). */
    LogChecker checkerCountedBySink() {
        return new LogChecker(LogChecker.options(zone, patched), false, true);
    }

    /** A checker that hands on security events alone, read through the normalizer's fast path. */
    LogChecker securityChecker() {
        return new LogChecker(LogChecker.options(zone, patched), true);
    }

    /** As {@link #securityChecker()}, its results counted by the sink ({@link LogChecker#counting}). */
    LogChecker securityCheckerCountedBySink() {
        return new LogChecker(LogChecker.options(zone, patched), true, true);
    }

    /** A checker that reads lines as these options say, dialled numbers by {@code numbering}. */
    LogChecker checker(NumberingPlan numbering) {
        return new LogChecker(LogChecker.options(zone, patched).withNumbering(numbering));
    }

    /**
     * Reads every file ({@code -} is stdin) through {@code checker} into {@code sink}. A file that cannot be read is
     * said on {@code err} as {@code tollgate <command>: <file>: …}, and the others are still read.
     *
     * @return 0, or {@link CheckCommand#EXIT_UNREADABLE} when a file could not be read
     */
    static int readAll(String command, LogChecker checker, List<String> files, Consumer<ParseResult> sink,
                       PrintStream err) {
        return readAll(command, checker, files, sink, null, err);
    }

    /** As {@link #readAll(String, LogChecker, List, Consumer, PrintStream)}, flushing {@code output} when input stalls. */
    static int readAll(String command, LogChecker checker, List<String> files, Consumer<ParseResult> sink,
                       Flushable output, PrintStream err) {
        int exit = 0;
        for (String file : files) {
            try {
                checker.check(file, System.in, sink, output, err, System.console() != null);
            } catch (NoSuchFileException e) {
                err.println("tollgate " + command + ": " + file + ": no such file");
                exit = CheckCommand.EXIT_UNREADABLE;
            } catch (IOException | UncheckedIOException e) {
                err.println("tollgate " + command + ": " + file + ": cannot read: " + e.getMessage());
                exit = CheckCommand.EXIT_UNREADABLE;
            }
        }
        return exit;
    }
}
