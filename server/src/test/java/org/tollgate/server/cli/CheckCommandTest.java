package org.tollgate.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    private static String sample() {
        return Path.of("src/test/resources/sample-full.log").toString();
    }

    private List<JsonNode> jsonLines() throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (String line : console.stdout().split("\n")) {
            if (!line.isBlank()) {
                events.add(JSON.readTree(line));
            }
        }
        return events;
    }

    @Test
    void jsonWritesOneEventPerSecurityLine() throws Exception {
        int exit = TollgateCommand.execute("check", "--json", "--zone", "UTC", sample());

        assertThat(exit).isZero();
        List<JsonNode> events = jsonLines();
        assertThat(events).hasSize(33);
        JsonNode first = events.get(0);
        assertThat(first.at("/event/action").asText()).isEqualTo("auth-failed");
        assertThat(first.at("/source/ip").asText()).isEqualTo("203.0.113.45");
        assertThat(first.at("/source/port").asInt()).isEqualTo(5071);
        assertThat(first.at("/asterisk/source_trusted").asBoolean()).isTrue();
        assertThat(first.at("/event/sequence").asLong()).isEqualTo(13);
        assertThat(first.at("/@timestamp").asText()).isEqualTo("2026-11-20T21:14:11.105Z");
        assertThat(console.stderr())
                .contains("Lines: 72 read, 33 security events, 0 unparsed")
                .contains("call-rejected-unknown-extension      6");
    }

    @Test
    void allWritesEveryLineIncludingUnreadOnes() throws Exception {
        int exit = TollgateCommand.execute("check", "--json", "--all", "--zone", "UTC", sample());

        assertThat(exit).isZero();
        List<JsonNode> events = jsonLines();
        assertThat(events).hasSize(72);
        assertThat(events).filteredOn(e -> e.at("/event/kind").asText().equals("pipeline_error")).hasSize(1);
        assertThat(events).filteredOn(e -> e.at("/event/dataset").asText().equals("asterisk.log")).hasSize(39);
    }

    @Test
    void tableNamesEachSecurityEvent() {
        int exit = TollgateCommand.execute("check", "--zone", "UTC", sample());

        assertThat(exit).isZero();
        String table = console.stdout();
        assertThat(table.lines()).hasSize(34); // header + 33 events
        assertThat(table).contains("198.51.100.23:5070").contains("[2001:db8:bad::7]:5060");
    }

    @Test
    void unreadableInputExitsTwoAndTheOthersAreStillRead(@TempDir Path dir) {
        int exit = TollgateCommand.execute("check", "--json", dir.resolve("missing.log").toString(), sample());

        assertThat(exit).isEqualTo(CheckCommand.EXIT_UNREADABLE);
        assertThat(console.stderr()).contains("missing.log: no such file");
        assertThat(console.stdout().lines()).hasSize(33);
    }

    @Test
    void unpatchedChanSipLinesEndWithAPatchHint(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("messages");
        java.nio.file.Files.writeString(log,
                "[Sep  8 11:28:35] NOTICE[4021][C-0000001c] chan_sip.c: Failed to authenticate device \"1001\" <sip:1001@203.0.113.5>;tag=as1b2c3d4e\n");

        int exit = TollgateCommand.execute("check", log.toString());

        assertThat(exit).isZero();
        assertThat(console.stdout()).contains("auth-failed").contains("NO");
        assertThat(console.stderr()).contains("Hint: 1 chan_sip 'Failed to authenticate' lines")
                .contains("patches/");
    }
}
