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
import org.tollgate.server.check.Columns;
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
        StringBuilder text = new StringBuilder();
        appendAddresses(text, addresses);
        err.print(text);
    }

    private static void appendAddresses(StringBuilder text, List<AddressActivity> addresses) {
        if (addresses.isEmpty()) {
            return;
        }
        text.append("Failed attempts by address (trusted sources; the lines of one attempt count once):").append(NL);
        row(text, "ADDRESS", "ATTEMPTS", "LINES");
        for (AddressActivity address : addresses.subList(0, Math.min(ADDRESSES_SHOWN, addresses.size()))) {
            row(text, address.ip(), address.attempts(), address.lines());
        }
        if (addresses.size() > ADDRESSES_SHOWN) {
            text.append("  … and ").append(addresses.size() - ADDRESSES_SHOWN).append(" more addresses").append(NL);
        }
    }

    /** ADDRESS, then ATTEMPTS and LINES set to the right. */
    private static final int[] ADDRESS_WIDTHS = {40, -8, -8};

    private static void row(StringBuilder text, String address, Object attempts, Object lines) {
        Columns.row(text.append("  "), ADDRESS_WIDTHS, address, attempts, lines);
    }

    /** The summary's line ends, as {@code %n} wrote them. */
    private static final String NL = System.lineSeparator();

    /** The summary, written whole at the end (see {@link Columns} for why it does not use a format string). */
    private void printSummary(PrintStream err, CheckSummary summary, long nanos) {
        double seconds = Math.max(nanos / 1e9, 1e-9);
        StringBuilder text = new StringBuilder(1024).append(NL);
        text.append("Lines: ").append(summary.lines()).append(" read, ").append(summary.securityEvents())
                .append(" security events, ").append(summary.unparsed()).append(" unparsed (")
                .append(Math.round(summary.lines() / seconds)).append(" lines/s)").append(NL);
        if (summary.scanSignals() > 0) {
            text.append("Scanner signals: ").append(summary.scanSignals())
                    .append(" (events made from several lines; listed with the actions)").append(NL);
        }
        if (!summary.byAction().isEmpty()) {
            text.append("Events by action:").append(NL);
            for (Map.Entry<String, Long> entry : summary.byAction().entrySet()) {
                Columns.left(text.append("  "), entry.getKey(), 36).append(' ').append(entry.getValue()).append(NL);
            }
        }
        text.append("Sources: ").append(summary.trustedSources()).append(" trusted, ")
                .append(summary.untrustedSources()).append(" not trusted (attacker-written text: never banned on)")
                .append(NL);
        if (summary.unreadableSources() + summary.ambiguousSources() > 0) {
            text.append("No source: ").append(summary.unreadableSources())
                    .append(" unreadable addresses (redacted or mangled), ").append(summary.ambiguousSources())
                    .append(" lines the sender made read two ways (never banned on)").append(NL);
        }
        appendAddresses(text, summary.addresses());
        if (!summary.rejected().isEmpty()) {
            text.append("Not read:");
            for (Map.Entry<ParseResult.RejectReason, Long> entry : summary.rejected().entrySet()) {
                text.append(' ').append(entry.getKey().text()).append(' ').append(entry.getValue()).append(';');
            }
            text.append(NL);
        }
        if (summary.packetDumpLines() > 0) {
            text.append("pjproject packet dumps: ").append(summary.packetDumpLines())
                    .append(" lines of raw packet data, never read for addresses").append(NL);
        }
        if (summary.truncatedLines() > 0) {
            text.append("Truncated: ").append(summary.truncatedLines()).append(" lines longer than 64 KiB were cut")
                    .append(NL);
        }
        if (summary.headerOnlyAuthFailures() > 0) {
            text.append("Hint: ").append(summary.headerOnlyAuthFailures())
                    .append(" chan_sip 'Failed to authenticate' lines carry only the From header the attacker wrote,"
                    + " so nothing can be banned on them.").append(NL)
                    .append("      Apply the chan_sip patch for your Asterisk version"
                    + " from patches/ (see patches/README.md) to log the real source address.").append(NL);
        }
        if (summary.viaSources() > 0) {
            text.append("Assumed: ").append(summary.viaSources())
                    .append(" chan_sip security events (Service=\"SIP\") name p->sa, not the packet's source:"
                    + " chan_sip sets its address from a top Via maddr= whatever nat= says (check_via, process_via in"
                    + " channels/chan_sip.c, 10 to 20), so a sender can name any address there. They are not trusted;"
                    + " a jail with 'trust: any' bans on them as fail2ban does, at that risk.").append(NL);
        }
        if (summary.patchedLines() > 0 && !logOptions.patched) {
            text.append("Hint: ").append(summary.patchedLines())
                    .append(" lines are in the patched form '… (ip:port)'. If this host runs the Tollgate chan_sip"
                    + " patch, add --patched (or 'patched: true' on the source) to trust them.").append(NL);
        }
        err.print(text);
        err.flush();
    }
}
