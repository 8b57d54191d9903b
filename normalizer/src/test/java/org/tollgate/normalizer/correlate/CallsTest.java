package org.tollgate.normalizer.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.tollgate.normalizer.call.CallEvent;
import org.tollgate.normalizer.call.NumberingPlan;
import org.tollgate.normalizer.message.DialplanMessages;

class CallsTest {

    private static final Instant T0 = Instant.parse("2026-01-18T17:41:00Z");

    private static DialplanMessages.Line line(String message) {
        return DialplanMessages.read(message, 0, "VERBOSE");
    }

    @Test
    void aCallStartsAtItsFirstDialOnly() {
        Calls calls = new Calls(NumberingPlan.defaults(), new EndpointAddresses());
        String dial = "Executing [0044207946012@from-internal:2] Dial(\"PJSIP/1001-0000002a\", \"PJSIP/x@trunk\") in new stack";
        assertThat(calls.onLine(line(dial), T0, "C-1", 10).kind()).isEqualTo(CallEvent.Kind.STARTED);
        assertThat(calls.onLine(line(dial.replace(":2]", ":3]")), T0, "C-1", 10)).isNull();
    }

    @Test
    void channelsAreBoundedAndTheOldestForgotten() {
        Calls calls = new Calls(NumberingPlan.defaults(), new EndpointAddresses());
        for (int i = 0; i < Calls.CAPACITY * 3; i++) {
            String channel = String.format("PJSIP/1001-%08x", i);
            calls.onLine(line("Executing [0044207946012@from-internal:1] Dial(\"" + channel + "\", \"x\") in new stack"),
                    T0.plusSeconds(i), null, i);
        }
        // The first channels were forgotten: their end makes no event; the newest ones are still followed.
        assertThat(calls.onLine(line("Auto fallthrough, channel 'PJSIP/1001-00000000' status is 'ANSWER'"), T0, null, 1))
                .isNull();
        String newest = String.format("PJSIP/1001-%08x", Calls.CAPACITY * 3 - 1);
        assertThat(calls.onLine(line("Auto fallthrough, channel '" + newest + "' status is 'ANSWER'"), T0, null, 1))
                .isNotNull();
    }

    @Test
    void aTrustedAuthenticationIsKeptOverALaterContact() {
        EndpointAddresses endpoints = new EndpointAddresses();
        Calls calls = new Calls(NumberingPlan.defaults(), endpoints);
        calls.onLine(line("Added contact 'sip:1001@192.0.2.33:5060' to AOR '1001' with expiration of 60 seconds"), T0,
                null, 1);
        assertThat(endpoints.of("PJSIP/1001").trusted()).isFalse();
        CallEvent started = calls.onLine(line("Executing [0044207946012@from-internal:1] Dial(\"PJSIP/1001-00000001\", "
                + "\"x\") in new stack"), T0, null, 1);
        assertThat(started.source().ip()).isEqualTo("192.0.2.33");
        assertThat(started.trusted()).isFalse();
    }
}
