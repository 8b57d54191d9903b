package org.tollgate.server.cli;

import java.io.Flushable;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.tollgate.banner.replay.AddressActivity;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.server.check.CheckSummary;
import org.tollgate.server.check.EventTable;
import org.tollgate.server.check.HandOff;
import org.tollgate.server.check.JsonLines;
import org.tollgate.server.check.LogChecker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tollgate check}: what fail2ban-regex does, with events. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Reads Asterisk logs and shows the security events in them (a table, or ECS JSON lines with --json),",
            "then a summary on stderr: lines, events by action, unparsed lines, speed."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every input was read", "2:an input could not be read (the others still were)"})
final class CheckCommand implements Callable<Integer> {

    static final int EXIT_UNREADABLE = 2;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Log files to read; - reads standard input.")
    List<String> files;

    @Option(names = "--json", description = "Write one ECS JSON event per line on stdout.")
    boolean json;

    @Option(names = "--all", description = "With --json, write every line (also lines that are not security events).")
    boolean all;

    @Mixin
    LogOptions logOptions;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        // Every line's JSON is about as much work as reading the line: it is written (and the line counted in the
        // summary) on a thread of its own, so both cores work. A security event's JSON (and its count) is a good part
        // of reading its line, and goes to a thread of its own as well when there is a core for it.
        boolean writerThread = json && (all || Runtime.getRuntime().availableProcessors() > 1);
        LogChecker checker = !writerThread ? logOptions.securityChecker()
                : all ? logOptions.checkerCountedBySink() : logOptions.securityCheckerCountedBySink();
        JsonLines jsonLines = json ? new JsonLines(out, all) : null;
        HandOff<ParseResult> writer = writerThread ? new HandOff<>("tollgate-json-writer",
                checker.counting(jsonLines), jsonLines, LogChecker::weight) : null;
        Consumer<ParseResult> toJson = writer != null ? writer : jsonLines;
        Flushable output = writer != null ? writer : jsonLines;
        EventTable table = json ? null : new EventTable(out);
        long started = System.nanoTime();
        int exit = LogOptions.readAll("check", checker, files, result -> {
            if (toJson != null) {
                toJson.accept(result);
            } else if (result instanceof ParseResult.Parsed parsed && parsed.event().isSecurity()) {
                table.row(parsed.event());
            }
        }, output, err);
        try {
            if (writer != null) {
                writer.close();
            } else if (jsonLines != null) {
                jsonLines.flush();
            }
        } catch (IOException e) {
            err.println("tollgate check: cannot write output: " + e.getMessage());
            exit = EXIT_UNREADABLE;
        }
        out.flush();
        printSummary(err, checker.summary(), System.nanoTime() - started);
        return exit;
    }

    /** How many addresses the summaries list, busiest first. */
    static final int ADDRESSES_SHOWN = 10;

    /** Failed attempts and failure lines per address, the busiest {@link #ADDRESSES_SHOWN}. */
    static void printAddresses(PrintStream err, List<AddressActivity> addresses) {
        if (addresses.isEmpty()) {
            return;
        }
        err.printf("Failed attempts by address (trusted sources; the lines of one attempt count once):%n");
        err.printf("  %-40s %8s %8s%n", "ADDRESS", "ATTEMPTS", "LINES");
        for (AddressActivity address : addresses.subList(0, Math.min(ADDRESSES_SHOWN, addresses.size()))) {
            err.printf("  %-40s %8d %8d%n", address.ip(), address.attempts(), address.lines());
        }
        if (addresses.size() > ADDRESSES_SHOWN) {
            err.printf("  … and %d more addresses%n", addresses.size() - ADDRESSES_SHOWN);
        }
    }

    private void printSummary(PrintStream err, CheckSummary summary, long nanos) {
        double seconds = Math.max(nanos / 1e9, 1e-9);
        err.println();
        err.printf("Lines: %d read, %d security events, %d unparsed (%.0f lines/s)%n", summary.lines(),
                summary.securityEvents(), summary.unparsed(), summary.lines() / seconds);
        if (summary.scanSignals() > 0) {
            err.printf("Scanner signals: %d (events made from several lines; listed with the actions)%n",
                    summary.scanSignals());
        }
        if (!summary.byAction().isEmpty()) {
            err.println("Events by action:");
            for (Map.Entry<String, Long> entry : summary.byAction().entrySet()) {
                err.printf("  %-36s %d%n", entry.getKey(), entry.getValue());
            }
        }
        err.printf("Sources: %d trusted, %d not trusted (attacker-written text: never banned on)%n",
                summary.trustedSources(), summary.untrustedSources());
        if (summary.unreadableSources() + summary.ambiguousSources() > 0) {
            err.printf("No source: %d unreadable addresses (redacted or mangled), %d lines the sender made read two"
                    + " ways (never banned on)%n", summary.unreadableSources(), summary.ambiguousSources());
        }
        printAddresses(err, summary.addresses());
        if (!summary.rejected().isEmpty()) {
            err.print("Not read:");
            summary.rejected().forEach((reason, count) -> err.printf(" %s %d;", reason.text(), count));
            err.println();
        }
        if (summary.packetDumpLines() > 0) {
            err.printf("pjproject packet dumps: %d lines of raw packet data, never read for addresses%n",
                    summary.packetDumpLines());
        }
        if (summary.truncatedLines() > 0) {
            err.printf("Truncated: %d lines longer than 64 KiB were cut%n", summary.truncatedLines());
        }
        if (summary.headerOnlyAuthFailures() > 0) {
            err.printf("Hint: %d chan_sip 'Failed to authenticate' lines carry only the From header the attacker wrote,"
                    + " so nothing can be banned on them.%n      Apply the chan_sip patch for your Asterisk version"
                    + " from patches/ (see patches/README.md) to log the real source address.%n",
                    summary.headerOnlyAuthFailures());
        }
        if (summary.viaSources() > 0) {
            err.printf("Assumed: %d chan_sip security events (Service=\"SIP\") name p->sa, not the packet's source:"
                    + " chan_sip sets its address from a top Via maddr= whatever nat= says (check_via, process_via in"
                    + " channels/chan_sip.c, 10 to 20), so a sender can name any address there. They are not trusted;"
                    + " a jail with 'trust: any' bans on them as fail2ban does, at that risk.%n", summary.viaSources());
        }
        if (summary.patchedLines() > 0 && !logOptions.patched) {
            err.printf("Hint: %d lines are in the patched form '… (ip:port)'. If this host runs the Tollgate chan_sip"
                    + " patch, add --patched (or 'patched: true' on the source) to trust them.%n",
                    summary.patchedLines());
        }
    }
}
