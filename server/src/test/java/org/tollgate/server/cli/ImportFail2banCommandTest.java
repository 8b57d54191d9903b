package org.tollgate.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.server.config.TollgateConfig;
import org.tollgate.banner.jail.JailSettings;

/** {@code tollgate import-fail2ban} as a user runs it: YAML on stdout or in a new file, the summary on stderr. */
class ImportFail2banCommandTest {

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @TempDir
    Path dir;

    private Path fail2ban() throws Exception {
        Path etc = dir.resolve("fail2ban");
        Files.createDirectories(etc.resolve("filter.d"));
        Files.writeString(etc.resolve("jail.conf"), """
                [DEFAULT]
                bantime = 1h
                [asterisk]
                enabled = true
                filter = asterisk
                logpath = /var/log/asterisk/full
                action = iptables-allports[name=asterisk, protocol=all]
                [sshd]
                enabled = true
                filter = sshd
                """);
        return etc;
    }

    @Test
    void printsTheYamlAndSaysWhatWasLeftOut() throws Exception {
        Path etc = fail2ban();

        int exit = TollgateCommand.execute("import-fail2ban", etc.toString());

        assertThat(exit).isZero();
        JailSettings jail = TollgateConfig.parse(console.stdout(), "out.yaml").jails().get("asterisk");
        assertThat(jail.bantime()).isEqualTo(Duration.ofHours(1));
        assertThat(jail.actions().get(0).type()).isEqualTo("iptables-allports");
        assertThat(console.stderr()).contains("imported: asterisk (enabled)")
                .contains("left out, not Asterisk jails, enabled in fail2ban: sshd");
    }

    @Test
    void writesANewFileWholeAndNeverOverAnExistingOne() throws Exception {
        Path etc = fail2ban();
        Path out = dir.resolve("tollgate.yaml");

        assertThat(TollgateCommand.execute("import-fail2ban", etc.toString(), "--write", out.toString())).isZero();
        assertThat(console.stdout()).isEmpty();
        assertThat(TollgateConfig.load(out).jails()).containsKey("asterisk");

        String before = Files.readString(out);
        assertThat(TollgateCommand.execute("import-fail2ban", etc.toString(), "--write", out.toString())).isEqualTo(2);
        assertThat(Files.readString(out)).isEqualTo(before);
        assertThat(console.stderr()).contains("exists; choose another file");
    }

    @Test
    void aMalformedFileWritesNothingAndNamesFileAndLine() throws Exception {
        Path etc = fail2ban();
        Files.writeString(etc.resolve("jail.local"), "[asterisk]\nmaxretry 5\n");
        Path out = dir.resolve("tollgate.yaml");

        int exit = TollgateCommand.execute("import-fail2ban", etc.toString(), "--write", out.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(out).doesNotExist();
        assertThat(dir.toFile().list()).containsExactly("fail2ban");
        assertThat(console.stderr()).startsWith("tollgate import-fail2ban: [asterisk]: expected 'key = value'")
                .contains("jail.local line 2)").doesNotContain("Exception").doesNotContain("\tat ");
    }
}
