package org.tollgate.banner.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tollgate.banner.jail.ActionSettings;
import org.tollgate.banner.jail.BanTimeIncrement;
import org.tollgate.banner.jail.JailSettings;

class TollgateConfigFileTest {

    @Test
    void readsTheJailsAndKeepsTheOtherSectionsForTheServer() throws Exception {
        TollgateConfigFile config = TollgateConfigFile.load(resource("tollgate-jails.yaml"));

        String file = resource("tollgate-jails.yaml").toString();
        assertThat(config.file()).as("the path as given, not only its name").isEqualTo(file);
        assertThat(config.jails()).containsOnlyKeys("sip-auth");
        JailSettings jail = config.jails().get("sip-auth");
        assertThat(jail.enabled()).isTrue();
        assertThat(jail.source()).isEqualTo(JailSettings.Source.FAILURES);
        assertThat(jail.maxretry()).isEqualTo(5);
        assertThat(jail.findtime()).isEqualTo(Duration.ofMinutes(10));
        assertThat(jail.bantime()).isEqualTo(Duration.ofHours(3));
        assertThat(jail.permanent()).isFalse();
        assertThat(jail.increment()).isEqualTo(BanTimeIncrement.DISABLED);
        assertThat(jail.ignoreip().entries()).containsExactly("127.0.0.0/8", "::1/128");
        assertThat(jail.ignoreip().matches("127.0.0.53")).isTrue();
        assertThat(jail.ignoreip().matches("::1")).isTrue();
        assertThat(jail.ignoreip().matches("192.0.2.10")).isFalse();
        assertThat(jail.ignoreself()).isTrue();
        assertThat(jail.match()).isEmpty();
        assertThat(jail.trust()).isEqualTo(JailSettings.Trust.TRUSTED);
        assertThat(jail.maxTracked()).isEqualTo(JailSettings.DEFAULT_MAX_TRACKED);
        assertThat(jail.actions()).containsExactly(new ActionSettings("ipset", Map.of("set", "tollgate-sip"),
                "jails.sip-auth.actions[0]", file, 14));

        ConfigList sources = config.section("sources").orElseThrow().asList();
        ConfigMap source = sources.items().get(0).asMap();
        assertThat(source.path()).isEqualTo("sources[0]");
        assertThat(source.require("path").asScalar()).isEqualTo(
                new ConfigScalar("sources[0].path", file, 3, "/var/log/asterisk/full"));
        assertThat(config.section("state").orElseThrow().asMap().require("path").asScalar().text())
                .isEqualTo("/var/lib/tollgate/state.db");
        ConfigMap api = config.section("api").orElseThrow().asMap();
        assertThat(api.line()).isEqualTo(16);
        assertThat(api.require("listen").asScalar().text()).isEqualTo("127.0.0.1:9190");
        assertThat(api.require("token_file").asScalar().line()).isEqualTo(18);
        assertThat(config.section("outputs")).isEmpty();
    }

    @Test
    void aBadFindtimeNamesTheKeyEchoesTheValueAndGivesTheLine() {
        assertThatThrownBy(() -> TollgateConfigFile.load(resource("jail-findtime-in-words.yaml")))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("jails.sip-auth.findtime");
                    assertThat(e.line()).isEqualTo(14);
                    assertThat(e.file()).isEqualTo(resource("jail-findtime-in-words.yaml").toString());
                })
                .hasMessage("jails.sip-auth.findtime: expected <number>[s|m|h|d|w|y], was '10 minutes'"
                        + " (" + resource("jail-findtime-in-words.yaml") + " line 14)");
    }

    @Test
    void anUnknownJailKeyIsNamedWithTheAllowedKeys() {
        assertThatThrownBy(() -> TollgateConfigFile.load(resource("jail-unknown-key.yaml")))
                .hasMessage("jails.sip-auth.bantime.increament: unknown key 'bantime.increament'; allowed keys: actions,"
                        + " bantime, bantime.factor, bantime.formula, bantime.increment, bantime.maxtime,"
                        + " bantime.multipliers, bantime.overalljails, bantime.rndtime, count, datepattern, enabled,"
                        + " failregex, filter, findtime, ignoreip, ignoreregex, ignoreself, match, maxretry, maxtracked,"
                        + " prefregex, scope, source, trust (" + resource("jail-unknown-key.yaml") + " line 6)");
    }

    @Test
    void readsEveryJailKey() throws Exception {
        String file = resource("jails-full.yaml").toString();
        Map<String, JailSettings> jails = TollgateConfigFile.load(resource("jails-full.yaml")).jails();

        assertThat(jails).containsOnlyKeys("sip-auth", "sip-scan", "recidive");
        JailSettings auth = jails.get("sip-auth");
        assertThat(auth.increment()).isEqualTo(new BanTimeIncrement(true, 1.5, List.of(), Duration.ofDays(28),
                Duration.ofMinutes(5), true));
        assertThat(auth.ignoreip().entries()).containsExactly("10.0.0.0/8", "192.168.0.0/16", "2001:db8::/32");
        assertThat(auth.ignoreself()).isFalse();
        assertThat(auth.match()).containsExactly("registration-failed", "auth-failed");
        assertThat(auth.trust()).isEqualTo(JailSettings.Trust.ANY);
        assertThat(auth.maxTracked()).isEqualTo(5000);
        assertThat(auth.scope()).isEqualTo(JailSettings.Scope.LOCAL);
        assertThat(auth.actions()).containsExactly(
                new ActionSettings("nftables", Map.of("table", "tollgate", "set", "sip4"), "jails.sip-auth.actions[0]",
                        file, 20),
                new ActionSettings("log", Map.of(), "jails.sip-auth.actions[1]", file, 23));

        JailSettings scan = jails.get("sip-scan");
        assertThat(scan.enabled()).isFalse();
        assertThat(scan.permanent()).isTrue();
        assertThat(scan.clusterScope()).isTrue();
        assertThat(scan.maxretry()).isEqualTo(JailSettings.DEFAULT_MAXRETRY);
        assertThat(scan.increment().multipliers()).containsExactly(1, 2, 4, 8, 16);

        JailSettings recidive = jails.get("recidive");
        assertThat(recidive.source()).isEqualTo(JailSettings.Source.BANS);
        assertThat(recidive.maxretry()).isEqualTo(5);
        assertThat(recidive.findtime()).isEqualTo(Duration.ofDays(1));
        assertThat(recidive.bantime()).isEqualTo(Duration.ofDays(7));
        assertThat(recidive.increment().multipliers()).containsExactly(1, 5, 30);
    }

    @Test
    void anEmptyOrMissingJailsSectionHasNoJails() {
        assertThat(TollgateConfigFile.parse("", "t.yaml").jails()).isEmpty();
        assertThat(TollgateConfigFile.parse("jails:\n", "t.yaml").jails()).isEmpty();
        assertThat(TollgateConfigFile.parse("state:\n  path: /tmp/x.db\n", "t.yaml").jails()).isEmpty();
    }

    @Test
    void refusesValuesWithTheirKeyAndLine() {
        assertError("jails:\n  a:\n    maxretry: 0\n",
                "jails.a.maxretry: expected a whole number from 1 to 1000, was '0' (t.yaml line 3)");
        assertError("jails:\n  a:\n    maxretry: five\n",
                "jails.a.maxretry: expected a whole number from 1 to 1000, was 'five' (t.yaml line 3)");
        assertError("jails:\n  a:\n    findtime: -1\n",
                "jails.a.findtime: expected <number>[s|m|h|d|w|y], was '-1' (-1, permanent, is allowed only for bantime)"
                        + " (t.yaml line 3)");
        assertError("jails:\n  a:\n    bantime: 0\n",
                "jails.a.bantime: expected a duration greater than 0 or -1 (permanent), was '0' (t.yaml line 3)");
        assertError("jails:\n  a:\n    bantime:\n",
                "jails.a.bantime: expected <number>[s|m|h|d|w|y] or -1 (permanent), was empty (t.yaml line 3)");
        assertError("jails:\n  a:\n    enabled: yes\n",
                "jails.a.enabled: expected true or false, was 'yes' (t.yaml line 3)");
        assertError("jails:\n  a:\n    ignoreip:\n      - 127.0.0.1\n      - localhost\n",
                "jails.a.ignoreip[1]: expected an IP address or CIDR block such as 192.0.2.0/24 or 2001:db8::/32"
                        + " (host names are not looked up), was 'localhost' (t.yaml line 5)");
        assertError("jails:\n  a:\n    ignoreip: 10.0.0.0/33\n",
                "jails.a.ignoreip: expected an IP address or CIDR block such as 192.0.2.0/24 or 2001:db8::/32"
                        + " (host names are not looked up), was '10.0.0.0/33' (the prefix length must be 0 to 32)"
                        + " (t.yaml line 3)");
        assertError("jails:\n  a:\n    match: [Registration Failed]\n",
                "jails.a.match[0]: expected an event.action name such as registration-failed (lower case letters,"
                        + " digits and '-'), was 'Registration Failed' (t.yaml line 3)");
        assertError("jails:\n  a:\n    trust: some\n",
                "jails.a.trust: expected one of trusted, custom, any, was 'some' (t.yaml line 3)");
        assertError("jails:\n  a:\n    count: guesses\n",
                "jails.a.count: expected one of attempts, lines, was 'guesses' (t.yaml line 3)");
        assertError("jails:\n  a:\n    source: bans\n    count: lines\n",
                "jails.a.count: count applies to jails that count failures; with source: bans the jail counts every ban"
                        + " of the other jails (t.yaml line 4)");
        assertError("jails:\n  a:\n    source: logs\n",
                "jails.a.source: expected one of failures, bans, was 'logs' (t.yaml line 3)");
        assertError("jails:\n  a:\n    bantime.factor: 2.0 / 2.885385\n",
                "jails.a.bantime.factor: expected a number greater than 0 such as 1 or 1.5, was '2.0 / 2.885385'"
                        + " (t.yaml line 3)");
        assertError("jails:\n  a:\n    bantime.multipliers: 1 2 0\n",
                "jails.a.bantime.multipliers: expected a whole number from 1 to 1000000, was '0' (t.yaml line 3)");
    }

    @Test
    void acceptsOnlyFail2bansDefaultFormula() {
        assertThat(TollgateConfigFile.parse(
                "jails:\n  a:\n    bantime.formula: ban.Time*(1<<(ban.Count if ban.Count<20 else 20))*banFactor\n",
                "t.yaml").jails().get("a").increment()).isEqualTo(BanTimeIncrement.DISABLED);
        assertError("jails:\n  a:\n    bantime.formula: \"ban.Time * math.exp(float(ban.Count+1)*banFactor)\"\n",
                "jails.a.bantime.formula: only fail2ban's default formula"
                        + " 'ban.Time * (1<<(ban.Count if ban.Count<20 else 20)) * banFactor' is supported (shape the"
                        + " growth with bantime.factor or bantime.multipliers instead), was"
                        + " 'ban.Time * math.exp(float(ban.Count+1)*banFactor)' (t.yaml line 3)");
    }

    @Test
    void refusesMalformedActionsAndJails() {
        assertError("jails:\n  a:\n    actions:\n      - type: shorewall\n",
                "jails.a.actions[0].type: expected one of firewalld-rich-rule, firewalld-ipset, ipset, nftables,"
                        + " iptables-allports, conntrack, log, mail, webhook, was 'shorewall' (t.yaml line 4)");
        assertError("jails:\n  a:\n    actions:\n      - set: x\n",
                "jails.a.actions[0]: missing required key 'type' (t.yaml line 4)");
        assertError("jails:\n  a:\n    actions:\n      - type: ipset\n        set: [a, b]\n",
                "jails.a.actions[0].set: expected a single value, was a list (t.yaml line 5)");
        assertError("jails:\n  a:\n    actions: ipset\n",
                "jails.a.actions: expected a list, was 'ipset' (t.yaml line 3)");
        assertError("jails:\n  a: 5\n",
                "jails.a: expected a mapping of jail settings (maxretry, findtime, bantime, ...), was '5' (t.yaml line 2)");
        assertError("jails:\n  \"sip auth\":\n    maxretry: 3\n",
                "jails.sip auth: a jail name is letters, digits, '-' and '_', starting with a letter or digit, at most"
                        + " 32 characters; was 'sip auth' (t.yaml line 2)");
        assertError("jails:\n  r:\n    source: bans\n    match: [registration-failed]\n",
                "jails.r.match: match applies to jails that count failures; with source: bans the jail counts every"
                        + " ban of the other jails (t.yaml line 4)");
    }

    @Test
    void refusesDuplicateKeysAliasesAndBrokenYaml() {
        assertError("jails:\n  a:\n    maxretry: 3\n    maxretry: 4\n",
                "jails.a.maxretry: duplicate key; the first one is on line 3 (t.yaml line 4)");
        assertError("base: &b 3\njails:\n  a:\n    maxretry: *b\n",
                "jails.a.maxretry: YAML aliases (*name) are not supported; write the value out (t.yaml line 4)");
        assertThatThrownBy(() -> TollgateConfigFile.parse("jails:\n  a:\n    maxretry: [3\n", "t.yaml"))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.line()).isEqualTo(4))
                .hasMessageStartingWith("invalid YAML: ");
        assertError("- a\n- b\n",
                "expected a mapping of sections (sources, state, jails, ...) at the top, was a list (t.yaml line 1)");
    }

    private static void assertError(String yaml, String message) {
        assertThatThrownBy(() -> TollgateConfigFile.parse(yaml, "t.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }

    private static Path resource(String name) {
        try {
            return Path.of(TollgateConfigFileTest.class.getResource("/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void matchTakesAMappingOfActionsAndGeoOrAsFields() {
        Map<String, JailSettings> jails = TollgateConfigFile.parse("""
                jails:
                  strict:
                    match:
                      event.action: [auth-failed, endpoint-not-found]
                      source.geo.country_iso_code: [cn, RU]
                      source.as.number: [AS64500, 64501]
                      source.as.organization.name: Example Hosting GmbH
                """, "t.yaml").jails();
        JailSettings strict = jails.get("strict");
        assertThat(strict.match()).containsExactly("auth-failed", "endpoint-not-found");
        assertThat(strict.geoMatch()).containsExactly(
                Map.entry("source.geo.country_iso_code", java.util.Set.of("CN", "RU")),
                Map.entry("source.as.number", java.util.Set.of("64500", "64501")),
                Map.entry("source.as.organization.name", java.util.Set.of("Example Hosting GmbH")));
    }

    @Test
    void aBadGeoMatchNamesTheKeyAndTheLine() {
        assertThatThrownBy(() -> TollgateConfigFile.parse("""
                jails:
                  strict:
                    match:
                      source.geo.country_iso_code: [Germany]
                """, "t.yaml")).hasMessage("jails.strict.match.source.geo.country_iso_code[0]: expected a two-letter code"
                + " such as DE or CN, was 'Germany' (t.yaml line 4)");
        assertThatThrownBy(() -> TollgateConfigFile.parse("""
                jails:
                  strict:
                    match:
                      source.geo.planet: [earth]
                """, "t.yaml")).hasMessageStartingWith("jails.strict.match.source.geo.planet: unknown key 'source.geo.planet'");
    }
}
