package org.tollgate.normalizer.message;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The layouts {@link SecurityEventLayout#of} keeps once built are the ones it would build for the line at hand, for
 * every type and service a line can name (Asterisk's, their look-alikes in other cases, anything else), asked in any
 * order.
 */
class SecurityEventLayoutProperties {

    @Property(tries = 3000)
    void aKeptLayoutIsTheOneBuiltForThisLine(@ForAll("types") String type, @ForAll("services") String service) {
        assertThat(SecurityEventLayout.of(type, service)).isEqualTo(SecurityEventLayout.build(type, service));
        Statistics.label("known type").collect(SecurityEventLayout.build(type, service) != null);
        Statistics.label("known type").coverage(c -> c.check(true).percentage(p -> p > 25));
    }

    @Provide
    Arbitrary<String> types() {
        return Arbitraries.oneOf(
                Arbitraries.of("FailedACL", "InvalidAccountID", "SessionLimit", "MemoryLimit", "LoadAverageLimit",
                        "RequestNotSupported", "RequestNotAllowed", "AuthMethodNotAllowed", "RequestBadFormat",
                        "SuccessfulAuth", "UnexpectedAddress", "ChallengeResponseFailed", "InvalidPassword",
                        "ChallengeSent", "InvalidTransport"),
                Arbitraries.of("invalidpassword", "InvalidPassword ", "", "Unknown"),
                Arbitraries.strings().alpha().ofMaxLength(12));
    }

    @Provide
    Arbitrary<String> services() {
        return Arbitraries.oneOf(Arbitraries.of("SIP", "PJSIP", "AMI", "IAX2", "ARI", "sip", "Pjsip", "", "SIP "),
                Arbitraries.strings().alpha().ofMaxLength(6));
    }
}
