package org.tollgate.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.banner.config.ConfigException;

/** The {@code outputs} section: each type with its keys, and errors that name the key, the value and the line. */
class OutputSettingsTest {

    @TempDir
    Path dir;

    private static TollgateConfig read(String outputs) {
        String yaml = """
                sources:
                  - type: file
                    path: /var/log/asterisk/full
                outputs:
                """ + outputs;
        return TollgateConfig.parse(yaml, "tollgate.yaml");
    }

    private static String error(String outputs) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> read(outputs));
        assertThat(thrown).isInstanceOf(ConfigException.class);
        return thrown.getMessage();
    }

    @Test
    void everyTypeWithItsDefaults() {
        TollgateConfig settings = read("""
                  - type: jsonl
                    path: /var/log/tollgate/events.jsonl
                  - type: tcp-json
                    host: siem.example.net
                    port: 5170
                  - type: syslog
                    host: 192.0.2.10
                    port: 514
                  - type: eventbus-bridge
                    listen: 127.0.0.1:7000
                """);
        assertThat(settings.outputs()).hasSize(4);
        OutputSettings.JsonlOutput jsonl = (OutputSettings.JsonlOutput) settings.outputs().get(0);
        assertThat(jsonl.path()).isEqualTo("/var/log/tollgate/events.jsonl");
        assertThat(jsonl.queue()).isEqualTo(100_000);
        assertThat(jsonl.allEvents()).isFalse();

        OutputSettings.TcpJsonOutput tcp = (OutputSettings.TcpJsonOutput) settings.outputs().get(1);
        assertThat(tcp.host()).isEqualTo("siem.example.net");
        assertThat(tcp.port()).isEqualTo(5170);
        assertThat(tcp.tls()).isFalse();
        assertThat(tcp.queue()).isEqualTo(100_000);
        assertThat(tcp.line()).isEqualTo(7);

        OutputSettings.SyslogOutput syslog = (OutputSettings.SyslogOutput) settings.outputs().get(2);
        assertThat(syslog.protocol()).isEqualTo("tcp");
        assertThat(syslog.facility()).isEqualTo("local0");

        OutputSettings.EventBusBridgeOutput bridge = (OutputSettings.EventBusBridgeOutput) settings.outputs().get(3);
        assertThat(bridge.listen().host()).isEqualTo("127.0.0.1");
        assertThat(bridge.listen().port()).isEqualTo(7000);
    }

    @Test
    void everyKeySet() throws Exception {
        // A CA certificate alone (keytool -genkeypair -ext bc:c, then -exportcert -rfc); no key anywhere.
        Path ca = Path.of(OutputSettingsTest.class.getClassLoader().getResource("forward/test-ca.pem").toURI());
        TollgateConfig settings = read("""
                  - type: syslog
                    host: "2001:db8::10"
                    port: 6514
                    protocol: udp
                    facility: authpriv
                    events: all
                    queue: 5000
                    max_datagram: 1400
                  - type: tcp-json
                    host: siem.example.net
                    port: 6000
                    tls: true
                    tls_ca: %s
                  - type: eventbus-bridge
                    listen: "[::1]:7001"
                    events: all
                """.formatted(ca));
        OutputSettings.SyslogOutput syslog = (OutputSettings.SyslogOutput) settings.outputs().get(0);
        assertThat(syslog.host()).isEqualTo("2001:db8::10");
        assertThat(syslog.protocol()).isEqualTo("udp");
        assertThat(syslog.facility()).isEqualTo("authpriv");
        assertThat(syslog.allEvents()).isTrue();
        assertThat(syslog.queue()).isEqualTo(5000);
        assertThat(syslog.maxDatagram()).isEqualTo(1400);
        OutputSettings.TcpJsonOutput tls = (OutputSettings.TcpJsonOutput) settings.outputs().get(1);
        assertThat(tls.tls()).isTrue();
        assertThat(tls.tlsCa()).isEqualTo(ca);
        OutputSettings.EventBusBridgeOutput bridge = (OutputSettings.EventBusBridgeOutput) settings.outputs().get(2);
        assertThat(bridge.listen().host()).isEqualTo("::1");
        assertThat(bridge.listen().port()).isEqualTo(7001);
        assertThat(bridge.allEvents()).isTrue();
    }

    @Test
    void keysOfAnotherTypeAreRefusedByName() {
        assertThat(error("""
                  - type: tcp-json
                    host: siem.example.net
                    port: 5170
                    path: /tmp/events.jsonl
                """)).isEqualTo("outputs[0].path: unknown key 'path'; allowed keys: events, host, port, queue, tls, "
                + "tls_ca, type (tollgate.yaml line 8)");
    }

    @Test
    void missingHostOrPort() {
        assertThat(error("""
                  - type: syslog
                    port: 514
                """)).isEqualTo("outputs[0]: missing required key 'host' (tollgate.yaml line 5)");
        assertThat(error("""
                  - type: tcp-json
                    host: siem.example.net
                """)).isEqualTo("outputs[0]: missing required key 'port' (tollgate.yaml line 5)");
    }

    @Test
    void badValuesAreEchoed() {
        assertThat(error("""
                  - type: tcp-json
                    host: siem.example.net
                    port: 70000
                """)).isEqualTo("outputs[0].port: expected a whole number from 1 to 65535, was '70000' "
                + "(tollgate.yaml line 7)");
        assertThat(error("""
                  - type: syslog
                    host: siem.example.net
                    port: 514
                    protocol: tls
                """)).isEqualTo("outputs[0].protocol: expected one of tcp, udp, was 'tls' (tollgate.yaml line 8)");
        assertThat(error("""
                  - type: syslog
                    host: siem.example.net
                    port: 514
                    facility: local8
                """)).startsWith("outputs[0].facility: expected one of kern, user, mail, daemon, auth, syslog, ")
                .endsWith("local6, local7, was 'local8' (tollgate.yaml line 8)");
        assertThat(error("""
                  - type: tcp-json
                    host: siem.example.net
                    port: 5170
                    queue: 0
                """)).isEqualTo("outputs[0].queue: expected a whole number from 1 to 10000000, was '0' "
                + "(tollgate.yaml line 8)");
        assertThat(error("""
                  - type: tcp-json
                    host: "http://siem.example.net"
                    port: 5170
                """)).isEqualTo("outputs[0].host: expected a host name or an IP address such as siem.example.net "
                + "or 192.0.2.10, was 'http://siem.example.net' (tollgate.yaml line 6)");
        assertThat(error("""
                  - type: tcp-json
                    host: siem.example.net
                    port: 5170
                    events: everything
                """)).isEqualTo("outputs[0].events: expected one of security, all, was 'everything' "
                + "(tollgate.yaml line 8)");
    }

    @Test
    void udpOnlyAndTcpOnlyKeys() {
        assertThat(error("""
                  - type: syslog
                    host: siem.example.net
                    port: 514
                    max_datagram: 1400
                """)).isEqualTo("outputs[0].max_datagram: applies to protocol: udp only, and protocol is tcp "
                + "(tollgate.yaml line 8)");
        assertThat(error("""
                  - type: syslog
                    host: siem.example.net
                    port: 514
                    protocol: udp
                    max_datagram: 100
                """)).isEqualTo("outputs[0].max_datagram: expected a whole number from 480 to 65507, was '100' "
                + "(tollgate.yaml line 9)");
        assertThat(error("""
                  - type: syslog
                    host: siem.example.net
                    port: 514
                    protocol: udp
                    tls: true
                """)).isEqualTo("outputs[0].tls: TLS needs protocol: tcp, and protocol is udp "
                + "(tollgate.yaml line 9)");
    }

    @Test
    void trustedCertificatesMustBeReadablePem() throws Exception {
        assertThat(error("""
                  - type: tcp-json
                    host: siem.example.net
                    port: 6000
                    tls: true
                    tls_ca: /nonexistent/siem-ca.pem
                """)).startsWith("outputs[0].tls_ca: expected a readable PEM file of CA certificates, was "
                + "'/nonexistent/siem-ca.pem' (").endsWith("(tollgate.yaml line 9)");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        assertThat(error("""
                  - type: tcp-json
                    host: siem.example.net
                    port: 6000
                    tls: true
                    tls_ca: %s
                """.formatted(empty))).isEqualTo("outputs[0].tls_ca: expected a readable PEM file of CA "
                + "certificates, was '" + empty + "' (no certificate in it) (tollgate.yaml line 9)");
        assertThat(error("""
                  - type: tcp-json
                    host: siem.example.net
                    port: 6000
                    tls_ca: /etc/ssl/certs/ca-certificates.crt
                """)).isEqualTo("outputs[0].tls_ca: applies with tls: true only (tollgate.yaml line 8)");
    }

    @Test
    void theBridgeListensOnLoopbackOnly() {
        assertThat(error("""
                  - type: eventbus-bridge
                    listen: 192.0.2.1:7000
                """)).isEqualTo("outputs[0].listen: the event bus bridge has no authentication, so it listens on "
                + "loopback only: expected 127.0.0.1:<port> or [::1]:<port>, was '192.0.2.1:7000' "
                + "(tollgate.yaml line 6)");
        assertThat(error("""
                  - type: eventbus-bridge
                    listen: localhost:7000
                """)).contains("never a host name");
        assertThat(error("""
                  - type: eventbus-bridge
                    listen: "::1:7000"
                """)).isEqualTo("outputs[0].listen: expected <ip>:<port> such as 127.0.0.1:7000 or "
                + "[::1]:7000 (an IP literal, never a host name; port 1 to 65535), was '::1:7000' (tollgate.yaml line 6)");
        assertThat(error("""
                  - type: eventbus-bridge
                    listen: 127.0.0.1:http
                """)).contains("port 1 to 65535), was '127.0.0.1:http' (tollgate.yaml line 6)");
        assertThat(error("""
                  - type: eventbus-bridge
                    listen: 127.0.0.1:7000
                    host: 127.0.0.1
                """)).startsWith("outputs[0].host: unknown key 'host'; allowed keys: events, listen, type");
    }

    @Test
    void unknownTypeListsTheServedOnes() {
        assertThatThrownBy(() -> read("""
                  - type: kafka
                    host: siem.example.net
                """)).hasMessage("outputs[0].type: expected one of jsonl, tcp-json, syslog, eventbus-bridge, "
                + "was 'kafka' (tollgate.yaml line 5)");
    }

    @Test
    void jsonlRotationBySizeByDayOrBoth() {
        TollgateConfig settings = read("""
                  - type: jsonl
                    path: /var/log/tollgate/events.jsonl
                    rotate: {max_size: 100MB, max_files: 5}
                  - type: jsonl
                    path: /var/log/tollgate/all.jsonl
                    events: all
                    rotate:
                      daily: true
                      max_size: 2gb
                      compress: false
                  - type: jsonl
                    path: /var/log/tollgate/daily.jsonl
                    rotate: {daily: true, max_files: 366}
                  - type: jsonl
                    path: /var/log/tollgate/grows.jsonl
                """);
        assertThat(((OutputSettings.JsonlOutput) settings.outputs().get(0)).rotate()).isEqualTo(new RotationSettings(100L << 20, false, 5, true));
        assertThat(((OutputSettings.JsonlOutput) settings.outputs().get(1)).rotate())
                .isEqualTo(new RotationSettings(2L << 30, true, RotationSettings.DEFAULT_MAX_FILES, false));
        assertThat(((OutputSettings.JsonlOutput) settings.outputs().get(2)).rotate()).isEqualTo(new RotationSettings(0, true, 366, true));
        assertThat(((OutputSettings.JsonlOutput) settings.outputs().get(3)).rotate()).isNull();
    }

    @Test
    void badRotateValuesAreRefusedWithKeyValueAndLine() {
        assertThat(error("""
                  - type: jsonl
                    path: /var/log/tollgate/events.jsonl
                    rotate:
                      max_size: 100 MB
                """)).isEqualTo("outputs[0].rotate.max_size: expected <number>KB|MB|GB such as 100MB, from 1KB to "
                + "1024GB, was '100 MB' (tollgate.yaml line 8)");
        assertThat(error("""
                  - type: jsonl
                    path: /var/log/tollgate/events.jsonl
                    rotate: {max_size: 512B}
                """)).isEqualTo("outputs[0].rotate.max_size: expected <number>KB|MB|GB such as 100MB, from 1KB to "
                + "1024GB, was '512B' (tollgate.yaml line 7)");
        assertThat(error("""
                  - type: jsonl
                    path: /var/log/tollgate/events.jsonl
                    rotate: {max_size: 2048GB}
                """)).endsWith("was '2048GB' (tollgate.yaml line 7)");
        assertThat(error("""
                  - type: jsonl
                    path: /var/log/tollgate/events.jsonl
                    rotate:
                      daily: true
                      max_files: 400
                """)).isEqualTo("outputs[0].rotate.max_files: expected a whole number from 1 to 366, was '400' "
                + "(tollgate.yaml line 9)");
        assertThat(error("""
                  - type: jsonl
                    path: /var/log/tollgate/events.jsonl
                    rotate: {daily: yes}
                """)).isEqualTo("outputs[0].rotate.daily: expected true or false, was 'yes' (tollgate.yaml line 7)");
        assertThat(error("""
                  - type: jsonl
                    path: /var/log/tollgate/events.jsonl
                    rotate: {size: 100MB}
                """)).isEqualTo("outputs[0].rotate.size: unknown key 'size'; allowed keys: compress, daily, max_files, "
                + "max_size (tollgate.yaml line 7)");
    }

    @Test
    void rotateNeedsSomethingToRollOnAndAFile() {
        assertThat(error("""
                  - type: jsonl
                    path: /var/log/tollgate/events.jsonl
                    rotate: {max_files: 3}
                """)).isEqualTo("outputs[0].rotate: expected max_size, daily: true or both, such as "
                + "{max_size: 100MB, max_files: 10} (tollgate.yaml line 7)");
        assertThat(error("""
                  - type: jsonl
                    path: "-"
                    rotate: {max_size: 100MB}
                """)).isEqualTo("outputs[0].rotate: applies to a file only, and path is - (stdout) "
                + "(tollgate.yaml line 7)");
        assertThat(error("""
                  - type: jsonl
                    path: /var/log/tollgate/events-%d.jsonl
                    rotate: {daily: true}
                """)).startsWith("outputs[0].path: a file that is rotated cannot have % in its name");
        assertThat(error("""
                  - type: jsonl
                    path: /var/log/tollgate/events.jsonl
                    rotate: 100MB
                """)).isEqualTo("outputs[0].rotate: expected a mapping of keys to values, was '100MB' "
                + "(tollgate.yaml line 7)");
    }

    @Test
    void twoJsonlOutputsCannotWriteOneFile() {
        assertThat(error("""
                  - type: jsonl
                    path: /var/log/tollgate/events.jsonl
                  - type: jsonl
                    path: /var/log/tollgate/events.jsonl
                    events: all
                """)).isEqualTo("outputs[1].path: '/var/log/tollgate/events.jsonl' is the file of the jsonl output of "
                + "line 5; two writers would cut into each other's lines (tollgate.yaml line 8)");
        assertThat(error("""
                  - type: jsonl
                    path: /var/log/tollgate/events.jsonl
                  - type: jsonl
                    path: /var/log/tollgate/../tollgate/events.jsonl
                """)).startsWith("outputs[1].path: '/var/log/tollgate/../tollgate/events.jsonl' is the file of the "
                + "jsonl output of line 5;");
        assertThat(read("""
                  - type: jsonl
                    path: /var/log/tollgate/events.jsonl
                  - type: jsonl
                    path: /var/log/tollgate/all.jsonl
                """).outputs()).hasSize(2);
    }

    @Test
    void theShippedJsonlOutputReadsWithItsCommentedKeysTurnedOn() throws Exception {
        String shipped = Files.readString(Path.of("../config/tollgate.yaml"));
        int outputs = shipped.indexOf("\noutputs:");
        int tcp = shipped.indexOf("  # - type: tcp-json", outputs);
        String jsonl = Pattern.compile("^    # (queue: |rotate: |  [a-z_]+: )", Pattern.MULTILINE)
                .matcher(shipped.substring(outputs, tcp)).replaceAll("    $1");
        String all = shipped.substring(0, outputs) + jsonl + shipped.substring(tcp);
        OutputSettings.JsonlOutput output = (OutputSettings.JsonlOutput) TollgateConfig.parse(all, "tollgate.yaml").outputs().get(0);
        assertThat(output.queue()).isEqualTo(100_000);
        assertThat(output.rotate()).isEqualTo(new RotationSettings(100L << 20, true, 10, true));
    }
}
