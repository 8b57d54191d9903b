package org.tollgate.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tollgate} command line: one subcommand per verb. */
@Command(name = "tollgate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Protects Asterisk PBXs from brute-force, scanning and toll fraud, and turns their logs into ECS security events.",
        subcommands = {CheckCommand.class, ReplayCommand.class, RunCommand.class, DemoCommand.class, StatusCommand.class,
            BansCommand.class, BanCommand.class, UnbanCommand.class, SetCommand.class, ReloadCommand.class,
            ShieldCommand.class,
            ImportFail2banCommand.class,
            PatchesCommand.class, FiltersCommand.class, ClusterCommand.class,
            CommandLine.HelpCommand.class})
public final class TollgateCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int execute(String... args) {
        return new CommandLine(new TollgateCommand()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }
}
