package org.tollgate.banner.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tollgate.banner.action.Fixtures.ban;
import static org.tollgate.banner.action.Fixtures.permanent;
import static org.tollgate.banner.action.Fixtures.settings;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogActionTest {

    @Test
    void appliesEveryLiteralAndNeverMissesOne() {
        LogAction action = new LogAction(settings("log", Map.of()));

        BanOutcome outcome = action.ban(List.of(ban("192.0.2.7"), permanent("2001:DB8::7"), ban("example.com")));

        assertThat(outcome.applied()).containsExactly("192.0.2.7", "2001:db8::7");
        assertThat(outcome.failed()).containsOnlyKeys("example.com");
        assertThat(action.unban(List.of(ban("192.0.2.7"))).applied()).containsExactly("192.0.2.7");
        assertThat(action.missing(List.of(ban("192.0.2.7")))).isEmpty();
    }
}
