package org.tollgate.server.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.normalizer.geo.SourceGeo;
import org.tollgate.server.config.EnrichSettings;

class MaxMindLookupTest {

    @TempDir
    Path dir;

    @Test
    void cityAndAsnDatabasesTogetherGiveThePlaceAndTheNetwork() {
        try (MaxMindLookup lookup = MaxMindLookup.open(new EnrichSettings(TestDatabases.city(dir), TestDatabases.asn(dir), 100))) {
            assertThat(lookup.warnings()).isEmpty();
            SourceGeo berlin = lookup.of("203.0.113.45");
            assertThat(berlin.countryIsoCode()).isEqualTo("DE");
            assertThat(berlin.countryName()).isEqualTo("Germany");
            assertThat(berlin.continentCode()).isEqualTo("EU");
            assertThat(berlin.cityName()).isEqualTo("Berlin");
            assertThat(berlin.hasLocation()).isTrue();
            assertThat(berlin.latitude()).isEqualTo(52.5244);
            assertThat(berlin.longitude()).isEqualTo(13.4105);
            assertThat(berlin.asNumber()).isEqualTo(64500);
            assertThat(berlin.asOrganization()).isEqualTo("Example Hosting GmbH");

            SourceGeo japan = lookup.of("198.51.100.23");
            assertThat(japan.countryIsoCode()).isEqualTo("JP");
            assertThat(japan.cityName()).isNull();
            assertThat(japan.hasLocation()).isFalse();
            assertThat(japan.hasAs()).isFalse();

            SourceGeo asOnly = lookup.of("192.0.2.7");
            assertThat(asOnly.hasGeo()).isFalse();
            assertThat(asOnly.asNumber()).isEqualTo(64501);

            SourceGeo v6 = lookup.of("2001:db8:bad::7");
            assertThat(v6.countryIsoCode()).isEqualTo("BR");
            assertThat(v6.cityName()).isEqualTo("São Paulo");
            assertThat(v6.asNumber()).isEqualTo(4_200_000_000L);

            assertThat(lookup.of("2001:db8:1::1")).isNull();
            assertThat(lookup.of("100.64.0.1")).isNull();
            assertThat(lookup.of("not an address")).isNull();
        }
    }

    @Test
    void answersComeFromTheCacheTheSecondTimeAndTheCacheStaysBounded() {
        try (MaxMindLookup lookup = MaxMindLookup.open(new EnrichSettings(TestDatabases.city(dir), null, 10))) {
            lookup.of("203.0.113.45");
            lookup.of("203.0.113.45");
            assertThat(lookup.cacheMisses()).isEqualTo(1);
            assertThat(lookup.cacheHits()).isEqualTo(1);
            for (int i = 0; i < 256; i++) {
                assertThat(lookup.of("203.0.113." + i).countryIsoCode()).isEqualTo("DE");
            }
            assertThat(lookup.cacheSize()).isLessThanOrEqualTo(10);
        }
    }

    @Test
    void aMissingDatabaseIsAWarningAndTheOtherStillWorks() {
        Path missing = dir.resolve("GeoLite2-City.mmdb");
        try (MaxMindLookup lookup = MaxMindLookup.open(new EnrichSettings(missing, TestDatabases.asn(dir), 100))) {
            assertThat(lookup.warnings()).containsExactly("enrich.geoip: " + missing
                    + ": no such file; events go on without source.geo.*");
            SourceGeo geo = lookup.of("203.0.113.45");
            assertThat(geo.hasGeo()).isFalse();
            assertThat(geo.asNumber()).isEqualTo(64500);
        }
    }

    @Test
    void aCorruptDatabaseIsAWarningAndNothingIsLookedUp() throws Exception {
        Path corrupt = Files.write(dir.resolve("GeoLite2-ASN.mmdb"), "this is not a database\n".repeat(100).getBytes());
        Path truncated = dir.resolve("truncated.mmdb");
        byte[] whole = Files.readAllBytes(TestDatabases.city(dir));
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 3));
        try (MaxMindLookup lookup = MaxMindLookup.open(new EnrichSettings(truncated, corrupt, 100))) {
            assertThat(lookup.warnings()).hasSize(2);
            assertThat(lookup.warnings().get(0)).startsWith("enrich.geoip: " + truncated + ": not a readable MaxMind database");
            assertThat(lookup.warnings().get(1)).startsWith("enrich.asn: " + corrupt + ": not a readable MaxMind database")
                    .endsWith("events go on without source.as.*");
            assertThat(lookup.active()).isFalse();
            assertThat(lookup.of("203.0.113.45")).isNull();
        }
    }
}
