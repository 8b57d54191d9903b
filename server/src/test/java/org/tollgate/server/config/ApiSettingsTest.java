package org.tollgate.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.banner.config.ConfigException;

class ApiSettingsTest {

    @TempDir
    Path dir;

    private static ApiSettings read(String yaml) {
        return TollgateConfig.parse(yaml + "\nsources: [{type: stdin}]\n", "tollgate.yaml").api();
    }

    private static ConfigException error(String yaml) {
        try {
            read(yaml);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("expected a configuration error for:\n" + yaml);
    }

    @Test
    void withoutTheSectionListensOnLoopbackWithoutAToken() {
        ApiSettings api = read("jails: {}\n");

        assertThat(api.host()).isEqualTo("127.0.0.1");
        assertThat(api.port()).isEqualTo(9190);
        assertThat(api.tokenFile()).isNull();
        assertThat(api.loopback()).isTrue();
        assertThat(api.readToken()).isEmpty();
    }

    @Test
    void readsListenAndTokenFile() {
        ApiSettings api = read("""
                api:
                  listen: 127.0.0.1:9191
                  token_file: /etc/tollgate/token
                """);

        assertThat(api.listen()).isEqualTo("127.0.0.1:9191");
        assertThat(api.tokenFile()).isEqualTo(Path.of("/etc/tollgate/token"));
        assertThat(api.tokenFileLine()).isEqualTo(3);
    }

    @Test
    void readsBracketedIpv6AndCanonicalisesIt() {
        ApiSettings api = read("""
                api:
                  listen: "[0:0:0:0:0:0:0:1]:9190"
                """);

        assertThat(api.host()).isEqualTo("::1");
        assertThat(api.loopback()).isTrue();
        assertThat(api.listen()).isEqualTo("[::1]:9190");
    }

    @Test
    void aHostNameIsRefusedWithKeyValueAndLine() {
        ConfigException e = error("""
                jails: {}
                api:
                  listen: localhost:9190
                """);

        assertThat(e.key()).isEqualTo("api.listen");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.getMessage()).isEqualTo("api.listen: expected <ip>:<port> such as 127.0.0.1:9190 or [::1]:9190"
                + " (an IP literal, never a host name; port 1 to 65535), was 'localhost:9190' (tollgate.yaml line 3)");
    }

    @Test
    void badPortsAndUnbracketedIpv6AreRefused() {
        for (String listen : new String[] {"127.0.0.1", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:http",
            "::1:9190", "[127.0.0.1]:9190", "127.0.0.01:9190", ":9190"}) {
            ConfigException e = error("api:\n  listen: \"" + listen + "\"\n");
            assertThat(e.key()).as(listen).isEqualTo("api.listen");
            assertThat(e.line()).as(listen).isEqualTo(2);
            assertThat(e.problem()).as(listen).contains("was '" + listen + "'");
        }
    }

    @Test
    void aNonLoopbackListenNeedsATokenFile() {
        ConfigException e = error("""
                api:
                  listen: 0.0.0.0:9190
                """);

        assertThat(e.key()).isEqualTo("api.listen");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.problem()).contains("0.0.0.0").contains("not a loopback address").contains("api.token_file");
    }

    @Test
    void aNonLoopbackListenWithATokenFileIsAccepted() {
        ApiSettings api = read("""
                api:
                  listen: 192.0.2.10:9190
                  token_file: /etc/tollgate/token
                """);

        assertThat(api.loopback()).isFalse();
    }

    @Test
    void unknownKeysAreNamed() {
        ConfigException e = error("""
                api:
                  listen: 127.0.0.1:9190
                  token: abc
                """);

        assertThat(e.key()).isEqualTo("api.token");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.problem()).contains("unknown key 'token'").contains("listen, token_file");
    }

    @Test
    void theTokenIsReadTrimmed() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "  0123456789abcdef-token\n\n");
        ApiSettings api = read("api:\n  token_file: " + token + "\n");

        assertThat(api.readToken()).contains("0123456789abcdef-token");
    }

    @Test
    void aShortTokenIsRefusedWithoutEchoingIt() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "short-secret\n");
        ApiSettings api = read("jails: {}\napi:\n  token_file: " + token + "\n");

        assertThatThrownBy(api::readToken).isInstanceOf(ConfigException.class)
                .hasMessageContaining("api.token_file: the token in '" + token + "' is 12 characters long; at least 16")
                .hasMessageEndingWith("(tollgate.yaml line 3)")
                .hasMessageNotContaining("short-secret");
    }

    @Test
    void aTokenWithInnerSpaceIsRefused() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "0123456789 abcdef\n");
        ApiSettings api = read("api:\n  token_file: " + token + "\n");

        assertThatThrownBy(api::readToken).isInstanceOf(ConfigException.class)
                .hasMessageContaining("position 11");
    }

    @Test
    void aMissingTokenFileSaysHowToMakeOne() {
        ApiSettings api = read("api:\n  token_file: " + dir.resolve("absent") + "\n");

        assertThatThrownBy(api::readToken).isInstanceOf(ConfigException.class)
                .hasMessageContaining("api.token_file: no such file '" + dir.resolve("absent") + "'")
                .hasMessageContaining("head -c 32 /dev/urandom")
                .hasMessageEndingWith("(tollgate.yaml line 2)");
    }

    @Test
    void theShippedConfigurationListensOnLoopbackWithATokenFile() throws Exception {
        ApiSettings api = TollgateConfig.load(Path.of("..", "config", "tollgate.yaml")).api();

        assertThat(api.listen()).isEqualTo("127.0.0.1:9190");
        assertThat(api.tokenFile()).isEqualTo(Path.of("/etc/tollgate/token"));
    }
}
