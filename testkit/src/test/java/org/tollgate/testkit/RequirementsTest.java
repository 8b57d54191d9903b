package org.tollgate.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RequirementsTest {

    @Test
    void theInstallHintNamesEachPackageOnceAndUnknownToolsByName() {
        assertEquals("apt-get install -y iptables nftables dbus-bin rsyslogd",
                Requirements.installCommand(List.of("iptables", "ip6tables-restore", "nft", "dbus-monitor", "rsyslogd")));
    }
}
