package org.tollgate.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.tollgate.banner.config.ConfigException;
import org.tollgate.banner.config.TollgateConfigFile;

class ServiceSettingsTest {

    private static ServiceSettings read(String yaml) {
        return ServiceSettings.read(TollgateConfigFile.parse(yaml, "tollgate.yaml"));
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
        assertThat(source).isEqualTo(new SourceSettings("file", "/var/log/asterisk/full", true, ZoneId.of("UTC"),
                "end", 2));
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
}
