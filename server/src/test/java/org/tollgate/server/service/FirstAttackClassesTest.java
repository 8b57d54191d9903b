package org.tollgate.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.tollgate.server.FreshJvm;

/**
 * The first attack after start takes a warm way: from the line's write to the ban published, the file's follower,
 * the enforcer and the event loops load and spin no class (the line's record in the publisher, the read mark's record,
 * the lambdas of its confirmation and of the chunk's delivery, each a fraction of a millisecond to milliseconds on
 * the first ban's way). Run in a JVM of its own ({@link FirstAttackProbe}).
 */
class FirstAttackClassesTest {

    @Test
    void theFirstAttackAfterStartLoadsNoClassOnItsWay() throws Exception {
        assertThat(FreshJvm.coldClasses(FirstAttackProbe.class)).as("classes defined on the first attack's way")
                .isEmpty();
    }
}
