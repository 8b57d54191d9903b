package org.tollgate.server.ban;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.tollgate.server.FreshJvm;

/**
 * The banner's start warms the first ban's way: from a failure offered to the ban published, the enforcer's thread
 * and the event loops load and spin no class (a record's {@code hashCode} or a lambda linked there costs the first ban
 * milliseconds of CPU beside it, on a machine of two cores). Run in a JVM of its own ({@link FirstBanProbe}).
 */
class FirstBanClassesTest {

    @Test
    void theFirstBanAfterStartLoadsNoClassOnItsWay() throws Exception {
        assertThat(FreshJvm.coldClasses(FirstBanProbe.class)).as("classes defined on the first ban's way")
                .isEmpty();
    }
}
