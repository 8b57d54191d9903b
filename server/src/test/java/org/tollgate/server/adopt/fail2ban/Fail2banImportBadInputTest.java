package org.tollgate.server.adopt.fail2ban;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.banner.config.ConfigException;

/** What fail2ban would refuse is refused with the file and line; nothing in the files is run or resolved. */
class Fail2banImportBadInputTest {

    @TempDir
    Path dir;

    private void jail(String text) throws IOException {
        Fail2banFixtures.assemble(dir, "common");
        Files.writeString(dir.resolve("jail.local"), text);
    }

    @Test
    void aTimeThatIsPythonCodeIsRefusedAndNeverRun() throws IOException {
        Path marker = dir.resolve("ran");
        jail("[asterisk]\nenabled = true\nfilter = asterisk\nlogpath = /var/log/asterisk/full\n"
                + "bantime = __import__('os').system('touch " + marker + "')\n");

        assertThatThrownBy(() -> Fail2banImport.read(dir)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("[asterisk] bantime: expected a fail2ban time")
                .hasMessageEndingWith("jail.local line 5)");
        assertThat(marker).doesNotExist();
    }

    @Test
    void anUnclosedActionBracketNamesTheActionKey() throws IOException {
        jail("[asterisk]\nenabled = true\nfilter = asterisk\nlogpath = /var/log/asterisk/full\n"
                + "action = iptables-allports[name=asterisk, protocol=all\n");

        assertThatThrownBy(() -> Fail2banImport.read(dir)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("[asterisk] action: '[' is never closed")
                .hasMessageEndingWith("jail.local line 5)");
    }

    @Test
    void aMissingReferenceInAnEnabledJailIsAnErrorAndInADisabledOneANote() throws Exception {
        jail("[asterisk]\nenabled = true\nfilter = asterisk\nlogpath = %(asterisk_log)s\n");
        assertThatThrownBy(() -> Fail2banImport.read(dir)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'asterisk_log', which is not set").hasMessageEndingWith("line 4)");

        Files.writeString(dir.resolve("jail.local"), "[asterisk]\nenabled = false\nfilter = asterisk\nlogpath = %(asterisk_log)s\n");
        ImportedConfig imported = Fail2banImport.read(dir);
        assertThat(imported.jails().get(0).notes()).anyMatch(note -> note.contains("asterisk_log"));
        Fail2banFixtures.load(ImportedYaml.render(imported));
    }

    @Test
    void namesInIgnoreipAreReportedAndNeverResolved() throws Exception {
        jail("[asterisk]\nenabled = true\nfilter = asterisk\nlogpath = /var/log/asterisk/full\n"
                + "ignoreip = 127.0.0.1/8 ::1, pbx-trunk.invalid\n  198.51.100.0/255.255.255.0 file:/etc/trunks\n");

        ImportedConfig imported = Fail2banImport.read(dir);
        Fail2banFixtures.Loaded loaded = Fail2banFixtures.load(ImportedYaml.render(imported));

        assertThat(loaded.jail("asterisk").ignoreip().entries())
                .containsExactly("127.0.0.0/8", "::1/128", "198.51.100.0/24");
        assertThat(imported.jails().get(0).notes())
                .anyMatch(note -> note.contains("names pbx-trunk.invalid are not carried over"))
                .anyMatch(note -> note.contains("file:/etc/trunks is not carried over"));
    }

    @Test
    void noAsteriskJailIsAnError() throws IOException {
        jail("[sshd]\nenabled = true\nlogpath = /var/log/auth.log\n");
        assertThatThrownBy(() -> Fail2banImport.read(dir)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("no Asterisk jail to import").hasMessageContaining("enabled: sshd");
    }

    @Test
    void aDirectoryWithoutJailFilesIsNotAFail2banConfiguration() {
        assertThatThrownBy(() -> Fail2banImport.read(dir)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("no jail.conf");
        assertThatThrownBy(() -> Fail2banImport.read(dir.resolve("missing"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("not a directory");
    }

    @Test
    void hostileTextInValuesStaysInsideQuotedScalarsAndComments() throws Exception {
        jail("[asterisk]\nenabled = true\nfilter = asterisk\n"
                + "logpath = /var/log/asterisk/full\"\\n  evil: 1\n"
                + "action = iptables-allports[name=\"a\n  b: 1\", protocol=all]\n"
                + "mystery = x\n");

        ImportedConfig imported = Fail2banImport.read(dir);
        Fail2banFixtures.Loaded loaded = Fail2banFixtures.load(ImportedYaml.render(imported));

        assertThat(loaded.file().path()).isEqualTo("/var/log/asterisk/full\"\\n  evil: 1");
        assertThat(loaded.jail("asterisk").actions().get(0).params().get("name")).isEqualTo("a-b-1");
        assertThat(imported.jails().get(0).notes()).anyMatch(note -> note.startsWith("mystery = x (jail.local line 7)"));
    }
}
