package org.tollgate.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.tollgate.banner.jail.Failure;
import org.tollgate.banner.replay.DecisionJsonWriter;
import org.tollgate.normalizer.geo.SourceGeo;

/**
 * A failure sent to the node that owns its address arrives with what that node's jails count and match on and what
 * its ban shows: the attempt id (the lines of one attempt on one host still one attempt there, another host's attempt
 * of the same id another), the geo and AS fields, the user, the line.
 */
class ForwardedFailureTest {

    private static final Instant AT = Instant.parse("2026-12-06T21:40:02.123Z");
    private static final SourceGeo GEO = new SourceGeo("NL", "Netherlands", "EU", "Amsterdam", true, 52.37, 4.89,
            64496, "Example Hosting");
    private static final String LINE = "[2026-12-06 21:40:02.123] NOTICE[2290] res_pjsip/pjsip_distributor.c: Request"
            + " 'REGISTER' from '<sip:100@203.0.113.5>' failed for '203.0.113.7:5060' (callid: c1) - Failed to"
            + " authenticate";

    @Test
    void everythingTheOwnerCountsAndShowsArrives() {
        Failure seen = new Failure(AT, "203.0.113.7", "auth-failed", true, "100", GEO, "a1b2c3", LINE);

        Failure arrived = roundTrip(seen, "node-b");

        assertThat(arrived.timestamp()).isEqualTo(AT);
        assertThat(arrived.sourceIp()).isEqualTo("203.0.113.7");
        assertThat(arrived.action()).isEqualTo("auth-failed");
        assertThat(arrived.sourceTrusted()).isTrue();
        assertThat(arrived.userName()).isEqualTo("100");
        assertThat(arrived.geo()).isEqualTo(GEO);
        for (String field : SourceGeo.FIELDS) {
            assertThat(arrived.geoField(field)).as(field).isEqualTo(seen.geoField(field)).isNotNull();
        }
        assertThat(arrived.line()).isEqualTo(LINE);
        assertThat(arrived.attemptId()).isEqualTo("node-b/a1b2c3");
    }

    @Test
    void theLinesOfOneAttemptStayOneAttemptAndOtherHostsAttemptsStayApart() {
        Failure first = new Failure(AT, "203.0.113.7", "auth-failed", true, "100", null, "a1b2c3", LINE);
        Failure second = new Failure(AT.plusMillis(40), "203.0.113.7", "auth-failed", true, "100", null, "a1b2c3",
                LINE);

        assertThat(roundTrip(second, "node-b").attemptId()).isEqualTo(roundTrip(first, "node-b").attemptId());
        assertThat(roundTrip(first, "node-c").attemptId()).isNotEqualTo(roundTrip(first, "node-b").attemptId());
        assertThat(roundTrip(new Failure(AT, "203.0.113.7", "auth-failed", true, null), "node-b").attemptId())
                .as("a line of its own stays one").isNull();
    }

    @Test
    void unknownPlaceAndOverLongLinesTravelBounded() {
        Failure seen = new Failure(AT, "2001:db8::7", "auth-failed", false, null, null, null, "x".repeat(100_000));

        Failure arrived = roundTrip(seen, "node-b");

        assertThat(arrived.geo()).isNull();
        assertThat(arrived.sourceTrusted()).isFalse();
        assertThat(arrived.line()).hasSize(DecisionJsonWriter.LONGEST_MATCH);
    }

    @Test
    void anAddressThatIsNoIpLiteralIsRefused() {
        JsonObject sent = ForwardedFailure.toJson(new Failure(AT, "203.0.113.7", "auth-failed", true, null),
                "203.0.113.7", "node-b");

        assertThatThrownBy(() -> ForwardedFailure.fromJson(sent.copy().put("ip", "pbx.example.com")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an IP literal");
        assertThatThrownBy(() -> ForwardedFailure.fromJson(sent.copy().put("at", "yesterday")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ForwardedFailure.fromJson(sent.copy().putNull("action")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Through the wire's text form, as the clustered event bus carries it. */
    private static Failure roundTrip(Failure failure, String nodeId) {
        String wire = ForwardedFailure.toJson(failure, failure.sourceIp(), nodeId).encode();
        return ForwardedFailure.fromJson(new JsonObject(wire));
    }
}
