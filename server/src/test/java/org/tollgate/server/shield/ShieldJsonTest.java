package org.tollgate.server.shield;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tollgate.banner.shield.ShieldStatus;

class ShieldJsonTest {

    @Test
    void theStatusGoesThroughTheApiUnchanged() {
        ShieldStatus status = new ShieldStatus("nftables:tollgate_shield", false,
                List.of(new ShieldStatus.Rule("ladder 3/60s", "ipv4", 7, 1689),
                        new ShieldStatus.Rule("user-agent friendly-scanner", "ipv6", 1, 80)),
                List.of("not in force: set r0_v4"));
        assertThat(ShieldJson.read(ShieldJson.of(status))).isEqualTo(status);
        assertThat(ShieldJson.of(status).getJsonArray("rules").getJsonObject(0).getString("rule"))
                .isEqualTo("ladder 3/60s");
    }
}
