package org.tollgate.server.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import org.tollgate.server.adopt.patches.PatchAdvice;
import org.tollgate.server.adopt.patches.PatchAdviceReport;
import org.tollgate.server.adopt.patches.PatchAdvisor;
import org.tollgate.server.check.LogChecker;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tollgate patches}: what a host's Asterisk needs to log what Tollgate bans on. */
@Command(name = "patches", mixinStandardHelpOptions = true,
        description = "The chan_sip patches of patches/ and the logger settings a host needs.",
        subcommands = {PatchesCommand.Advise.class})
final class PatchesCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    /** {@code tollgate patches advise LOG...}. */
    @Command(name = "advise", mixinStandardHelpOptions = true,
            description = {"Reads a host's Asterisk logs and says which Asterisk release(s) wrote them, whether chan_sip",
                "failures carry only the From header (and which patch of patches/ fits), whether the security log and a",
                "dateformat with a year and milliseconds are on, which layouts are mixed, and the logger.conf lines to add."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:every log was read", "2:a log could not be read (the others still were)"})
    static final class Advise implements Callable<Integer> {

        @Parameters(arity = "1..*", paramLabel = "LOG", description = "Log files to read; - reads standard input.")
        List<String> files;

        @Option(names = "--json", description = "Write the advice as one JSON object.")
        boolean json;

        @Mixin
        LogOptions logOptions;

        @Override
        public Integer call() {
            PrintStream err = System.err;
            LogChecker checker = logOptions.checker();
            PatchAdvisor advisor = new PatchAdvisor();
            int exit = LogOptions.readAll("patches advise", checker, files, advisor::accept, err);
            PatchAdvice advice = advisor.advice();
            if (json) {
                System.out.println(PatchAdviceReport.json(advice));
            } else {
                PatchAdviceReport.text(advice, System.out);
            }
            System.out.flush();
            return exit;
        }
    }
}
