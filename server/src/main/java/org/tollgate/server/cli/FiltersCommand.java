package org.tollgate.server.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.tollgate.server.adopt.filters.FilterExport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code tollgate filters}: Tollgate's fail2ban filters, for hosts that keep fail2ban. */
@Command(name = "filters", mixinStandardHelpOptions = true,
        description = "Tollgate's fail2ban filters (filters/ of the repository), for hosts that keep fail2ban.",
        subcommands = {FiltersCommand.Export.class})
final class FiltersCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    /** {@code tollgate filters export DIR}. */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Writes asterisk.conf and asterisk-patched.conf into DIR (fail2ban's filter.d, e.g.",
                "/etc/fail2ban/filter.d), each file whole or not at all. See filters/README.md for what they catch",
                "and what fail2ban cannot do."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:written", "2:DIR does not exist or a file could not be written"})
    static final class Export implements Callable<Integer> {

        @Parameters(paramLabel = "DIR", description = "The directory to write into (it must exist).")
        Path directory;

        @Override
        public Integer call() {
            PrintStream err = System.err;
            List<FilterExport.Written> written;
            try {
                written = FilterExport.export(directory);
            } catch (NoSuchFileException e) {
                err.println("tollgate filters export: " + directory + ": no such directory");
                return CheckCommand.EXIT_UNREADABLE;
            } catch (NotDirectoryException e) {
                err.println("tollgate filters export: " + directory + ": not a directory");
                return CheckCommand.EXIT_UNREADABLE;
            } catch (IOException e) {
                err.println("tollgate filters export: cannot write into " + directory + ": " + e.getMessage());
                return CheckCommand.EXIT_UNREADABLE;
            }
            for (FilterExport.Written file : written) {
                System.out.println(file.path() + ": " + file.outcome().text());
            }
            if (!Files.exists(directory.resolve("common.conf"))) {
                err.println("tollgate filters export: note: " + directory + " has no common.conf; the filters include"
                        + " fail2ban's filter.d/common.conf, so put them in that filter.d");
            }
            err.println("Check one against a log: fail2ban-regex /var/log/asterisk/messages "
                    + directory.resolve("asterisk.conf") + "; then enable a jail with filter = asterisk"
                    + " (asterisk-patched only on hosts that run a Tollgate chan_sip patch).");
            return 0;
        }
    }
}
