package org.tollgate.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.banner.config.ConfigException;
import org.tollgate.banner.jail.JailSettings;
import org.tollgate.testkit.Requirements;

/** The jails' own fail2ban filters, read with the rest of tollgate.yaml: compiled at load, refused with the line. */
class CustomFiltersSectionTest {

    private static final String SOURCES = "sources: [{type: stdin}]\n";

    @TempDir
    Path dir;

    @BeforeEach
    void fail2banIsInstalled() {
        // Inline filters read fail2ban's common.conf for %(__prefix_line)s.
        Requirements.requireTools(List.of("fail2ban-regex"));
    }

    @Test
    void anInlineFilterIsNamedAfterItsJail() {
        TollgateConfig config = TollgateConfig.parse(SOURCES + """
                jails:
                  pbx:
                    trust: custom
                    prefregex: '^%(__prefix_line)s(?:NOTICE|WARNING)\\[\\d+\\] [^:]+: <F-CONTENT>.+</F-CONTENT>$'
                    failregex:
                      - '^acme_auth: login ''<F-USER>[^'']*</F-USER>'' refused for <ADDR>$'
                      - '^Toll fraud probe from <HOST>$'
                    ignoreregex: 'from 203\\.0\\.113\\.'
                  sip:
                    maxretry: 3
                """, "tollgate.yaml");
        assertThat(config.jails().get("pbx").filters()).containsExactly("pbx");
        assertThat(config.jails().get("pbx").trust()).isEqualTo(JailSettings.Trust.CUSTOM);
        assertThat(config.jails().get("sip").filters()).isEmpty();
        assertThat(config.customFilters().names()).containsExactly("pbx");
        assertThat(config.customFilters().filters().get(0)
                .find("[2026-01-18 17:39:51] WARNING[2291] acme.c: acme_auth: login 'root' refused for 192.0.2.5"))
                .extracting("ip", "user").containsExactly("192.0.2.5", "root");
    }

    @Test
    void aFilterFileNamedByTwoJailsIsReadOnce() throws IOException {
        Path file = dir.resolve("acme.conf");
        Files.writeString(file, "[Definition]\nfailregex = ^acme: refused <HOST>$\n");
        TollgateConfig config = TollgateConfig.parse(SOURCES + """
                jails:
                  short:
                    filter: %1$s
                    trust: custom
                  long:
                    filter: ['%1$s']
                    findtime: 1d
                """.formatted(file), "tollgate.yaml");
        assertThat(config.customFilters().names()).containsExactly("acme");
        assertThat(config.jails().get("short").filters()).containsExactly("acme");
        assertThat(config.jails().get("long").filters()).containsExactly("acme");
    }

    @Test
    void aBadInlineRegexIsRefusedWithItsLine() {
        assertThatThrownBy(() -> TollgateConfig.parse(SOURCES + """
                jails:
                  pbx:
                    failregex:
                      - '^fine <HOST>$'
                      - '^broken (<HOST>$'
                """, "tollgate.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("jails.pbx.failregex: cannot use '^broken (<HOST>$': Unclosed group")
                .hasMessageEndingWith("(tollgate.yaml line 6)");
    }

    @Test
    void aBadRegexInAFilterFileIsRefusedWithThatFilesLine() throws IOException {
        Path file = dir.resolve("acme.conf");
        Files.writeString(file, "[Definition]\n# refused logins\nfailregex = ^acme: refused <HOST>$\n"
                + "            ^acme: bad [<HOST>$\n");
        assertThatThrownBy(() -> TollgateConfig.parse(SOURCES + "jails:\n  pbx:\n    filter: " + file + "\n", "tollgate.yaml"))
                .hasMessageStartingWith("failregex: cannot use '^acme: bad [<HOST>$'")
                .hasMessageEndingWith("(" + file + " line 4)");
    }

    @Test
    void whatDoesNotGoTogetherIsRefused() throws IOException {
        Path file = dir.resolve("acme.conf");
        Files.writeString(file, "[Definition]\nfailregex = ^acme: refused <HOST>$\n");
        Path other = Files.createDirectories(dir.resolve("other")).resolve("acme.conf");
        Files.writeString(other, "[Definition]\nfailregex = ^acme: other <HOST>$\n");
        assertThatThrownBy(() -> TollgateConfig.parse(SOURCES + "jails:\n  pbx:\n    filter: " + file
                + "\n    failregex: '^x <HOST>$'\n", "tollgate.yaml"))
                .hasMessage("jails.pbx.failregex: a jail takes either filter (files) or failregex (inline), not both"
                        + " (tollgate.yaml line 5)");
        assertThatThrownBy(() -> TollgateConfig.parse(SOURCES + "jails:\n  pbx:\n    trust: custom\n", "tollgate.yaml"))
                .hasMessageStartingWith("jails.pbx.trust: trust: custom applies to a jail with its own filter");
        assertThatThrownBy(() -> TollgateConfig.parse(SOURCES + "jails:\n  pbx:\n    prefregex: '^x'\n", "tollgate.yaml"))
                .hasMessageStartingWith("jails.pbx.prefregex: prefregex goes with failregex");
        assertThatThrownBy(() -> TollgateConfig.parse(SOURCES + "jails:\n  a:\n    filter: " + file + "\n  b:\n    filter: "
                + other + "\n", "tollgate.yaml"))
                .hasMessageStartingWith("jails.b.filter: two filters are named 'acme'");
        assertThatThrownBy(() -> TollgateConfig.parse(SOURCES + "jails:\n  a:\n    filter: " + dir.resolve("none.conf") + "\n",
                "tollgate.yaml"))
                .hasMessage("jails.a.filter: no such filter file: " + dir.resolve("none.conf") + " (tollgate.yaml line 4)");
        assertThatThrownBy(() -> TollgateConfig.parse(SOURCES + "jails:\n  r:\n    source: bans\n    filter: " + file + "\n",
                "tollgate.yaml"))
                .hasMessageStartingWith("jails.r.filter: filter applies to jails that count failures");
    }
}
