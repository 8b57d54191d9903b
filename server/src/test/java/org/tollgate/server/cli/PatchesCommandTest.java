package org.tollgate.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code tollgate patches advise} as a user or a script runs it. */
class PatchesCommandTest {

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    private static String log(String name) throws Exception {
        return Path.of(PatchesCommandTest.class.getResource("/generations/" + name).toURI()).toString();
    }

    @Test
    void jsonForScripts() throws Exception {
        int exit = TollgateCommand.execute("patches", "advise", "--json", "--zone", "UTC", log("asterisk-20.log"));

        assertThat(exit).isZero();
        JsonNode json = new ObjectMapper().readTree(console.stdout());
        assertThat(json.path("generations").get(0).path("range").asText()).isEqualTo("20.7.0");
        assertThat(json.path("chan_sip").path("patches").has("patches/chan_sip-13.32-20-auth-source-address.patch"))
                .isTrue();
    }

    @Test
    void textForPeopleAndAnUnreadableLogIsSaid() throws Exception {
        int exit = TollgateCommand.execute("patches", "advise", log("asterisk-1.4.log"), "/nonexistent/full");

        assertThat(exit).isEqualTo(2);
        assertThat(console.stderr()).contains("/nonexistent/full: no such file");
        assertThat(console.stdout()).contains("Asterisk release: 1.4.12–1.4.x")
                .contains("patch: patches/chan_sip-1.4-auth-source-address.patch")
                .contains("  [general]\n  dateformat = %F %T\n");
    }
}
