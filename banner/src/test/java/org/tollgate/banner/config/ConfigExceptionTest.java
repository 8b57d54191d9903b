package org.tollgate.banner.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConfigExceptionTest {

    @Test
    void theMessageIsOneLineWhateverTheProblemQuotes() {
        ConfigException e = new ConfigException("", "invalid YAML: expected a directive name, but found \r(13)\nand more",
                "tollgate.yaml", 1);

        assertThat(e.getMessage()).isEqualTo(
                "invalid YAML: expected a directive name, but found \\u000d(13)\\u000aand more (tollgate.yaml line 1)");
    }

    @Test
    void aYamlProblemFromTheFileIsOneLine() {
        String message = "";
        try {
            TollgateConfigFile.parse("%\r' failed for '2001:db8::66'", "tollgate.yaml");
        } catch (ConfigException e) {
            message = e.getMessage();
        }
        assertThat(message).startsWith("invalid YAML").endsWith("(tollgate.yaml line 1)").doesNotContain("\r", "\n");
    }
}
