package org.tollgate.server.adopt.patches;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The normalizer's version families as ranges of releases. */
class VersionRangeTest {

    private static boolean contains(String family, String version) {
        return VersionRange.parse(family).contains(AsteriskVersion.parse(version));
    }

    @Test
    void anUpperBoundTakesInEveryReleaseThatStartsWithIt() {
        assertThat(contains("1.8-20", "20.20.1")).isTrue();
        assertThat(contains("1.8-20", "1.8.0")).isTrue();
        assertThat(contains("1.8-20", "1.6.2.24")).isFalse();
        assertThat(contains("1.8-20", "21.0.0")).isFalse();
        assertThat(contains("1.2-1.6.0", "1.6.0.28")).isTrue();
        assertThat(contains("1.2-1.6.0", "1.6.1.0")).isFalse();
        assertThat(contains("13.10+", "13.10.0")).isTrue();
        assertThat(contains("13.10+", "13.9.1")).isFalse();
    }

    @Test
    void intersectionsAndSeries() {
        VersionRange range = VersionRange.parse("16.17+").intersect(VersionRange.parse("13.32-20"));
        assertThat(range).hasToString("16.17–20.x");
        assertThat(range.series()).containsExactly("16", "17", "18", "19", "20");
        assertThat(VersionRange.parse("1.6.1-17").intersect(VersionRange.parse("1.4-1.6")).series())
                .containsExactly("1.6.1", "1.6.2");
        assertThat(VersionRange.parse("1.4").intersect(VersionRange.parse("18.21+")).isEmpty()).isTrue();
        assertThat(VersionRange.parse("not a version")).isNull();
    }

    @Test
    void everyBundledPatchListsItsReleases() {
        ChanSipPatches patches = ChanSipPatches.bundled();
        assertThat(patches.size()).isEqualTo(18);
        assertThat(patches.candidates(VersionRange.parse("11.25.3")))
                .containsExactly("chan_sip-11-auth-source-address.patch");
        assertThat(patches.candidates(VersionRange.parse("1.8.32.3")))
                .containsExactly("chan_sip-1.8-auth-source-address.patch");
        assertThat(patches.candidates(VersionRange.parse("21+"))).isEmpty();
        assertThat(patches.span("chan_sip-13.32-20-auth-source-address.patch")).isEqualTo("13.33.0–20.20.1");
    }
}
