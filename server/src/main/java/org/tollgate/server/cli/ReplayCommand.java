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
            err.printf("Fraud: %d call events%n", calls.size());
            fraud.summary().forEach(line -> err.println("  " + line));
        }
        return exit;
    }

    private static Consumer<Decision> table(PrintStream out) {
        String format = "%-24s %-6s %-40s %-16s %8s %10s%n";
        boolean[] header = {false};
        return decision -> {
            if (!header[0]) {
                out.printf(format, "TIME", "ACTION", "SOURCE", "JAIL", "FAILURES", "BANTIME");
                header[0] = true;
            }
            out.printf(format, decision.timestamp(), decision.kind().action(), decision.ip(), decision.jail(),
                    decision.failures(), decision.bantimeSeconds() < 0 ? "permanent" : decision.bantimeSeconds() + "s");
        };
    }

    private static Consumer<FraudAlert> alertTable(PrintStream out) {
        String format = "%-24s %-12s %-16s %-20s %-16s %s%n";
        boolean[] header = {false};
        return alert -> {
            if (!header[0]) {
                out.printf(format, "TIME", "FRAUD JAIL", "LIMIT", "KEY", "SOURCE", "REASON");
                header[0] = true;
            }
            out.printf(format, alert.at(), alert.jail(), alert.limit(), alert.key(),
                    alert.sourceIp() == null ? "-" : alert.sourceIp() + (alert.trusted() ? "" : " (untrusted)"),
                    alert.reason());
        };
    }

    private static void printSummary(PrintStream err, ReplaySummary summary, long lines) {
        err.println();
        err.printf("Replay: %d lines, %d failures from %d addresses, %d bans, %d unbans%n", lines, summary.failures(),
                summary.distinctIps(), summary.bans(), summary.unbans());
        for (JailStats stats : summary.jails()) {
            err.printf("  %-16s %d bans; counted %d, skipped: %d ignoreip, %d untrusted source, %d not matched,"
                    + " %d already banned, %d more lines of a counted attempt%n", stats.jail(), stats.bans(),
                    stats.counted(), stats.ignored(), stats.untrusted(), stats.unmatched(), stats.whileBanned(),
                    stats.sameAttempt());
        }
        CheckCommand.printAddresses(err, summary.addresses());
    }
}
