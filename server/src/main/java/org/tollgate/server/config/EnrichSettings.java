package org.tollgate.server.config;

import java.nio.file.Path;

/**
 * The {@code enrich} section of tollgate.yaml: local MaxMind-format databases that add {@code source.geo.*} and
 * {@code source.as.*} to events whose source address is trusted.
 *
 * <pre>
 * enrich:
 *   geoip: /var/lib/GeoIP/GeoLite2-City.mmdb
 *   asn: /var/lib/GeoIP/GeoLite2-ASN.mmdb
 * </pre>
 *
 * The files are opened when the service starts; one that is missing or damaged is a warning, not an error (a
 * geoipupdate that has not run yet must not keep the service from protecting), and events go on without it.
 *
 * @param geoip a City or Country database, or null
 * @param asn   an ASN database, or null
 * @param cache how many addresses' answers are kept in memory
 */
public record EnrichSettings(Path geoip, Path asn, int cache) {

    public static final String SECTION = "enrich";
    public static final int DEFAULT_CACHE = 10_000;
    public static final EnrichSettings NONE = new EnrichSettings(null, null, DEFAULT_CACHE);

    public boolean enabled() {
        return geoip != null || asn != null;
    }

    @Override
    public String toString() {
        return enabled() ? "geoip=" + geoip + " asn=" + asn + " cache=" + cache : "off";
    }
}
