package org.tollgate.normalizer.geo;

import java.util.List;

/**
 * Where a source address is, as local MaxMind-format databases say: {@code source.geo.*} and {@code source.as.*} of an
 * event. Any part may be absent (null, or {@code -1} for the AS number; no location when {@link #hasLocation} is
 * false): a City database without an ASN one gives no AS, an address in no network gives nothing.
 *
 * @param countryIsoCode {@code source.geo.country_iso_code}, such as {@code DE}
 * @param countryName    {@code source.geo.country_name}, in English
 * @param continentCode  {@code source.geo.continent_code}, such as {@code EU}
 * @param cityName       {@code source.geo.city_name}, in English
 * @param hasLocation    whether latitude and longitude are known
 * @param latitude       {@code source.geo.location.lat}
 * @param longitude      {@code source.geo.location.lon}
 * @param asNumber       {@code source.as.number}, or -1
 * @param asOrganization {@code source.as.organization.name}
 */
public record SourceGeo(String countryIsoCode, String countryName, String continentCode, String cityName,
                        boolean hasLocation, double latitude, double longitude, long asNumber,
                        String asOrganization) {

    /** Nothing known. */
    public static final SourceGeo NONE = new SourceGeo(null, null, null, null, false, 0, 0, -1, null);

    public static final String COUNTRY_ISO_CODE = "source.geo.country_iso_code";
    public static final String COUNTRY_NAME = "source.geo.country_name";
    public static final String CONTINENT_CODE = "source.geo.continent_code";
    public static final String CITY_NAME = "source.geo.city_name";
    public static final String AS_NUMBER = "source.as.number";
    public static final String AS_ORGANIZATION = "source.as.organization.name";

    /** The ECS fields {@link #field} answers for: those a jail can match on. */
    public static final List<String> FIELDS = List.of(COUNTRY_ISO_CODE, COUNTRY_NAME, CONTINENT_CODE, CITY_NAME,
            AS_NUMBER, AS_ORGANIZATION);

    public boolean isEmpty() {
        return countryIsoCode == null && countryName == null && continentCode == null && cityName == null
                && !hasLocation && asNumber < 0 && asOrganization == null;
    }

    public boolean hasGeo() {
        return countryIsoCode != null || countryName != null || continentCode != null || cityName != null
                || hasLocation;
    }

    public boolean hasAs() {
        return asNumber >= 0 || asOrganization != null;
    }

    /** The value of one of {@link #FIELDS} as text, or null when absent. */
    public String field(String name) {
        return switch (name) {
            case COUNTRY_ISO_CODE -> countryIsoCode;
            case COUNTRY_NAME -> countryName;
            case CONTINENT_CODE -> continentCode;
            case CITY_NAME -> cityName;
            case AS_NUMBER -> asNumber < 0 ? null : Long.toString(asNumber);
            case AS_ORGANIZATION -> asOrganization;
            default -> throw new IllegalArgumentException("not a geo or AS field: " + name);
        };
    }

    /** This location with the AS of {@code other} (one database gives the place, another the network). */
    public SourceGeo withAs(SourceGeo other) {
        return new SourceGeo(countryIsoCode, countryName, continentCode, cityName, hasLocation, latitude, longitude,
                other.asNumber, other.asOrganization);
    }
}
