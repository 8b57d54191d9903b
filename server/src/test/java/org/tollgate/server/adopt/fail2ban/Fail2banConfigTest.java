package org.tollgate.server.adopt.fail2ban;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.banner.config.ConfigException;

/** fail2ban's reading rules: file order, includes, .local twins, comments, continuation lines, interpolation. */
class Fail2banConfigTest {

    @TempDir
    Path dir;

    private void write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void filesAreMergedInFail2bansOrderAndEarlierValuesStayKnown() throws IOException {
        write("jail.conf", "[DEFAULT]\nbantime = 1\n[a]\nmaxretry = 1\nport = 10\n");
        write("jail.d/b.conf", "[a]\nmaxretry = 2\n");
        write("jail.d/a.conf", "[a]\nmaxretry = 3\n");
        write("jail.local", "[DEFAULT]\nbantime = 4\n[a]\nmaxretry = 5\nold = %(known/maxretry)s\n");
        write("jail.d/z.local", "[a]\nport = %(known/port)s0\n");
        write("jail.d/.hidden.conf", "[a]\nmaxretry = 99\n");

        Fail2banConfig config = Fail2banConfig.read(dir, "jail");

        assertThat(config.files()).extracting(f -> dir.relativize(Path.of(f)).toString())
                .containsExactly("jail.conf", "jail.d/a.conf", "jail.d/b.conf", "jail.local", "jail.d/z.local");
        assertThat(config.get("a", "maxretry")).isEqualTo("5");
        assertThat(config.get("a", "old")).isEqualTo("2");
        assertThat(config.get("a", "port")).isEqualTo("100");
        assertThat(config.get("a", "bantime")).isEqualTo("4");
        assertThat(config.sections()).containsExactly("a");
    }

    @Test
    void includesComeBeforeAndAfterTheirFileWithLocalTwinsAndLoopsCut() throws IOException {
        write("jail.conf", "[INCLUDES]\nbefore = paths.conf\nafter = extra.conf\n[DEFAULT]\nlog = %(base)s/jail\n");
        write("paths.conf", "[INCLUDES]\nbefore = jail.conf\n[DEFAULT]\nbase = /var/log\nlog = paths\n");
        write("paths.local", "[DEFAULT]\nbase = /srv/log\n");
        write("extra.conf", "[DEFAULT]\nextra = yes\n");

        Fail2banConfig config = Fail2banConfig.read(dir, "jail");

        assertThat(config.files()).extracting(f -> Path.of(f).getFileName().toString())
                .containsExactly("paths.conf", "paths.local", "jail.conf", "extra.conf");
        assertThat(config.get("DEFAULT", "log")).isEqualTo("/srv/log/jail");
        assertThat(config.get("anything", "extra")).isEqualTo("yes");
    }

    @Test
    void commentsContinuationLinesAndInterpolation() throws IOException {
        write("jail.conf", """
                [DEFAULT]
                banaction = iptables-multiport
                action_ = %(banaction)s[port="%(port)s"]
                ; a comment line
                # another

                [asterisk]
                port = 5060 ; the SIP port
                hash = a#b;c
                action = %(default/action_)s[name=%(__name__)s-tcp]
                # between the lines of a value, a comment line is skipped
                         %(mta)s-whois[name=%(__name__)s]

                         last
                mta = sendmail
                percent = 100%%
                other = %(sshd/port)s
                [sshd]
                port = ssh
                """);

        Fail2banConfig config = Fail2banConfig.read(dir, "jail");

        assertThat(config.get("asterisk", "port")).isEqualTo("5060");
        assertThat(config.get("asterisk", "hash")).isEqualTo("a#b;c");
        assertThat(config.get("asterisk", "action")).isEqualTo(
                "iptables-multiport[port=\"5060\"][name=asterisk-tcp]\nsendmail-whois[name=asterisk]\n\nlast");
        assertThat(config.get("asterisk", "percent")).isEqualTo("100%");
        assertThat(config.get("asterisk", "other")).isEqualTo("ssh");
        assertThat(config.get("asterisk", "unset")).isNull();
    }

    @Test
    void aReferenceToNothingOrToItselfNamesTheKeyFileAndLine() throws IOException {
        write("jail.conf", "[a]\n\nlogpath = %(asterisk_log)s\nloop = %(loop)s\nbad = 10%\n");
        Fail2banConfig config = Fail2banConfig.read(dir, "jail");

        assertThatThrownBy(() -> config.get("a", "logpath")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("[a] logpath: %(asterisk_log)s refers to 'asterisk_log', which is not set")
                .hasMessageEndingWith("jail.conf line 3)");
        assertThatThrownBy(() -> config.get("a", "loop")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("nest more than 10 levels").hasMessageEndingWith("line 4)");
        assertThatThrownBy(() -> config.get("a", "bad")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'%' must be followed by '%' or '('").hasMessageEndingWith("line 5)");
    }

    @Test
    void malformedFilesAreRefusedWithFileAndLine() throws IOException {
        assertRefused("maxretry = 5\n[a]\n", 1, "a key before any [section]");
        assertRefused("[a]\nmaxretry = 5\nfindtime\n", 3, "expected 'key = value'");
        assertRefused("[a]\nmaxretry = 5\n\nMaxRetry = 6\n", 4, "the key appears twice");
        assertRefused("[a]\nx = 1\n[b]\n[a]\n", 4, "section [a] appears twice");
        Files.write(dir.resolve("jail.conf"), "[a]\nx = 1\nname = caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> Fail2banConfig.read(dir, "jail")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("not UTF-8").hasMessageEndingWith("jail.conf line 3)");
    }

    private void assertRefused(String text, int line, String problem) throws IOException {
        write("jail.conf", text);
        assertThatThrownBy(() -> Fail2banConfig.read(dir, "jail")).isInstanceOf(ConfigException.class)
                .hasMessageContaining(problem).hasMessageEndingWith("jail.conf line " + line + ")");
    }
}
