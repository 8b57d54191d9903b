package org.tollgate.server.adopt.fail2ban;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Action lists as fail2ban splits them: bracketed parameters, quotes, several groups, several lines. */
class ActionSpecTest {

    @Test
    void listsOnSeveralLinesWithQuotedAndBareValues() {
        List<ActionSpec> specs = ActionSpec.parseList("""
                iptables-allports[name=ASTERISK, protocol=udp, port="5060,5061"]
                  sendmail-whois[name=ASTERISK, dest=root@example.org, sender='a "b" c']
                dummy
                iptables-multiport[port="1", protocol="tcp"][name=a-tcp, protocol="udp"]""");

        assertThat(specs).containsExactly(
                new ActionSpec("iptables-allports", Map.of("name", "ASTERISK", "protocol", "udp", "port", "5060,5061")),
                new ActionSpec("sendmail-whois", Map.of("name", "ASTERISK", "dest", "root@example.org",
                        "sender", "a \"b\" c")),
                new ActionSpec("dummy", Map.of()),
                new ActionSpec("iptables-multiport", Map.of("port", "1", "protocol", "udp", "name", "a-tcp")));
    }

    @Test
    void aFilterWithItsMode() {
        assertThat(ActionSpec.parse("asterisk[mode=normal]")).isEqualTo(new ActionSpec("asterisk", Map.of("mode", "normal")));
        assertThat(ActionSpec.parse("  asterisk ")).isEqualTo(new ActionSpec("asterisk", Map.of()));
    }

    @Test
    void brokenBracketsAreReported() {
        assertThatThrownBy(() -> ActionSpec.parseList("iptables[name=a")).hasMessageContaining("never closed");
        assertThatThrownBy(() -> ActionSpec.parseList("iptables[name]")).hasMessageContaining("expected key=value");
        assertThatThrownBy(() -> ActionSpec.parseList("iptables[name=\"a]")).hasMessageContaining("quote is never closed");
        assertThatThrownBy(() -> ActionSpec.parse("a b")).hasMessageContaining("found more");
    }
}
