package org.tollgate.server.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.tollgate.banner.config.ConfigException;
import org.tollgate.server.adopt.WholeFile;
import org.tollgate.server.adopt.fail2ban.Fail2banImport;
import org.tollgate.server.adopt.fail2ban.ImportedConfig;
import org.tollgate.server.adopt.fail2ban.ImportedYaml;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tollgate import-fail2ban}: a fail2ban configuration's Asterisk jails as tollgate.yaml. */
@Command(name = "import-fail2ban", mixinStandardHelpOptions = true,
        description = {"Reads a fail2ban configuration the way fail2ban does (jail.conf, jail.d/*.conf, jail.local,",
            "jail.d/*.local, includes, interpolation) and prints the equivalent tollgate.yaml for its Asterisk jails,",
            "with a comment for every key that could not be carried over. Runs nothing from the files, resolves no names."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:imported", "1:the fail2ban configuration is malformed or has no Asterisk jail (file and line on stderr)",
            "2:a file could not be read or written"})
final class ImportFail2banCommand implements Callable<Integer> {

    static final int EXIT_INVALID = 1;
    static final int EXIT_IO = 2;

    @Parameters(arity = "0..1", paramLabel = "DIR", defaultValue = "/etc/fail2ban",
            description = "fail2ban's configuration directory (default: ${DEFAULT-VALUE}).")
    Path directory;

    @Option(names = "--write", paramLabel = "FILE", description = "Write the YAML to FILE (which must not exist yet) instead of stdout.")
    Path write;

    @Override
    public Integer call() {
        PrintStream err = System.err;
        ImportedConfig imported;
        String yaml;
        try {
            imported = Fail2banImport.read(directory);
            yaml = ImportedYaml.render(imported);
        } catch (ConfigException e) {
            err.println("tollgate import-fail2ban: " + e.getMessage());
            return EXIT_INVALID;
        } catch (IOException e) {
            err.println("tollgate import-fail2ban: cannot read " + directory + ": " + e.getMessage());
            return EXIT_IO;
        }
        try {
            ImportedYaml.check(yaml, write == null ? "tollgate.yaml" : write.getFileName().toString());
        } catch (ConfigException e) {
            err.println("tollgate import-fail2ban: the tollgate.yaml made from this configuration does not load"
                    + " (please report this): " + e.getMessage());
            return EXIT_INVALID;
        }
        if (write == null) {
            System.out.print(yaml);
            System.out.flush();
        } else {
            try {
                WholeFile.write(write, yaml.getBytes(StandardCharsets.UTF_8), false);
            } catch (FileAlreadyExistsException e) {
                err.println("tollgate import-fail2ban: " + write + " exists; choose another file or remove it first");
                return EXIT_IO;
            } catch (IOException e) {
                err.println("tollgate import-fail2ban: cannot write " + write + ": " + e.getMessage());
                return EXIT_IO;
            }
        }
        summary(err, imported);
        return 0;
    }

    private void summary(PrintStream err, ImportedConfig imported) {
        err.println("tollgate import-fail2ban: read " + imported.files().size() + " files under " + directory
                + (write == null ? "" : "; wrote " + write));
        List<String> jails = new ArrayList<>();
        int notes = 0;
        for (ImportedConfig.Jail jail : imported.jails()) {
            jails.add(jail.name() + (jail.enabled() ? " (enabled)" : " (disabled)"));
            notes += jail.notes().size();
            for (ImportedConfig.Action action : jail.actions()) {
                notes += action.notes().size();
            }
        }
        err.println("  imported: " + String.join(", ", jails));
        List<String> enabled = new ArrayList<>();
        List<String> disabled = new ArrayList<>();
        for (ImportedConfig.LeftOut jail : imported.leftOut()) {
            if (jail.enabled()) {
                enabled.add(jail.name() + (jail.reason() == null ? "" : " (" + jail.reason() + ")"));
            } else {
                disabled.add(jail.name());
            }
        }
        if (!enabled.isEmpty()) {
            err.println("  left out, not Asterisk jails, enabled in fail2ban: " + String.join(", ", enabled));
        }
        if (!disabled.isEmpty()) {
            err.println("  left out, not Asterisk jails, disabled in fail2ban: " + disabled.size() + " ("
                    + String.join(", ", disabled) + ")");
        }
        err.println("  notes: " + notes + " (comments in the YAML: what was not carried over and why)");
    }
}
