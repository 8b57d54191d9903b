package org.tollgate.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof for counting attempts: a maxretry-2 jail, replayed over logs of chan_sip (11+, NOTICE and security log),
 * PJSIP (13.24+, NOTICEs in full and the security log apart), AMI (20, both NOTICEs and the security log) and IAX2
 * (18.21+), bans no address that made one failed attempt and every address that made two. Counted line by line, as
 * fail2ban does, it bans after one typo. The logs (src/test/resources/attempts) were written from the formats in
 * channels/chan_sip.c, res/res_pjsip/pjsip_distributor.c, res/res_pjsip/security_events.c, main/manager.c,
 * channels/chan_iax2.c and main/security_events.c.
 */
class AttemptReplayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DIR = Path.of("src/test/resources/attempts");

    /** One failed attempt each: chan_sip, PJSIP unknown user and wrong password, AMI twice, IAX2. */
    private static final Set<String> ONE_ATTEMPT = Set.of("192.0.2.110", "192.0.2.120", "192.0.2.122", "192.0.2.130",
            "192.0.2.132", "192.0.2.140");
    /** Two failed attempts each, the same kinds. */
    private static final Set<String> TWO_ATTEMPTS = Set.of("192.0.2.111", "192.0.2.121", "192.0.2.123", "192.0.2.131",
            "192.0.2.133", "192.0.2.141");

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @Test
    void aMaxretryTwoJailBansEveryAddressWithTwoFailedAttemptsAndNoneWithOne() throws Exception {
        Set<String> banned = bans(DIR.resolve("maxretry-2.yaml"));

        assertThat(banned).isEqualTo(new TreeSet<>(TWO_ATTEMPTS));
        assertThat(console.stderr()).contains("192.0.2.121                                     2       12");
    }

    @Test
    void countedLineByLineTheSameJailBansAfterOneTypo(@TempDir Path dir) throws Exception {
        Path lines = dir.resolve("lines.yaml");
        Files.writeString(lines, Files.readString(DIR.resolve("maxretry-2.yaml"))
                .replace("    maxretry: 2\n", "    maxretry: 2\n    count: lines\n"));

        Set<String> banned = bans(lines);

        // PJSIP's and AMI's one attempt write two or more lines each; chan_sip's and IAX2's write one that counts.
        assertThat(banned).containsAll(TWO_ATTEMPTS).contains("192.0.2.120", "192.0.2.122", "192.0.2.130", "192.0.2.132")
                .doesNotContain("192.0.2.110", "192.0.2.140");
        assertThat(ONE_ATTEMPT).contains("192.0.2.120");
    }

    private Set<String> bans(Path config) throws Exception {
        int exit = TollgateCommand.execute("replay", "--json", "--zone", "UTC", "--config", config.toString(),
                DIR.resolve("full.log").toString(), DIR.resolve("security.log").toString());
        assertThat(exit).as(console.stderr()).isZero();
        Set<String> banned = new TreeSet<>();
        for (String line : console.stdout().split("\n")) {
            if (!line.isBlank()) {
                JsonNode decision = JSON.readTree(line);
                if (decision.at("/event/action").asText().equals("ban")) {
                    banned.add(decision.at("/source/ip").asText());
                }
            }
        }
        return banned;
    }
}
