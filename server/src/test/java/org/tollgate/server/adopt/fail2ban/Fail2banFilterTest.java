package org.tollgate.server.adopt.fail2ban;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tollgate.banner.config.ConfigException;
import org.tollgate.normalizer.address.IpLiteral;
import org.tollgate.testkit.Requirements;

/**
 * A user's fail2ban filter run by Tollgate finds what fail2ban finds. The filters Tollgate ships for fail2ban
 * (filters/) come with sample lines that say, in fail2ban's own failJSON convention, what fail2ban-regex must find in
 * each (filters/check.sh checks that with the real fail2ban-regex): read here as a user's filter, with fail2ban's
 * common.conf beside it, Tollgate's reading of them must find exactly the same.
 */
class Fail2banFilterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path COMMON = Path.of("/etc/fail2ban/filter.d/common.conf");

    @TempDir
    Path dir;

    @BeforeEach
    void fail2bansCommonConfBesideTheFilters() throws IOException {
        Requirements.requireTools(List.of("fail2ban-regex"));
        Files.copy(COMMON, dir.resolve("common.conf"));
        for (String name : List.of("asterisk.conf", "asterisk-patched.conf")) {
            Files.copy(Path.of("..", "filters", name), dir.resolve(name));
        }
        try (var files = Files.list(Path.of("src", "test", "resources", "custom-filters"))) {
            for (Path file : files.toList()) {
                Files.copy(file, dir.resolve(file.getFileName()));
            }
        }
    }

    @ParameterizedTest(name = "{0} over {1}")
    @CsvSource({"asterisk.conf, asterisk.log", "asterisk.conf[logtype=journal], asterisk.log",
            "asterisk-patched.conf, asterisk-patched.log"})
    void findsWhatFail2banFindsInTheSampleLines(String filter, String sample) throws IOException {
        Fail2banFilter read = Fail2banFilter.read(dir.resolve(filter).toString());
        List<String> lines = Files.readAllLines(Path.of("..", "filters", "tests", sample));
        List<String> disagreements = new ArrayList<>();
        int matching = 0;
        int checked = 0;
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (!lines.get(i).startsWith("# failJSON:")) {
                continue;
            }
            JsonNode expected = JSON.readTree(lines.get(i).substring("# failJSON:".length()));
            String line = lines.get(i + 1);
            Fail2banFilter.Match found = read.find(line);
            checked++;
            if (expected.path("match").asBoolean(false)) {
                matching++;
                String host = IpLiteral.canonical(expected.get("host").asText());
                if (found == null || !found.ip().equals(host)) {
                    disagreements.add("line " + (i + 2) + ": fail2ban finds " + host + ", Tollgate "
                            + (found == null ? "nothing" : found.ip()) + ": " + line);
                }
            } else if (found != null) {
                disagreements.add("line " + (i + 2) + ": fail2ban finds nothing, Tollgate " + found.ip() + ": " + line);
            }
        }
        assertThat(checked).as("sample lines").isGreaterThan(10);
        assertThat(matching).as("sample lines fail2ban finds a failure in").isGreaterThan(5);
        assertThat(disagreements).isEmpty();
    }

    @Test
    void aSitesFilterWithItsLocalTwinIncludesAndIgnoreregex() throws IOException {
        Fail2banFilter filter = Fail2banFilter.read(dir.resolve("asterisk-custom.conf"), Map.of());
        assertThat(filter.name()).isEqualTo("asterisk-custom");
        List<String> log = Files.readAllLines(dir.resolve("custom.log"));

        assertThat(filter.find(log.get(0))).isEqualTo(new Fail2banFilter.Match("198.51.100.7", null, 1));
        assertThat(filter.find(log.get(1))).isEqualTo(new Fail2banFilter.Match("2001:db8::9", "admin", 2));
        assertThat(filter.find(log.get(2))).as("ignoreregex").isNull();
        assertThat(filter.find(log.get(3))).as("the .local twin's failregex")
                .isEqualTo(new Fail2banFilter.Match("192.0.2.44", null, 3));
        assertThat(filter.find(log.get(4))).as("not an IP literal").isNull();
        assertThat(filter.find(log.get(5))).as("another filter's line").isNull();
        assertThat(filter.find(log.get(6))).as("a level the prefregex leaves out").isNull();
    }

    @Test
    void aBadRegexIsRefusedWithTheFileTheLineAndJavasComplaint() {
        assertThatThrownBy(() -> Fail2banFilter.read(dir.resolve("broken.conf"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("failregex: cannot use '^acme_auth: login refused for (<HOST>$': Unclosed group")
                .hasMessageEndingWith("(" + dir.resolve("broken.conf") + " line 4)");
    }

    @Test
    void aRegexWithoutAnAddressIsRefused() throws IOException {
        Files.writeString(dir.resolve("no-host.conf"), "[Definition]\nfailregex = ^login failed for \\S+$\n");
        assertThatThrownBy(() -> Fail2banFilter.read(dir.resolve("no-host.conf"), Map.of()))
                .hasMessageContaining("no <HOST>").hasMessageEndingWith("no-host.conf line 2)");
    }

    @Test
    void multiLineFiltersAreRefused() throws IOException {
        Files.writeString(dir.resolve("multi.conf"), "[Definition]\nfailregex = ^a<SKIPLINES>b <HOST>$\n");
        assertThatThrownBy(() -> Fail2banFilter.read(dir.resolve("multi.conf"), Map.of()))
                .hasMessageContaining("<SKIPLINES>").hasMessageEndingWith("multi.conf line 2)");
        Files.writeString(dir.resolve("lines.conf"), "[Definition]\nfailregex = ^a <HOST>$\nmaxlines = 2\n");
        assertThatThrownBy(() -> Fail2banFilter.read(dir.resolve("lines.conf"), Map.of()))
                .hasMessageContaining("one line at a time");
    }

    @Test
    void aMissingFileIsSaidSo() {
        assertThatThrownBy(() -> Fail2banFilter.read(dir.resolve("nowhere.conf"), Map.of()))
                .hasMessage("no such filter file (" + dir.resolve("nowhere.conf") + ")");
    }

    @Test
    void anInlineFilterReadsCommonConfsPrefixAndNamesTheYamlLine() throws IOException {
        Map<String, Fail2banFilter.Written> options = Map.of(
                "failregex", new Fail2banFilter.Written(
                        "^%(__prefix_line)sacme_auth: login refused for <HOST>$\n^toll probe from <ADDR>$",
                        "tollgate.yaml", List.of(12, 13)));
        Fail2banFilter filter = Fail2banFilter.inline("pbx", options, dir);
        assertThat(filter.find("Jan 18 17:39:50 pbx1 acme[77]: acme_auth: login refused for 192.0.2.8"))
                .isEqualTo(new Fail2banFilter.Match("192.0.2.8", null, 1));
        assertThat(filter.find("toll probe from 192.0.2.9")).isEqualTo(new Fail2banFilter.Match("192.0.2.9", null, 2));

        Map<String, Fail2banFilter.Written> broken = Map.of("failregex", new Fail2banFilter.Written(
                "^ok <HOST>$\n^bad [<HOST>$", "tollgate.yaml", List.of(12, 13)));
        assertThatThrownBy(() -> Fail2banFilter.inline("pbx", broken, dir))
                .hasMessageStartingWith("failregex: cannot use '^bad [<HOST>$'")
                .hasMessageEndingWith("(tollgate.yaml line 13)");
    }
}
