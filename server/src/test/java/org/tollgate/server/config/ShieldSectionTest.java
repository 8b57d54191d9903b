package org.tollgate.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.banner.shield.AddressList;
import org.tollgate.banner.shield.ShieldSettings;

class ShieldSectionTest {

    @TempDir
    Path dir;

    private static TollgateConfig read(String yaml) {
        return TollgateConfig.parse("sources: [{type: stdin}]\n" + yaml, "tollgate.yaml");
    }

    @Test
    void theShieldIsOffWithoutItsSectionAndTakesEveryKey() throws Exception {
        assertThat(read("").shield().enabled()).isFalse();
        Path allow = Files.writeString(dir.resolve("allow"), "# office\n192.0.2.7   # reception\n2001:db8:1::/48\n\n");
        ShieldSettings shield = read("""
                shield:
                  enabled: true
                  backend: nftables
                  ports: [5060, 5080]
                  protocols: udp
                  ladder: [3/60s, 100/1h]
                  log: false
                  allow: %s
                  methods: {options: 10/10s}
                  user_agents: [friendly-scanner, default]
                """.formatted(allow)).shield();
        assertThat(shield.enabled()).isTrue();
        assertThat(shield.ports()).containsExactly(5060, 5080);
        assertThat(shield.protocols()).containsExactly("udp");
        assertThat(shield.ladder()).containsExactly(new ShieldSettings.Rung(3, Duration.ofMinutes(1)),
                new ShieldSettings.Rung(100, Duration.ofHours(1)));
        assertThat(shield.methodLimit("OPTIONS")).isEqualTo(new ShieldSettings.Rung(10, Duration.ofSeconds(10)));
        assertThat(shield.userAgents()).contains("friendly-scanner", "sipvicious", "iWar");
        assertThat(AddressList.read(shield.allow()).entries()).containsExactly("192.0.2.7/32", "2001:db8:1::/48");
    }

    @Test
    void everyValueThatReachesARuleIsCheckedWithItsLine() throws Exception {
        assertThatThrownBy(() -> read("shield:\n  ladder: [3 per minute]\n")).hasMessage("shield.ladder[0]: expected"
                + " <count>/<window> such as 3/60s or 100/1h, was '3 per minute' (tollgate.yaml line 3)");
        assertThatThrownBy(() -> read("shield:\n  methods: {HACK: 1/1s}\n"))
                .hasMessageStartingWith("shield.methods.HACK: expected a SIP method (REGISTER, INVITE");
        assertThatThrownBy(() -> read("shield:\n  user_agents: ['friendly\"; drop']\n"))
                .hasMessageStartingWith("shield.user_agents[0]: expected a User-Agent of 3 to 64 letters");
        assertThatThrownBy(() -> read("shield:\n  ports: [5060, 70000]\n"))
                .hasMessageStartingWith("shield.ports[1]: expected a whole number from 1 to 65535, was '70000'");
        Path bad = Files.writeString(dir.resolve("block"), "192.0.2.0/24\nscanner.example.net\n");
        assertThatThrownBy(() -> read("shield:\n  block: " + bad + "\n")).hasMessage("shield.block: " + bad
                + " line 2: expected an IP address or CIDR block such as 192.0.2.0/24 or 2001:db8::/32 (host names are"
                + " not looked up), was 'scanner.example.net' (tollgate.yaml line 3)");
        assertThatThrownBy(() -> read("shield:\n  allow: " + dir.resolve("missing") + "\n"))
                .hasMessageContaining("missing: no such file");
    }

    @Test
    void ratesAreWholeNumbersInTheSmallestUnitThatFits() {
        assertThat(new ShieldSettings.Rung(3, Duration.ofMinutes(1)).rate()).isEqualTo("3/minute");
        assertThat(new ShieldSettings.Rung(5, Duration.ofMinutes(3)).rate()).isEqualTo("100/hour");
        assertThat(new ShieldSettings.Rung(10, Duration.ofSeconds(10)).rate()).isEqualTo("1/second");
        assertThat(new ShieldSettings.Rung(100, Duration.ofHours(1)).rate()).isEqualTo("100/hour");
        assertThat(new ShieldSettings.Rung(1, Duration.ofDays(7)).rate()).isEqualTo("1/day");
        assertThat(new ShieldSettings.Rung(7, Duration.ofSeconds(13)).rate()).isEqualTo("46524/day");
        assertThat(List.of(ShieldSettings.DEFAULT_LADDER.get(0).rate())).containsExactly("3/minute");
    }
}
