package org.tollgate.server.cluster;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.tollgate.banner.jail.Failure;
import org.tollgate.banner.replay.DecisionJsonWriter;
import org.tollgate.normalizer.address.IpLiteral;
import org.tollgate.normalizer.geo.SourceGeo;

/**
 * A failure as one node sends it to the node that owns its address ({@link FailureOwners}), on
 * {@link ClusterAddresses#FAILURES_TO}: everything the owner's jails count and match on, and what the ban they make
 * shows, so that the owner counts it as the node that saw it would. The attempt id is made unique to the sending
 * node (two hosts' first attempts in one second can share an id; the lines of one attempt on one host keep theirs);
 * the line is cut to what a ban shows of it ({@link DecisionJsonWriter#LONGEST_MATCH}).
 */
final class ForwardedFailure {

    private ForwardedFailure() {
    }

    /** {@code failure}, seen on node {@code nodeId}, as it is sent; its address canonical. */
    static JsonObject toJson(Failure failure, String ip, String nodeId) {
        String line = failure.line();
        JsonObject json = new JsonObject().put("ip", ip).put("at", failure.timestamp().toEpochMilli())
                .put("action", failure.action()).put("trusted", failure.sourceTrusted())
                .put("user", failure.userName())
                .put("attempt_id", failure.attemptId() == null ? null : nodeId + "/" + failure.attemptId())
                .put("line", line == null || line.length() <= DecisionJsonWriter.LONGEST_MATCH ? line
                        : line.substring(0, DecisionJsonWriter.LONGEST_MATCH));
        SourceGeo geo = failure.geo();
        if (geo != null && !geo.isEmpty()) {
            json.put("geo", new JsonObject().put("country_iso_code", geo.countryIsoCode())
                    .put("country_name", geo.countryName()).put("continent_code", geo.continentCode())
                    .put("city_name", geo.cityName()).put("has_location", geo.hasLocation())
                    .put("latitude", geo.latitude()).put("longitude", geo.longitude())
                    .put("as_number", geo.asNumber()).put("as_organization", geo.asOrganization()));
        }
        return json;
    }

    /**
     * Reads what another node sent; the address is parsed again (a node's word is not taken for it).
     *
     * @throws IllegalArgumentException when the address is not an IP literal or a field is missing or wrong
     */
    static Failure fromJson(JsonObject json) {
        try {
            String ip = IpLiteral.canonical(json.getString("ip", ""));
            if (ip == null) {
                throw new IllegalArgumentException("ip '" + json.getValue("ip") + "' is not an IP literal");
            }
            JsonObject geo = json.getJsonObject("geo");
            return new Failure(Instant.ofEpochMilli(json.getLong("at")), ip, json.getString("action"),
                    json.getBoolean("trusted", false), json.getString("user"), geo == null ? null : geo(geo),
                    json.getString("attempt_id"), json.getString("line"));
        } catch (ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException("a field is missing or of the wrong type: " + e.getMessage());
        }
    }

    private static SourceGeo geo(JsonObject json) {
        return new SourceGeo(json.getString("country_iso_code"), json.getString("country_name"),
                json.getString("continent_code"), json.getString("city_name"),
                json.getBoolean("has_location", false), json.getDouble("latitude", 0.0),
                json.getDouble("longitude", 0.0), json.getLong("as_number", -1L), json.getString("as_organization"));
    }
}
