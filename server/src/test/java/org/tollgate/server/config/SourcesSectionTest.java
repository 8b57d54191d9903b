package org.tollgate.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.tollgate.banner.config.ConfigException;

class SourcesSectionTest {

    private static TollgateConfig read(String yaml) {
        return TollgateConfig.parse(yaml, "tollgate.yaml");
    }

    @Test
    void readsAFileSourceAsBefore() {
        SourceSettings source = read("""
                sources:
                  - type: file
                    path: /var/log/asterisk/full
                    start: end
                    zone: UTC
                    patched: true
                """).sources().get(0);
        assertThat(source).isEqualTo(new SourceSettings.FileSource("/var/log/asterisk/full", "end", true,
                ZoneId.of("UTC"), 2));
    }

    @Test
    void aKeyOfAnotherTypeIsNamedWithTheTypeAndItsKeys() {
        assertThatThrownBy(() -> read("""
                sources:
                  - type: file
                    path: /var/log/asterisk/full
                    listen: 127.0.0.1:5514
                """)).isInstanceOf(ConfigException.class)
                .hasMessage("sources[0].listen: unknown key 'listen' for a file source; allowed keys: type, path, "
                        + "start, patched, zone (tollgate.yaml line 4)");
    }

    @Test
    void readsASyslogSourceWithItsDefaults() {
        SourceSettings.SyslogSource source = (SourceSettings.SyslogSource) read("""
                sources:
                  - type: syslog
                    zone: UTC
                """).sources().get(0);
        assertThat(source.type()).isEqualTo("syslog");
        assertThat(source.listen().host()).isEqualTo("127.0.0.1");
        assertThat(source.listen().port()).isEqualTo(5514);
        assertThat(source.listensUdp()).isTrue();
        assertThat(source.listensTcp()).isTrue();
    }

    @Test
    void readsAnIpv6ListenAddressAndOneProtocol() {
        SourceSettings.SyslogSource source = (SourceSettings.SyslogSource) read("""
                sources:
                  - type: syslog
                    listen: "[::1]:514"
                    protocol: tcp
                """).sources().get(0);
        assertThat(source.listen().host()).isEqualTo("::1");
        assertThat(source.listen().port()).isEqualTo(514);
        assertThat(source.listensUdp()).isFalse();
        assertThat(source.listensTcp()).isTrue();
    }

    @Test
    void aListenAddressThatIsNotAnAddressAndPortIsNamed() {
        assertThatThrownBy(() -> read("""
                sources:
                  - type: syslog
                    listen: pbx.example.net:5514
                """)).isInstanceOf(ConfigException.class)
                .hasMessage("sources[0].listen: expected <ip>:<port> such as 127.0.0.1:5514, [::1]:5514 or "
                        + "0.0.0.0:514 (an IP literal or localhost; port 1 to 65535), was 'pbx.example.net:5514' "
                        + "(tollgate.yaml line 3)");
        assertThatThrownBy(() -> read("""
                sources:
                  - type: syslog
                    listen: 127.0.0.1:70000
                """)).hasMessageContaining("port 1 to 65535), was '127.0.0.1:70000' (tollgate.yaml line 3)");
        assertThatThrownBy(() -> read("""
                sources:
                  - type: syslog
                    protocol: sctp
                """)).hasMessage("sources[0].protocol: expected one of udp, tcp, both, was 'sctp' "
                        + "(tollgate.yaml line 3)");
    }

    @Test
    void readsAJournaldSource() {
        SourceSettings.JournaldSource source = (SourceSettings.JournaldSource) read("""
                sources:
                  - type: journald
                    unit: asterisk.service
                """).sources().get(0);
        assertThat(source.unit()).isEqualTo("asterisk.service");
        assertThat(source.since()).isEqualTo("now");
        assertThat(read("""
                sources:
                  - type: journald
                    unit: asterisk.service
                    since: s=5a1b;i=3f2;b=9c0d;m=1a2b3c;t=5f1e2d3c4b5a6;x=77e1
                """).sources().get(0)).extracting("since").isEqualTo("s=5a1b;i=3f2;b=9c0d;m=1a2b3c;t=5f1e2d3c4b5a6;x=77e1");
    }

    @Test
    void aJournaldSourceNeedsAUnitAndTakesNowOrACursor() {
        assertThatThrownBy(() -> read("""
                sources:
                  - type: journald
                """)).hasMessage("sources[0]: missing required key 'unit' (tollgate.yaml line 2)");
        assertThatThrownBy(() -> read("""
                sources:
                  - type: journald
                    unit: --system
                """)).hasMessage("sources[0].unit: expected a systemd unit name such as asterisk.service (letters, "
                        + "digits and :_.\\@-, globs *?[]), was '--system' (tollgate.yaml line 3)");
        assertThatThrownBy(() -> read("""
                sources:
                  - type: journald
                    unit: asterisk.service
                    since: yesterday
                """)).hasMessage("sources[0].since: expected now or a journal cursor such as s=…;i=…;b=…;m=…;t=…;x=… "
                        + "(journalctl --show-cursor), was 'yesterday' (tollgate.yaml line 4)");
    }

    @Test
    void onlyOneSourceReadsStdin() {
        assertThat(read("""
                sources:
                  - type: stdin
                    zone: UTC
                """).sources().get(0).type()).isEqualTo("stdin");
        assertThatThrownBy(() -> read("""
                sources:
                  - type: stdin
                  - type: stdin
                """)).hasMessage("sources[1]: only one source can read stdin (tollgate.yaml line 3)");
    }

    @Test
    void theShippedConfigurationReadsWithEverySourceTurnedOn() throws Exception {
        String shipped = Files.readString(Path.of("../config/tollgate.yaml"));
        assertThat(TollgateConfig.parse(shipped, "tollgate.yaml").sources()).hasSize(1);
        // Uncomment "  # - type: …" and the "  #   key: …" lines under it, in the sources section.
        int state = shipped.indexOf("\nstate:");
        String all = Pattern.compile("^  # (- type: |  [a-z]+: )", Pattern.MULTILINE)
                .matcher(shipped.substring(0, state)).replaceAll("  $1") + shipped.substring(state);
        assertThat(TollgateConfig.parse(all, "tollgate.yaml").sources())
                .extracting(SourceSettings::type).containsExactly("file", "syslog", "journald", "stdin");
    }

    @Test
    void theShippedEnrichShieldAndGeoJailExamplesReadWhenUncommented(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path allow = Files.writeString(dir.resolve("allow.list"), "192.0.2.7\n");
        String shipped = Files.readString(Path.of("../config/tollgate.yaml"))
                .replace("/etc/tollgate/allow.list", allow.toString()).replace("/etc/tollgate/block.list", allow.toString());
        String all = uncomment(uncomment(uncomment(shipped, "# enrich:"), "  # strict-sip:"), "# shield:");
        TollgateConfig config = TollgateConfig.parse(all, "tollgate.yaml");
        assertThat(config.enrich().geoip()).isEqualTo(Path.of("/var/lib/GeoIP/GeoLite2-City.mmdb"));
        assertThat(config.enrich().asn()).isEqualTo(Path.of("/var/lib/GeoIP/GeoLite2-ASN.mmdb"));
        assertThat(config.jails().get("strict-sip").geoMatch()).containsKey("source.geo.country_iso_code");
        assertThat(config.shield().enabled()).isTrue();
        assertThat(config.shield().ladder()).isEqualTo(org.tollgate.banner.shield.ShieldSettings.DEFAULT_LADDER);
    }

    @Test
    void enrichNeedsADatabaseAndNamesItsUnknownKeys() {
        assertThatThrownBy(() -> read("""
                sources: [{type: stdin}]
                enrich:
                  cache: 100
                """)).hasMessage("enrich: expected geoip: and/or asn: naming a MaxMind database (.mmdb), was neither"
                + " (tollgate.yaml line 2)");
        assertThatThrownBy(() -> read("""
                sources: [{type: stdin}]
                enrich:
                  city: /var/lib/GeoIP/GeoLite2-City.mmdb
                """)).hasMessageStartingWith("enrich.city: unknown key 'city'; allowed keys: asn, cache, geoip");
        assertThat(read("sources: [{type: stdin}]").enrich()).isEqualTo(EnrichSettings.NONE);
    }

    /** The block that starts with the line {@code first} (a comment), and the comment lines under it, uncommented. */
    private static String uncomment(String text, String first) {
        int start = text.indexOf("\n" + first) + 1;
        String indent = first.substring(0, first.indexOf('#'));
        int end = start;
        StringBuilder block = new StringBuilder();
        while (end < text.length() && text.startsWith(indent + "#", end)) {
            int eol = text.indexOf('\n', end);
            String line = text.substring(end, eol);
            block.append(indent).append(line.substring(indent.length() + 2)).append('\n');
            end = eol + 1;
        }
        return text.substring(0, start) + block + text.substring(end);
    }
}
