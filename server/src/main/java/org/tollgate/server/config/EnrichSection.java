package org.tollgate.server.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.tollgate.banner.config.ConfigMap;
import org.tollgate.banner.config.ConfigNode;
import org.tollgate.banner.config.ConfigScalar;

/** Reads the {@code enrich} section of tollgate.yaml into {@link EnrichSettings}. */
final class EnrichSection {

    private EnrichSection() {
    }

    static EnrichSettings read(ConfigMap root) {
        Optional<ConfigNode> section = root.get(EnrichSettings.SECTION);
        if (section.isEmpty() || section.get() instanceof ConfigScalar scalar && scalar.isEmpty()) {
            return EnrichSettings.NONE;
        }
        ConfigMap map = section.get().asMap();
        map.allowOnly(List.of("geoip", "asn", "cache"));
        Path geoip = map.get("geoip").map(EnrichSection::database).orElse(null);
        Path asn = map.get("asn").map(EnrichSection::database).orElse(null);
        int cache = map.get("cache").map(n -> n.asScalar().asInt(2, 10_000_000)).orElse(EnrichSettings.DEFAULT_CACHE);
        if (geoip == null && asn == null) {
            throw map.error("expected geoip: and/or asn: naming a MaxMind database (.mmdb), was neither");
        }
        return new EnrichSettings(geoip, asn, cache);
    }

    private static Path database(ConfigNode node) {
        ConfigScalar scalar = node.asScalar();
        String text = scalar.asString();
        if (text.indexOf('\0') >= 0) {
            throw scalar.error("expected the path of a MaxMind database such as /var/lib/GeoIP/GeoLite2-City.mmdb, was "
                    + scalar.describe());
        }
        return Path.of(text);
    }
}
