package org.tollgate.normalizer.json;

import static org.tollgate.normalizer.json.EcsNames.*;

import org.tollgate.normalizer.address.Endpoint;
import org.tollgate.normalizer.geo.SourceGeo;
import org.tollgate.normalizer.message.Finding;

/**
 * The parties of an event as {@link EcsJsonWriter} writes them: {@code source} and {@code destination} (address,
 * port, and the source's place from {@link SourceGeo}), {@code network}, {@code user} and {@code related.*}. A
 * finding names them all; a call names its source.
 */
final class PartyMembers {

    private PartyMembers() {
    }

    /** A finding's {@code source}, {@code destination}, {@code network} and {@code user}. */
    static void findingParties(JsonOut json, Finding finding, SourceGeo geo) {
        if (finding.source() == null && finding.sourceText() != null) {
            // An address that is not one (redacted, mangled): kept as ECS keeps a raw address, with no source.ip.
            json.startObject(SOURCE);
            json.field(ADDRESS, finding.sourceText());
            json.endObject();
        }
        endpoint(json, SOURCE, finding.source(), geo);
        endpoint(json, DESTINATION, finding.destination(), null);
        int transport = NetworkMembers.transport(finding);
        int protocol = NetworkMembers.protocol(finding.provider());
        if (transport != NetworkMembers.NONE || protocol != NetworkMembers.NONE) {
            NetworkMembers.write(json, transport, protocol, NetworkMembers.type(finding.source()));
        }
        if (finding.userName() != null) {
            json.startObject(USER);
            json.field(NAME, finding.userName());
            json.endObject();
        }
    }

    /** A finding's {@code related.ip} and {@code related.user}, when it has any. */
    static void related(JsonOut json, Finding finding) {
        if (finding.source() != null || finding.destination() != null || finding.userName() != null
                || !finding.candidates().isEmpty()) {
            json.startObject(RELATED);
            if (finding.source() != null || finding.destination() != null || !finding.candidates().isEmpty()) {
                json.startArray(IP);
                if (finding.source() != null) {
                    json.value(finding.source().ip());
                }
                for (String candidate : finding.candidates()) {
                    json.value(candidate);
                }
                if (finding.destination() != null && (finding.source() == null
                        || !finding.destination().ip().equals(finding.source().ip()))) {
                    json.value(finding.destination().ip());
                }
                json.endArray();
            }
            if (finding.userName() != null) {
                json.startArray(USER);
                json.value(finding.userName());
                json.endArray();
            }
            json.endObject();
        }
    }

    static void endpoint(JsonOut json, byte[] name, Endpoint endpoint, SourceGeo geo) {
        if (endpoint == null) {
            return;
        }
        json.startObject(name);
        json.field(IP, endpoint.ip());
        json.field(ADDRESS, endpoint.ip());
        if (endpoint.hasPort()) {
            json.field(PORT, endpoint.port());
        }
        if (geo != null) {
            geo(json, geo);
        }
        json.endObject();
    }

    /** {@code source.geo.*} and {@code source.as.*}, each part only when the databases knew it. */
    private static void geo(JsonOut json, SourceGeo geo) {
        if (geo.hasGeo()) {
            json.startObject(GEO);
            fieldIfPresent(json, CONTINENT_CODE, geo.continentCode());
            fieldIfPresent(json, COUNTRY_ISO_CODE, geo.countryIsoCode());
            fieldIfPresent(json, COUNTRY_NAME, geo.countryName());
            fieldIfPresent(json, CITY_NAME, geo.cityName());
            if (geo.hasLocation()) {
                json.startObject(LOCATION);
                json.name(LAT);
                json.value(geo.latitude());
                json.name(LON);
                json.value(geo.longitude());
                json.endObject();
            }
            json.endObject();
        }
        if (geo.hasAs()) {
            json.startObject(AS);
            if (geo.asNumber() >= 0) {
                json.field(NUMBER, geo.asNumber());
            }
            if (geo.asOrganization() != null) {
                json.startObject(ORGANIZATION);
                json.field(NAME, geo.asOrganization());
                json.endObject();
            }
            json.endObject();
        }
    }

    private static void fieldIfPresent(JsonOut json, byte[] name, String value) {
        if (value != null) {
            json.field(name, value);
        }
    }
}
