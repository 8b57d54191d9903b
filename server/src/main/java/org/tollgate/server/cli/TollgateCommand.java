package org.tollgate.server.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tollgate} command line: one subcommand per verb. */
@Command(name = "tollgate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Protects Asterisk PBXs from brute-force, scanning and toll fraud, and turns their logs into ECS security events.")
public final class TollgateCommand implements Runnable {

    /**
     * The subcommands by name, in the order the help lists them. Picocli builds a command's model by reflection, about
     * 0.15 s for all of them at start-up, so a run builds only the one it invokes ({@link #execute}); the help, an
     * option of the root or a name that is none of these gets them all.
     */
    static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /**
     * Runs the command line and returns its exit code (for tests). A plain {@code check} line
     * ({@link PlainCheckLine}) runs without picocli's model, which takes longer to build than a short check takes.
     */
    public static int execute(String... args) {
        CheckCommand plainCheck = PlainCheckLine.read(args);
        if (plainCheck != null) {
            return plainCheck.call();
        }
        return commandLine(args).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }

    /** The command line for {@code args}: the root with the subcommand {@code args} invoke, or with all of them. */
    static CommandLine commandLine(String... args) {
        CommandLine line = new CommandLine(new TollgateCommand());
        Class<?> invoked = args.length > 0 ? SUBCOMMANDS.get(args[0]) : null;
        if (invoked != null && invoked != CommandLine.HelpCommand.class) {
            line.addSubcommand(args[0], invoked);
        } else {
            SUBCOMMANDS.forEach(line::addSubcommand);
        }
        return line;
    }

    private static Map<String, Class<?>> subcommands() {
        Map<String, Class<?>> all = new LinkedHashMap<>();
        all.put("check", CheckCommand.class);
        all.put("replay", ReplayCommand.class);
        all.put("run", RunCommand.class);
        all.put("demo", DemoCommand.class);
        all.put("status", StatusCommand.class);
        all.put("bans", BansCommand.class);
        all.put("ban", BanCommand.class);
        all.put("unban", UnbanCommand.class);
        all.put("set", SetCommand.class);
        all.put("reload", ReloadCommand.class);
        all.put("shield", ShieldCommand.class);
        all.put("import-fail2ban", ImportFail2banCommand.class);
        all.put("patches", PatchesCommand.class);
        all.put("filters", FiltersCommand.class);
        all.put("cluster", ClusterCommand.class);
        all.put("help", CommandLine.HelpCommand.class);
        return all;
    }
}
