package org.tollgate.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** A run builds only the subcommand it invokes; the help still lists every command. */
class TollgateCommandTest {

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @Test
    void eachNameIsItsCommandsOwn() {
        for (Map.Entry<String, Class<?>> entry : TollgateCommand.SUBCOMMANDS.entrySet()) {
            assertThat(entry.getValue().getAnnotation(Command.class).name()).isEqualTo(entry.getKey());
        }
    }

    @Test
    void aSubcommandRunBuildsThatCommandAlone() {
        assertThat(TollgateCommand.commandLine("check", "--json", "x.log").getSubcommands().keySet())
                .containsExactly("check");
        assertThat(TollgateCommand.commandLine("--help").getSubcommands().keySet())
                .containsExactlyElementsOf(TollgateCommand.SUBCOMMANDS.keySet());
        assertThat(TollgateCommand.commandLine("help", "check").getSubcommands().keySet())
                .containsExactlyElementsOf(TollgateCommand.SUBCOMMANDS.keySet());
    }

    @Test
    void theHelpListsEveryCommand() {
        int out = console.stdout().length();
        assertThat(TollgateCommand.execute("--help")).isZero();
        String help = console.stdout().substring(out);
        for (String name : TollgateCommand.SUBCOMMANDS.keySet()) {
            assertThat(help).contains("  " + name + " ");
        }
        int err = console.stderr().length();
        TollgateCommand.execute();
        String bare = console.stderr().substring(err);
        for (String name : TollgateCommand.SUBCOMMANDS.keySet()) {
            assertThat(bare).contains("  " + name + " ");
        }
    }

    @Test
    void aSubcommandsHelpAndTheHelpCommandStillWork() {
        int out = console.stdout().length();
        assertThat(TollgateCommand.execute("check", "--help")).isZero();
        assertThat(TollgateCommand.execute("help", "replay")).isZero();
        assertThat(console.stdout().substring(out)).contains("Usage: tollgate check").contains("Usage: tollgate replay");
    }

    @Test
    void anUnknownCommandIsAUsageErrorThatNamesTheNearestOne() {
        int err = console.stderr().length();
        assertThat(TollgateCommand.execute("chek", "x.log")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(console.stderr().substring(err)).contains("check");
    }
}
