package org.tollgate.normalizer.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StampResolverTest {

    private static final Instant REFERENCE = Instant.parse("2026-01-20T00:00:00Z");

    private static List<String> resolveAll(ZoneId zone, Instant reference, String... stamps) {
        StampResolver resolver = new StampResolver(zone, reference);
        List<String> instants = new ArrayList<>();
        for (String stamp : stamps) {
            Instant instant = resolver.resolve(stamp, 0, stamp.length());
            instants.add(instant == null ? null : instant.toString());
        }
        return instants;
    }

    @Test
    void aYearlessStampTakesTheYearOfTheReference() {
        assertThat(resolveAll(ZoneOffset.UTC, REFERENCE, "Jan 18 17:39:50")).containsExactly("2026-01-18T17:39:50Z");
    }

    @Test
    void aYearlessStampLaterInTheYearThanTheReferenceIsFromTheYearBefore() {
        assertThat(resolveAll(ZoneOffset.UTC, REFERENCE, "Mar  1 15:35:53")).containsExactly("2025-03-01T15:35:53Z");
        assertThat(resolveAll(ZoneOffset.UTC, REFERENCE, "Jan 21 10:00:00"))
                .as("a clock a little ahead of the file's time").containsExactly("2026-01-21T10:00:00Z");
        assertThat(resolveAll(ZoneOffset.UTC, REFERENCE, "Jan 23 10:00:00")).containsExactly("2025-01-23T10:00:00Z");
    }

    @Test
    void decemberToJanuaryRollsTheYearOver() {
        assertThat(resolveAll(ZoneOffset.UTC, REFERENCE, "Dec 31 23:59:59", "Jan  1 00:00:01", "Jan 18 17:39:50"))
                .containsExactly("2025-12-31T23:59:59Z", "2026-01-01T00:00:01Z", "2026-01-18T17:39:50Z");
    }

    @Test
    void aLateDecemberLineAfterTheRolloverKeepsItsYear() {
        assertThat(resolveAll(ZoneOffset.UTC, REFERENCE, "Dec 31 23:59:59", "Jan  1 00:00:01", "Dec 31 23:59:58", "Jan  1 00:00:02"))
                .containsExactly("2025-12-31T23:59:59Z", "2026-01-01T00:00:01Z", "2025-12-31T23:59:58Z", "2026-01-01T00:00:02Z");
    }

    @Test
    void aFileQuietForMonthsStillMovesForward() {
        // March, then nothing until September: the same year, not the one before.
        assertThat(resolveAll(ZoneOffset.UTC, REFERENCE, "Mar  1 15:35:53", "Sep 30 23:59:59", "Dec 31 23:59:59", "Jan  1 00:00:01"))
                .containsExactly("2025-03-01T15:35:53Z", "2025-09-30T23:59:59Z", "2025-12-31T23:59:59Z", "2026-01-01T00:00:01Z");
    }

    @Test
    void goingBackTwoMonthsOrMoreIsANewYearAndOneMonthIsALateLine() {
        assertThat(resolveAll(ZoneOffset.UTC, REFERENCE, "Jul 10 08:00:00", "Jan  3 09:00:00"))
                .containsExactly("2025-07-10T08:00:00Z", "2026-01-03T09:00:00Z");
        assertThat(resolveAll(ZoneOffset.UTC, Instant.parse("2026-03-01T00:00:00Z"), "Dec 10 08:00:00", "Feb  3 09:00:00"))
                .containsExactly("2025-12-10T08:00:00Z", "2026-02-03T09:00:00Z");
        assertThat(resolveAll(ZoneOffset.UTC, REFERENCE, "Mar  1 00:00:00", "Feb 28 23:59:59", "Mar  1 00:00:01"))
                .containsExactly("2025-03-01T00:00:00Z", "2025-02-28T23:59:59Z", "2025-03-01T00:00:01Z");
    }

    @Test
    void aStampWithAYearSetsTheContext() {
        assertThat(resolveAll(ZoneOffset.UTC, REFERENCE, "2024-06-01 10:00:00", "Jun  2 10:00:00", "Jan  3 10:00:00"))
                .containsExactly("2024-06-01T10:00:00Z", "2024-06-02T10:00:00Z", "2025-01-03T10:00:00Z");
    }

    @Test
    void stampsWithoutAZoneAreInTheConfiguredZone() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        assertThat(resolveAll(berlin, REFERENCE, "2026-01-18 17:39:50", "2026-07-18 17:39:50"))
                .containsExactly("2026-01-18T16:39:50Z", "2026-07-18T15:39:50Z");
        assertThat(resolveAll(berlin, REFERENCE, "Jan 18 17:39:50")).containsExactly("2026-01-18T16:39:50Z");
        assertThat(resolveAll(ZoneId.of("America/New_York"), REFERENCE, "2026-01-18 17:39:50.250"))
                .containsExactly("2026-01-18T22:39:50.250Z");
        assertThat(resolveAll(berlin, REFERENCE, "2026-03-29 02:30:00")).as("in the spring-forward gap").doesNotContainNull();
    }

    @Test
    void stampsThatNameTheirZoneOrAreEpochIgnoreTheConfiguredOne() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        assertThat(resolveAll(berlin, REFERENCE, "2026-01-18T17:39:50.123+0000", "2026-01-18T18:39:50+01:00",
                "2026-01-18 17:39:50 UTC", "1768757990"))
                .containsExactly("2026-01-18T17:39:50.123Z", "2026-01-18T17:39:50Z", "2026-01-18T17:39:50Z", "2026-01-18T17:39:50Z");
    }

    @Test
    void anUnreadableStampIsNull() {
        assertThat(resolveAll(ZoneOffset.UTC, REFERENCE, "Foo 99 99:99:99", "")).containsExactly(null, null);
    }

    @Test
    void theSameTextGivesTheSameInstantFromAnyLine() {
        StampResolver resolver = new StampResolver(ZoneOffset.UTC, REFERENCE);
        Instant first = resolver.resolve("[Jan 18 17:39:50] NOTICE", 1, 16);
        Instant again = resolver.resolve("x Jan 18 17:39:50 y", 2, 17);
        assertThat(again).isEqualTo(first).isEqualTo(Instant.parse("2026-01-18T17:39:50Z"));
        assertThat(resolver.zone()).isEqualTo(ZoneOffset.UTC);
    }
}
