package org.tollgate.server.adopt.fail2ban;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.tollgate.banner.config.ConfigException;
import org.tollgate.banner.config.ConfigMap;
import org.tollgate.banner.config.YamlTreeParser;

/** Hostile fail2ban text: read without anything but the import's own errors, and never able to shape the YAML. */
class Fail2banImportProperties {

    @Property(tries = 2000)
    void anyFileIsReadOrRefusedWithItsLine(@ForAll("iniText") String text) {
        try {
            IniFile.parse(text, "jail.local");
        } catch (ConfigException e) {
            assertThat(e.file()).isEqualTo("jail.local");
            assertThat(e.line()).isPositive();
        }
    }

    @Property(tries = 2000)
    void anyTimeIsReadOrRefused(@ForAll("timeText") String text) {
        try {
            double seconds = Fail2banTime.seconds(text);
            assertThat(Double.isFinite(seconds)).isTrue();
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 2000)
    void anyActionListIsReadOrRefused(@ForAll("actionText") String text) {
        try {
            ActionSpec.parseList(text);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 2000)
    void aQuotedValueReadsBackAsItself(@ForAll String value) throws IOException {
        ConfigMap root = YamlTreeParser.parse(new StringReader("key: " + ImportedYaml.quote(value) + "\n"), "t.yaml");
        assertThat(root.entries()).containsOnlyKeys("key");
        assertThat(root.require("key").asScalar().text()).isEqualTo(value);
    }

    @Provide
    Arbitrary<String> iniText() {
        return Arbitraries.strings().withChars("[]=:;#% \t\n\r()/abcDEF01\u00e9\uFEFF").ofMaxLength(200);
    }

    @Provide
    Arbitrary<String> timeText() {
        return Arbitraries.strings().withChars("0123456789.+-*/() dhmswyoniecatr").ofMaxLength(40);
    }

    @Provide
    Arbitrary<String> actionText() {
        return Arbitraries.strings().withChars("[]=,'\" \n\tabc-_.0123").ofMaxLength(80);
    }
}
