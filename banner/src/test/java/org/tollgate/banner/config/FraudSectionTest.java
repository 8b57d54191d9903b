package org.tollgate.banner.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.tollgate.banner.fraud.FraudSettings;
import org.tollgate.normalizer.call.DestinationClass;

class FraudSectionTest {

    private static FraudSettings office(String yaml) {
        return TollgateConfigFile.parse("fraud:\n  office:\n" + yaml, "tollgate.yaml").fraud().get("office");
    }

    @Test
    void aLimitWithoutClassesCountsWhereTollFraudCallsGo() {
        FraudSettings jail = office("    calls: {max: 5, window: 10m}\n");
        assertThat(jail.limits()).hasSize(1);
        assertThat(jail.limits().get(0).classes()).containsExactlyInAnyOrder(DestinationClass.INTERNATIONAL,
                DestinationClass.PREMIUM, DestinationClass.SATELLITE);
        assertThat(jail.limits().get(0).window()).isEqualTo(Duration.ofMinutes(10));
        assertThat(jail.per()).isEqualTo(FraudSettings.Per.ENDPOINT);
        assertThat(jail.bantime()).isEqualTo(FraudSettings.DEFAULT_BANTIME);
    }

    @Test
    void badValuesNameTheKeyTheValueAndTheLine() {
        assertThatThrownBy(() -> office("    calls: {max: 5, window: 10m, clases: [premium]}\n"))
                .hasMessage("fraud.office.calls.clases: unknown key 'clases'; allowed keys: classes, max, window"
                        + " (tollgate.yaml line 3)");
        assertThatThrownBy(() -> office("    blocked: [premium, moon]\n"))
                .hasMessageStartingWith("fraud.office.blocked[1]: expected a destination class (short-code, internal,")
                .hasMessageContaining("emergency calls are never limited), was 'moon'");
        assertThatThrownBy(() -> office("    blocked: [emergency]\n"))
                .hasMessageContaining("emergency calls are never limited), was 'emergency'");
        assertThatThrownBy(() -> office("    hours: {from: '7 am', to: '20:00'}\n"))
                .hasMessageContaining("expected a time of day such as 07:00, was '7 am'");
        assertThatThrownBy(() -> office("    per: extension\n    concurrent: 2\n"))
                .hasMessageStartingWith("fraud.office.per:");
        assertThatThrownBy(() -> office("    per: endpoint\n"))
                .hasMessageContaining("needs at least one of calls, minutes, concurrent, new_destinations, hours,"
                        + " blocked");
    }
}
