package org.tollgate.banner.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tollgate.banner.action.Fixtures.ban;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BanTargetsTest {

    @Test
    void missingListsTheRefusedFirstAndAsksOnlyForFamiliesWithAddresses() throws Exception {
        BanTargets targets = BanTargets.of(List.of(ban("192.0.2.7"), ban("not an address"), ban("192.0.2.8")));
        List<Family> asked = new ArrayList<>();

        Set<String> missing = targets.missing(family -> {
            asked.add(family);
            return Set.of("192.0.2.8");
        });

        assertThat(missing).containsExactly("not an address", "192.0.2.7");
        assertThat(asked).containsExactly(Family.V4);
    }

    @Test
    void inListingKeepsTheAddressesTheListingHolds() {
        assertThat(BanTargets.inListing(List.of("192.0.2.7", "2001:db8::7"), Set.of("2001:db8::7", "192.0.2.9")))
                .containsExactly("2001:db8::7");
    }
}
