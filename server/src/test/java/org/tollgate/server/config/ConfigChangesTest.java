package org.tollgate.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a reload applies in place, starts again, or leaves for a restart. */
class ConfigChangesTest {

    private static final String BASE = """
            sources:
              - type: stdin
            api:
              listen: 127.0.0.1:9190
            jails:
              sip-auth:
                maxretry: 5
                ignoreip: [192.0.2.0/24]
                actions:
                  - type: log
              ami:
                match: [ami-login-failed]
                actions:
                  - type: log
            """;

    private static ConfigChanges changes(String before, String after) {
        TollgateConfig started = TollgateConfig.parse(before, "tollgate.yaml");
        TollgateConfig next = TollgateConfig.parse(after, "tollgate.yaml");
        return ConfigChanges.between(started, started.jails(), started, next);
    }

    @Test
    void theSameSettingsWrittenOnOtherLinesChangeNothing() {
        ConfigChanges changes = changes(BASE, "# a comment that moves every line down\n\n" + BASE);
        assertThat(changes.none()).as(changes.describe("tollgate.yaml")).isTrue();
        assertThat(changes.describe("tollgate.yaml")).isEqualTo("reloaded tollgate.yaml: nothing to change");
    }

    @Test
    void aJailsSettingsApplyInPlaceAndTheSectionsReadAtStartWaitForARestart() {
        ConfigChanges changes = changes(BASE, BASE.replace("maxretry: 5", "maxretry: 4")
                .replace("192.0.2.0/24", "198.51.100.0/24").replace("9190", "9191")
                .replace("  ami:\n", "  ami:\n    scope: cluster\n")
                + "  new-jail:\n    actions:\n      - type: log\n");

        assertThat(changes.jails()).extracting(jail -> jail.name()).containsExactly("sip-auth");
        assertThat(changes.jailChanges()).singleElement().asString().startsWith("sip-auth maxretry 5 -> 4, ignoreip");
        assertThat(changes.needRestart()).containsExactly("api", "jail ami scope", "jail new-jail added");
        assertThat(changes.sources()).isFalse();
        assertThat(changes.describe("t.yaml")).isEqualTo("reloaded t.yaml: jails " + changes.jailChanges().get(0)
                + "; needs a restart to take effect (kept as started): api, jail ami scope, jail new-jail added");
    }

    @Test
    void changedSourcesAndAlertsStartAgainAndAChangedActionWaits() {
        ConfigChanges changes = changes(BASE, BASE.replace("type: stdin", "type: file\n    path: /var/log/asterisk/full")
                .replace("      - type: log\n  ami:", "      - type: log\n      - type: webhook\n"
                        + "        url: http://127.0.0.1:9/hook\n  ami:")
                .replace("  ami:\n    match: [ami-login-failed]\n    actions:\n      - type: log",
                        "  ami:\n    match: [ami-login-failed]\n    actions:\n      - type: ipset\n        set: ami"));

        assertThat(changes.sources()).isTrue();
        assertThat(changes.alerts()).isTrue();
        assertThat(changes.jailChanges()).singleElement().asString().isEqualTo("sip-auth alerts");
        assertThat(changes.needRestart()).containsExactly("jail ami actions");
    }
}
