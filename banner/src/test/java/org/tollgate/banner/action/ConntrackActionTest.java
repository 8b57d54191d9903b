package org.tollgate.banner.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tollgate.banner.action.Fixtures.ban;
import static org.tollgate.banner.action.Fixtures.settings;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConntrackActionTest {

    @Test
    void deletesFlowsPerAddressAndFamily() throws Exception {
        RecordingRunner runner = new RecordingRunner().answering(command -> {
            if (command.contains("192.0.2.8")) {
                return RecordingRunner.exit(1, "", "conntrack v1.4.7 (conntrack-tools): 0 flow entries have been deleted.");
            }
            if (command.contains("192.0.2.9")) {
                return RecordingRunner.exit(2, "", "conntrack v1.4.7 (conntrack-tools): Operation not permitted");
            }
            return RecordingRunner.ok("udp      17 29 src=192.0.2.7 dst=192.0.2.1 sport=5060 dport=5060 [UNREPLIED]\n");
        });
        ConntrackAction action = new ConntrackAction(settings("conntrack", Map.of()), runner);

        BanOutcome outcome = action.ban(List.of(ban("192.0.2.7"), ban("192.0.2.8"), ban("192.0.2.9"), ban("2001:db8::7")));

        assertThat(runner.commands()).containsExactly(
                List.of("conntrack", "-D", "-s", "192.0.2.7"),
                List.of("conntrack", "-D", "-s", "192.0.2.8"),
                List.of("conntrack", "-D", "-s", "192.0.2.9"),
                List.of("conntrack", "-D", "-f", "ipv6", "-s", "2001:db8::7"));
        assertThat(outcome.applied()).containsExactly("192.0.2.7", "192.0.2.8", "2001:db8::7");
        assertThat(outcome.failed().get("192.0.2.9")).contains("Operation not permitted");
    }

    @Test
    void holdsNoState() throws Exception {
        RecordingRunner runner = new RecordingRunner();
        ConntrackAction action = new ConntrackAction(settings("conntrack", Map.of()), runner);

        assertThat(action.unban(List.of(ban("192.0.2.7"))).applied()).containsExactly("192.0.2.7");
        assertThat(action.missing(List.of(ban("192.0.2.7")))).isEmpty();
        assertThat(runner.calls()).isEmpty();
    }
}
