package org.tollgate.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of configuration error makes {@code tollgate run} refuse at once: exit code 1, one line on stderr naming
 * the file's path, the line and the key and what is wrong, and nothing opened (no state file, no port bound).
 */
class RunConfigErrorsTest {

    private static final String JAIL = """
            jails:
              sip-auth:
                actions:
                  - type: log
            """;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @TempDir
    Path dir;

    /** name, the file ({@code STATE}, {@code PORT} and {@code DIR} filled in), what the one line must contain. */
    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("YAML syntax", JAIL + "sources: [{type: stdin}\n", "line "),
                Arguments.of("unknown top-level key", JAIL + "sources: [{type: stdin}]\njail: {}\n",
                        "jail: unknown key 'jail'"),
                Arguments.of("unknown jail key", """
                        jails:
                          sip-auth:
                            findtme: 10m
                        sources: [{type: stdin}]
                        """, "jails.sip-auth.findtme: unknown key"),
                Arguments.of("bad value", """
                        jails:
                          sip-auth:
                            maxretry: many
                        sources: [{type: stdin}]
                        """, "jails.sip-auth.maxretry: expected"),
                Arguments.of("bad duration", """
                        jails:
                          sip-auth:
                            findtime: 10 minutes
                        sources: [{type: stdin}]
                        """, "jails.sip-auth.findtime: expected <number>[s|m|h|d|w|y], was '10 minutes'"),
                Arguments.of("unknown action type", """
                        jails:
                          sip-auth:
                            actions:
                              - type: pf
                        sources: [{type: stdin}]
                        """, "jails.sip-auth.actions[0].type: expected one of"),
                Arguments.of("bad action parameter", """
                        jails:
                          sip-auth:
                            actions:
                              - type: ipset
                                set: "no spaces"
                        sources: [{type: stdin}]
                        """, "jails.sip-auth.actions[0].set: expected a name"),
                Arguments.of("unknown action parameter", """
                        jails:
                          sip-auth:
                            actions:
                              - type: nftables
                                tabel: tollgate
                        sources: [{type: stdin}]
                        """, "jails.sip-auth.actions[0].tabel: unknown parameter of the nftables action"),
                Arguments.of("duplicate jail", JAIL + "  sip-auth:\n    maxretry: 3\nsources: [{type: stdin}]\n",
                        "duplicate key"),
                Arguments.of("two outputs writing one file", JAIL + """
                        sources: [{type: stdin}]
                        outputs:
                          - {type: jsonl, path: DIR/events.jsonl}
                          - {type: jsonl, path: DIR/events.jsonl}
                        """, "two writers"),
                Arguments.of("missing tls_ca", JAIL + """
                        sources: [{type: stdin}]
                        outputs:
                          - {type: tcp-json, host: 192.0.2.10, port: 6514, tls: true, tls_ca: DIR/none.pem}
                        """, "outputs[0].tls_ca: expected a readable PEM file"),
                Arguments.of("unreadable tls_ca", JAIL + """
                        sources: [{type: stdin}]
                        outputs:
                          - {type: tcp-json, host: 192.0.2.10, port: 6514, tls: true, tls_ca: DIR}
                        """, "outputs[0].tls_ca: expected a readable PEM file"),
                Arguments.of("bad listen address", JAIL + "sources: [{type: stdin}]\napi:\n  listen: localhost:PORT\n",
                        "api.listen: expected <ip>:<port>"),
                Arguments.of("missing token file", JAIL + "sources: [{type: stdin}]\napi:\n  listen: 127.0.0.1:PORT\n"
                        + "  token_file: DIR/none\n", "api.token_file: no such file"),
                Arguments.of("unreadable token file", JAIL + "sources: [{type: stdin}]\napi:\n  listen: 127.0.0.1:PORT\n"
                        + "  token_file: DIR\n", "api.token_file: cannot read"),
                Arguments.of("short token", JAIL + "sources: [{type: stdin}]\napi:\n  listen: 127.0.0.1:PORT\n"
                        + "  token_file: DIR/short-token\n", "api.token_file: the token in"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void isRefusedAtOnceInOneLine(String name, String yaml, String expected) throws Exception {
        Files.writeString(dir.resolve("short-token"), "0123456789\n");
        Path state = dir.resolve("state.db");
        int port = freePort();
        Path config = Files.writeString(dir.resolve("tollgate.yaml"), yaml.replace("DIR", dir.toString())
                .replace("PORT", Integer.toString(port)) + "state:\n  path: " + state + "\n");

        int exit = TollgateCommand.execute("run", "--config", config.toString());

        String stderr = console.stderr();
        System.out.println(name + ": " + stderr.strip());
        assertThat(exit).as(stderr).isEqualTo(1);
        assertThat(stderr.lines()).as(stderr).hasSize(1);
        assertThat(stderr).startsWith("tollgate run: ").contains(expected).contains(config.toString())
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(state).as("no state file created").doesNotExist();
        assertThat(bindable(port)).as("no port bound").isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("missingFiles")
    void aMissingOrUnreadableConfigurationIsNamedByItsPath(String name, String file) {
        Path config = dir.resolve(file);

        int exit = TollgateCommand.execute("run", "--config", config.toString());

        String stderr = console.stderr();
        System.out.println(name + ": " + stderr.strip());
        assertThat(exit).isEqualTo(1);
        assertThat(stderr.lines()).as(stderr).hasSize(1);
        assertThat(stderr).startsWith("tollgate run: ").contains(config.toString());
    }

    static Stream<Arguments> missingFiles() {
        return Stream.of(Arguments.of("missing", "none.yaml"), Arguments.of("a directory", ""));
    }

    @Test
    void aStateFileThatIsNotADatabaseIsRefusedInOneLineNamingItAndTheCause() throws Exception {
        Path state = Files.writeString(dir.resolve("state.db"), "not a database\n".repeat(400));
        Path config = Files.writeString(dir.resolve("tollgate.yaml"), JAIL + "sources: [{type: stdin}]\n"
                + "state:\n  path: " + state + "\n");

        int exit = TollgateCommand.execute("run", "--once", "--config", config.toString());

        String stderr = console.stderr();
        System.out.println("corrupt state: " + stderr.strip());
        assertThat(exit).isEqualTo(1);
        assertThat(stderr.lines().filter(line -> line.startsWith("tollgate run:"))).singleElement().asString()
                .contains("state database " + state).contains("not a database");
        assertThat(stderr).doesNotContain("\tat ").doesNotContain("Exception");
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
