package org.tollgate.server.enrich;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tollgate.testkit.MmdbWriter;

/** A City and an ASN database built for the tests, over documentation networks only. */
final class TestDatabases {

    private TestDatabases() {
    }

    static Path city(Path dir) {
        Path file = dir.resolve("test-city.mmdb");
        new MmdbWriter("GeoLite2-City")
                .add("203.0.113.0/24", Map.of(
                        "continent", Map.of("code", "EU", "geoname_id", 6255148L, "names", Map.of("en", "Europe")),
                        "country", Map.of("iso_code", "DE", "geoname_id", 2921044L,
                                "names", Map.of("en", "Germany", "de", "Deutschland")),
                        "city", Map.of("geoname_id", 2950159L, "names", Map.of("en", "Berlin")),
                        "location", Map.of("latitude", 52.5244, "longitude", 13.4105, "accuracy_radius", 50,
                                "time_zone", "Europe/Berlin"),
                        "subdivisions", List.of(Map.of("iso_code", "BE", "names", Map.of("en", "Land Berlin")))))
                .add("198.51.100.0/24", Map.of(
                        "continent", Map.of("code", "AS", "names", Map.of("en", "Asia")),
                        "country", Map.of("iso_code", "JP", "names", Map.of("en", "Japan"))))
                .add("2001:db8:bad::/48", Map.of(
                        "continent", Map.of("code", "SA", "names", Map.of("en", "South America")),
                        "country", Map.of("iso_code", "BR", "names", Map.of("en", "Brazil")),
                        "city", Map.of("names", Map.of("en", "São Paulo")),
                        "location", Map.of("latitude", -23.5475, "longitude", -46.6361)))
                .write(file);
        return file;
    }

    static Path asn(Path dir) {
        Path file = dir.resolve("test-asn.mmdb");
        new MmdbWriter("GeoLite2-ASN")
                .add("203.0.113.0/24", Map.of("autonomous_system_number", 64500L,
                        "autonomous_system_organization", "Example Hosting GmbH"))
                .add("192.0.2.0/24", Map.of("autonomous_system_number", 64501L,
                        "autonomous_system_organization", "Documentation Net"))
                .add("2001:db8:bad::/48", Map.of("autonomous_system_number", 4_200_000_000L,
                        "autonomous_system_organization", "Example Telecom"))
                .write(file);
        return file;
    }
}
