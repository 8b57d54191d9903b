package org.tollgate.server.adopt.fail2ban;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tollgate.server.adopt.fail2ban.Fail2banFixtures.assemble;
import static org.tollgate.server.adopt.fail2ban.Fail2banFixtures.load;
import static org.tollgate.server.adopt.fail2ban.Fail2banFixtures.params;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.banner.jail.JailSettings;
import org.tollgate.server.adopt.fail2ban.Fail2banFixtures.Loaded;
import org.tollgate.server.adopt.fail2ban.ImportedConfig.LeftOut;
import org.tollgate.server.config.SourceSettings;

/**
 * The cases of issue 11, each imported from a fail2ban directory and read back through Tollgate's configuration
 * reader, field by field.
 */
class Fail2banImportTest {

    @TempDir
    Path dir;

    private ImportedConfig imported;

    private Loaded importFrom(String... fixtures) throws Exception {
        assemble(dir, fixtures);
        imported = Fail2banImport.read(dir);
        return load(ImportedYaml.render(imported));
    }

    @Test
    void theGuidesAsteriskIptablesJailWithItsTwoLineActionList() throws Exception {
        Loaded loaded = importFrom("common", "asterisk-iptables");

        JailSettings jail = loaded.jail("asterisk-iptables");
        assertThat(jail.enabled()).isTrue();
        assertThat(jail.maxretry()).isEqualTo(5);
        assertThat(jail.findtime()).isEqualTo(Duration.ofSeconds(600));
        assertThat(jail.bantime()).isEqualTo(Duration.ofSeconds(10800));
        assertThat(jail.ignoreip().matches("127.0.0.2")).isTrue();
        assertThat(jail.ignoreip().matches("128.0.0.1")).isFalse();
        assertThat(jail.actions()).hasSize(1);
        assertThat(params(jail.actions().get(0)))
                .isEqualTo(Map.of("type", "iptables-allports", "name", "ASTERISK", "protocol", "udp",
                        "blocktype", "REJECT"));
        // The mail action, with its addresses, through the local MTA as fail2ban's sendmail.
        assertThat(jail.alerts()).extracting(Fail2banFixtures::params).containsExactly(
                Map.of("type", "mail", "to", "root@example.org", "from", "fail2ban@example.org"));
        assertThat(loaded.commentedActions("asterisk-iptables")).isEmpty();
        assertThat(mailNotes("asterisk-iptables")).anyMatch(note -> note.contains("localhost:25"));

        SourceSettings.FileSource source = loaded.file();
        assertThat(source.type()).isEqualTo(SourceSettings.FILE);
        assertThat(source.path()).isEqualTo("/var/log/asterisk/full");
        assertThat(source.patched()).isFalse();
        assertThat(loaded.jails()).containsOnlyKeys("asterisk-iptables");
        assertThat(imported.leftOut()).containsExactly(new LeftOut("ssh-iptables", true, "filter sshd"));
    }

    @Test
    void aJailLocalThatSetsDefaultsAndEnablesThePackagedAsteriskJail() throws Exception {
        Loaded loaded = importFrom("common", "packaged", "jail-local-defaults");

        JailSettings jail = loaded.jail("asterisk");
        assertThat(jail.enabled()).isTrue();
        // [asterisk] keeps its own maxretry = 10 over jail.local's [DEFAULT] maxretry = 5; bantime comes from
        // jail.local's [DEFAULT] ("3600 ; 1hour": the comment is not part of the value).
        assertThat(jail.maxretry()).isEqualTo(10);
        assertThat(jail.bantime()).isEqualTo(Duration.ofHours(1));
        assertThat(jail.findtime()).isEqualTo(Duration.ofMinutes(10));
        assertThat(jail.ignoreip().isEmpty()).isTrue();
        // The packaged pair of per-protocol actions: %(default/action_)s with the jail's port and banaction.
        assertThat(jail.actions()).extracting(Fail2banFixtures::params).containsExactly(
                Map.of("type", "iptables-allports", "name", "asterisk-tcp", "protocol", "tcp", "blocktype", "REJECT"),
                Map.of("type", "iptables-allports", "name", "asterisk-udp", "protocol", "udp", "blocktype", "REJECT"));
        assertThat(actionNotes("asterisk")).anyMatch(note -> note.startsWith("port 5060,5061 is not carried over"));
        assertThat(jailNotes("asterisk")).anyMatch(note -> note.startsWith("backend = polling"));
        assertThat(jailNotes("asterisk")).noneMatch(note -> note.startsWith("usedns"));

        assertThat(loaded.file().path()).isEqualTo("/var/log/asterisk/messages");
        JailSettings recidive = loaded.jail("recidive");
        assertThat(recidive.enabled()).isFalse();
        assertThat(recidive.source()).isEqualTo(JailSettings.Source.BANS);
        assertThat(recidive.bantime()).isEqualTo(Duration.ofDays(7));
        assertThat(recidive.findtime()).isEqualTo(Duration.ofDays(1));
        assertThat(recidive.maxretry()).isEqualTo(5);
        assertThat(imported.leftOut()).extracting(LeftOut::name).containsExactly("sshd", "freeswitch");
    }

    @Test
    void aJailDFileWithDaysYearsCidrsAndCommentsBetweenKeys() throws Exception {
        Loaded loaded = importFrom("common", "packaged", "jail-d-file");

        JailSettings jail = loaded.jail("asterisk");
        assertThat(jail.enabled()).isTrue();
        assertThat(jail.maxretry()).isEqualTo(3);
        assertThat(jail.findtime()).isEqualTo(Duration.ofDays(1));
        // fail2ban's year is 365.25 days.
        assertThat(jail.bantime()).isEqualTo(Duration.ofSeconds(31_557_600));
        assertThat(jail.ignoreip().entries()).containsExactly("127.0.0.0/8", "192.168.0.0/24");
        assertThat(jail.ignoreip().matches("127.1.2.3")).isTrue();
        assertThat(jail.ignoreip().matches("192.168.0.77")).isTrue();
        assertThat(jail.ignoreip().matches("192.168.1.77")).isFalse();
        // banaction = iptables-allports in the jail: the packaged action_ pair now uses it.
        assertThat(jail.actions()).extracting(Fail2banFixtures::params).containsExactly(
                Map.of("type", "iptables-allports", "name", "asterisk-tcp", "protocol", "tcp", "blocktype", "REJECT"),
                Map.of("type", "iptables-allports", "name", "asterisk-udp", "protocol", "udp", "blocktype", "REJECT"));
        assertThat(actionNotes("asterisk")).noneMatch(note -> note.startsWith("port"));
    }

    @Test
    void centos8WithFirewalldIpsetAsTheDefaultBanaction() throws Exception {
        Loaded loaded = importFrom("common", "centos8-firewalld");

        JailSettings jail = loaded.jail("asterisk");
        assertThat(jail.enabled()).isTrue();
        assertThat(jail.maxretry()).isEqualTo(10);
        assertThat(jail.bantime()).isEqualTo(Duration.ofMinutes(10));
        // The commented rich-rules lines are comments: firewallcmd-ipset is the banaction. Its tcp and udp
        // actions become one firewalld-ipset action (the drop zone drops every port and protocol).
        assertThat(jail.actions()).extracting(Fail2banFixtures::params).containsExactly(
                Map.of("type", "firewalld-ipset", "set", "tollgate-asterisk"));
        // The whois action is given no sender, so sendmail-common's default sender is the one fail2ban uses.
        assertThat(jail.alerts()).extracting(Fail2banFixtures::params).containsExactly(
                Map.of("type", "mail", "to", "pbx-admin@example.org", "from", "fail2ban"));
        assertThat(loaded.file().path()).isEqualTo("/var/log/asterisk/messages");
        assertThat(imported.leftOut()).containsExactly(new LeftOut("sshd", false, null));
        assertThat(actionNotes("asterisk")).anyMatch(note -> note.startsWith("port 5060,5061 is not carried over"));
    }

    @Test
    void anAllportsFirewalldJailHasNoPortToNote() throws Exception {
        assemble(dir, "common", "centos8-firewalld");
        java.nio.file.Files.writeString(dir.resolve("jail.d/asterisk.local"), """
                [asterisk]
                enabled = true
                port = 5060
                banaction = %(banaction_allports)s
                action = %(action_)s
                """);
        imported = Fail2banImport.read(dir);
        Loaded loaded = load(ImportedYaml.render(imported));

        assertThat(loaded.jail("asterisk").actions()).extracting(Fail2banFixtures::params).containsExactly(
                Map.of("type", "firewalld-ipset", "set", "tollgate-asterisk"));
        assertThat(actionNotes("asterisk")).noneMatch(note -> note.startsWith("port"));
    }

    @Test
    void aFilterThatIncludesTheAsteriskFilterIsAnAsteriskJail() throws Exception {
        assemble(dir, "common");
        java.nio.file.Files.writeString(dir.resolve("jail.conf"), """
                [freepbx]
                enabled = true
                filter = freepbx
                backend = systemd
                action = iptables-allports[name=freepbx, protocol=all]
                         cloudflare[cfuser=ops@example.org]
                """);
        imported = Fail2banImport.read(dir);
        Loaded loaded = load(ImportedYaml.render(imported));

        assertThat(loaded.jail("freepbx").actions()).extracting(Fail2banFixtures::params).containsExactly(
                Map.of("type", "iptables-allports", "name", "freepbx", "protocol", "all", "blocktype", "REJECT"));
        assertThat(actionNotes("freepbx")).anyMatch(note -> note.startsWith("no Tollgate action does what cloudflare")
                && note.contains("curl"));
        // backend = systemd: the journal of the unit the asterisk filter's journalmatch names.
        SourceSettings.JournaldSource source = loaded.journald();
        assertThat(source.unit()).isEqualTo("asterisk.service");
        assertThat(jailNotes("freepbx")).anyMatch(note -> note.startsWith("filter freepbx"));
    }

    @Test
    void ipsetRichRuleNftablesActionsAndTheIncrementKeys() throws Exception {
        assemble(dir, "common");
        java.nio.file.Files.writeString(dir.resolve("jail.conf"), """
                [asterisk]
                enabled = true
                filter = asterisk-patched
                logpath = /var/log/asterisk/messages tail
                logtimezone = UTC+0200
                maxretry = 4
                findtime = 1h 30m
                bantime = -1
                bantime.increment = true
                bantime.factor = 2
                bantime.multipliers = 1 2 4 8
                bantime.maxtime = 5w
                bantime.rndtime = 10m
                bantime.overalljails = yes
                bantime.formula = ban.Time * math.exp(float(ban.Count+1)*banFactor)/math.exp(1*banFactor)
                ignoreself = false
                ignorecommand = /usr/local/bin/is-a-trunk <ip>
                action = iptables-ipset[name=sip, port="5060,5061", protocol=udp, blocktype=DROP]
                         firewallcmd-rich-rules[port="5060", protocol=udp]
                         nftables-allports[name=sip, blocktype=drop]
                """);
        imported = Fail2banImport.read(dir);
        Loaded loaded = load(ImportedYaml.render(imported));

        JailSettings jail = loaded.jail("asterisk");
        assertThat(jail.maxretry()).isEqualTo(4);
        assertThat(jail.findtime()).isEqualTo(Duration.ofMinutes(90));
        assertThat(jail.permanent()).isTrue();
        assertThat(jail.ignoreself()).isFalse();
        assertThat(jail.increment().enabled()).isTrue();
        assertThat(jail.increment().factor()).isEqualTo(2.0);
        assertThat(jail.increment().multipliers()).containsExactly(1, 2, 4, 8);
        assertThat(jail.increment().maxtime()).isEqualTo(Duration.ofDays(35));
        assertThat(jail.increment().rndtime()).isEqualTo(Duration.ofMinutes(10));
        assertThat(jail.increment().overallJails()).isTrue();
        assertThat(jailNotes("asterisk")).anyMatch(note -> note.startsWith("bantime.formula = ban.Time * math.exp"))
                .anyMatch(note -> note.startsWith("ignorecommand = /usr/local/bin/is-a-trunk <ip>"));
        assertThat(jail.actions()).extracting(Fail2banFixtures::params).containsExactly(
                Map.of("type", "ipset", "set", "tollgate-sip", "protocol", "udp", "port", "5060,5061",
                        "blocktype", "DROP"),
                Map.of("type", "firewalld-rich-rule", "zone", "public", "blocktype", "reject"),
                Map.of("type", "nftables", "table", "tollgate_asterisk", "blocktype", "drop"));
        SourceSettings.FileSource source = loaded.file();
        assertThat(source.path()).isEqualTo("/var/log/asterisk/messages");
        assertThat(source.start()).isEqualTo("end");
        assertThat(source.zone()).isEqualTo(java.time.ZoneId.of("+02:00"));
        assertThat(source.patched()).isTrue();
    }

    private List<String> jailNotes(String name) {
        return imported.jails().stream().filter(j -> j.name().equals(name)).findFirst().orElseThrow().notes();
    }

    private List<String> actionNotes(String name) {
        return imported.jails().stream().filter(j -> j.name().equals(name)).findFirst().orElseThrow()
                .actions().stream().flatMap(a -> a.notes().stream()).toList();
    }

    private List<String> mailNotes(String name) {
        return imported.jails().stream().filter(j -> j.name().equals(name)).findFirst().orElseThrow()
                .actions().stream().filter(a -> "mail".equals(a.type())).flatMap(a -> a.notes().stream()).toList();
    }
}
