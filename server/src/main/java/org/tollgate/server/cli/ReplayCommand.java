package org.tollgate.server.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import org.tollgate.banner.config.ConfigException;
import org.tollgate.server.config.TollgateConfig;
import org.tollgate.banner.fraud.FraudAlert;
import org.tollgate.banner.fraud.FraudAlertJson;
import org.tollgate.banner.fraud.FraudJails;
import org.tollgate.banner.jail.Failure;
import org.tollgate.banner.jail.JailStats;
import org.tollgate.banner.replay.Decision;
import org.tollgate.banner.replay.DecisionJsonWriter;
import org.tollgate.banner.replay.Replay;
import org.tollgate.banner.replay.ReplaySummary;
import org.tollgate.normalizer.AsteriskEvent;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.server.check.Columns;
import org.tollgate.server.check.JsonLines;
import org.tollgate.server.check.LogChecker;
import org.tollgate.server.bus.FailureFromEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tollgate replay}: what the jails would have done with these logs, in log time, touching no firewall. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Runs the configured jails over logs in log time and prints each ban and unban they decide,",
            "and the fraud jails over the calls in the logs and CDR files (Master.csv), printing each alert;",
            "no firewall is touched and no state is written. The tool to tune a jail before turning it on."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:the configuration is invalid", "2:a log could not be read (the others still were)"})
final class ReplayCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "tollgate.yaml with the jails to replay.")
    Path config;

    @Parameters(arity = "1..*", paramLabel = "LOG", description = "Asterisk logs and CDR files (Master.csv), the"
            + " security log before the full log; - reads standard input.")
    List<String> logs;

    @Option(names = "--json", description = "Write each decision as one JSON line (event.kind alert) on stdout.")
    boolean json;

    @Mixin
    LogOptions logOptions;

    @Override
    public Integer call() throws IOException {
        PrintStream out = System.out;
        PrintStream err = System.err;
        TollgateConfig file;
        try {
            file = TollgateConfig.load(config);
        } catch (ConfigException e) {
            err.println("tollgate replay: " + e.getMessage());
            return 1;
        }
        List<Failure> failures = new ArrayList<>();
        List<AsteriskEvent> calls = new ArrayList<>();
        LogChecker checker = logOptions.checker(file.numbering());
        int exit = LogOptions.readAll("replay", checker, logs, normalized -> {
            ParseResult result = file.customFilters().apply(normalized);
            if (result instanceof ParseResult.Parsed parsed) {
                Failure failure = FailureFromEvent.of(parsed.event());
                if (failure != null) {
                    failures.add(failure);
                }
                if (parsed.event().isCall()) {
                    calls.add(parsed.event());
                }
            }
        }, err);
        // Several logs of one host interleave: replay them in log time.
        failures.sort(Comparator.comparing(Failure::timestamp));
        calls.sort(Comparator.comparing(AsteriskEvent::timestamp));
        Replay replay = new Replay(file.jails().values());
        ReplaySummary summary;
        if (json) {
            OutputStream blocks = JsonLines.inBlocks(out);
            try (DecisionJsonWriter writer = new DecisionJsonWriter(blocks)) {
                summary = replay.run(failures, writer);
            } finally {
                blocks.flush(); // stdout stays open
            }
        } else {
            summary = replay.run(failures, table(out));
        }
        FraudJails fraud = new FraudJails(file.fraud().values());
        if (!fraud.isEmpty()) {
            Consumer<FraudAlert> alerts = json ? alert -> out.println(FraudAlertJson.of(alert)) : alertTable(out);
            for (AsteriskEvent call : calls) {
                // Calls still up count their minutes at each call event's time, as the service's clock would.
                fraud.check(call.timestamp()).forEach(alerts);
                fraud.offer(call.call(), call.timestamp()).forEach(alerts);
            }
        }
        out.flush();
        printSummary(err, summary, checker.summary().lines());
        if (!fraud.isEmpty()) {
            err.println("Fraud: " + calls.size() + " call events");
            fraud.summary().forEach(line -> err.println("  " + line));
        }
        return exit;
    }

    /** One row per decision, set in {@link Columns} (no format string parsed per row). */
    private static Consumer<Decision> table(PrintStream out) {
        return rows(out, new int[] {24, 6, 40, 16, -8, -10},
                new Object[] {"TIME", "ACTION", "SOURCE", "JAIL", "FAILURES", "BANTIME"},
                decision -> new Object[] {decision.timestamp(), decision.kind().action(), decision.ip(), decision.jail(),
                    decision.failures(), decision.bantimeSeconds() < 0 ? "permanent" : decision.bantimeSeconds() + "s"});
    }

    private static Consumer<FraudAlert> alertTable(PrintStream out) {
        return rows(out, new int[] {24, 12, 16, 20, 16},
                new Object[] {"TIME", "FRAUD JAIL", "LIMIT", "KEY", "SOURCE", "REASON"},
                alert -> new Object[] {alert.at(), alert.jail(), alert.limit(), alert.key(),
                    alert.sourceIp() == null ? "-" : alert.sourceIp() + (alert.trusted() ? "" : " (untrusted)"),
                    alert.reason()});
    }

    /** A table on {@code out}: the header before the first row, then a row per item (see {@link Columns#row}). */
    private static <T> Consumer<T> rows(PrintStream out, int[] widths, Object[] header, Function<T, Object[]> cells) {
        boolean[] headerWritten = {false};
        return item -> {
            if (!headerWritten[0]) {
                out.print(Columns.row(new StringBuilder(120), widths, header));
                headerWritten[0] = true;
            }
            out.print(Columns.row(new StringBuilder(120), widths, cells.apply(item)));
        };
    }

    private static void printSummary(PrintStream err, ReplaySummary summary, long lines) {
        StringBuilder text = new StringBuilder(512).append(System.lineSeparator());
        text.append("Replay: ").append(lines).append(" lines, ").append(summary.failures()).append(" failures from ")
                .append(summary.distinctIps()).append(" addresses, ").append(summary.bans()).append(" bans, ")
                .append(summary.unbans()).append(" unbans").append(System.lineSeparator());
        for (JailStats stats : summary.jails()) {
            Columns.left(text.append("  "), stats.jail(), 16).append(' ').append(stats.bans()).append(" bans; counted ")
                    .append(stats.counted()).append(", skipped: ").append(stats.ignored()).append(" ignoreip, ")
                    .append(stats.untrusted()).append(" untrusted source, ").append(stats.unmatched())
                    .append(" not matched, ").append(stats.whileBanned()).append(" already banned, ")
                    .append(stats.sameAttempt()).append(" more lines of a counted attempt").append(System.lineSeparator());
        }
        err.print(text);
        CheckCommand.printAddresses(err, summary.addresses());
    }
}
