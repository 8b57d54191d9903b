package org.tollgate.server.api;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * What the status page and metrics tell about attacks, kept from the event bus in bounded memory: the most frequent
 * attacking addresses, their countries and networks, and user names tried, security events per minute over the last hour, events per
 * {@code event.action}, and the lag from a log line to the ban it triggered. Not thread-safe: fed and read on the API
 * verticle's event loop.
 */
final class AttackStats {

    static final int TOP_CAPACITY = 1_000;
    static final int TOP_KEY_LENGTH = 64;
    static final int MINUTES = 60;
    /** Distinct {@code event.action} labels kept; the catalog has far fewer, this only bounds a surprise. */
    static final int MAX_ACTIONS = 256;
    static final String OTHER_ACTION = "other";
    /** Seconds, from a few milliseconds (a live log) to minutes (a backlog read at start). */
    static final double[] LAG_BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};

    private final TopCounter sources = new TopCounter(TOP_CAPACITY, TOP_KEY_LENGTH);
    private final TopCounter users = new TopCounter(TOP_CAPACITY, TOP_KEY_LENGTH);
    private final TopCounter countries = new TopCounter(TOP_CAPACITY, TOP_KEY_LENGTH);
    private final TopCounter networks = new TopCounter(TOP_CAPACITY, TOP_KEY_LENGTH);
    /** Country names by ISO code, as the events gave them; bounded like the counters. */
    private final Map<String, String> countryNames = new HashMap<>();
    private final MinuteSeries perMinute = new MinuteSeries(MINUTES);
    private final Map<String, Long> byAction = new TreeMap<>();
    private final Histogram banLag = new Histogram(LAG_BOUNDS);
    private LongSupplier skipped = () -> 0;

    /**
     * Counts one security event as published on {@code tollgate.events}. Only a trusted source address (the transport
     * address, never one the attacker wrote into a header) counts as an attacker; the user name counts either way.
     */
    void onSecurityEvent(JsonObject event, Instant now) {
        JsonObject ecs = event.getJsonObject("event");
        String action = ecs == null ? null : ecs.getString("action");
        if (action != null) {
            String label = byAction.containsKey(action) || byAction.size() < MAX_ACTIONS ? action : OTHER_ACTION;
            byAction.merge(label, 1L, Long::sum);
        }
        JsonObject source = event.getJsonObject("source");
        JsonObject asterisk = event.getJsonObject("asterisk");
        boolean trusted = asterisk != null && Boolean.TRUE.equals(asterisk.getBoolean("source_trusted"));
        if (source != null && trusted) {
            String ip = source.getString("ip");
            sources.add(ip);
            countPlace(source, ip);
        }
        JsonObject user = event.getJsonObject("user");
        if (user != null) {
            users.add(user.getString("name"));
        }
        Instant at = instant(event.getString("@timestamp"));
        perMinute.add(at == null ? now : at, now);
    }

    /**
     * Observes a decision from {@code tollgate.bans}: for a jail's ban, the lag from its start (the log time of the
     * line that triggered it) to now, when it has been through the firewall actions; a ban made by hand has none.
     */
    void onDecision(JsonObject decision, Instant now) {
        JsonObject ecs = decision.getJsonObject("event");
        JsonObject tollgate = decision.getJsonObject("tollgate");
        // A ban made by hand follows no log line: it has no lag to count.
        if (ecs == null || !"ban".equals(ecs.getString("action"))
                || tollgate != null && Boolean.TRUE.equals(tollgate.getBoolean("manual"))) {
            return;
        }
        Instant start = instant(decision.getString("@timestamp"));
        if (start != null) {
            // A log clock ahead of this one would give a negative lag; it is no lag at all.
            banLag.observe(Math.max(0, Duration.between(start, now).toNanos()) / 1e9);
        }
    }

    /**
     * The country ({@code source.geo.country_iso_code}) and the network: the AS ({@code AS64500 Example Net}) when
     * the events carry one, else the address's /24 (IPv4) or /48 (IPv6).
     */
    private void countPlace(JsonObject source, String ip) {
        JsonObject geo = source.getJsonObject("geo");
        String country = geo == null ? null : geo.getString("country_iso_code");
        if (country != null) {
            countries.add(country);
            String name = geo.getString("country_name");
            if (name != null && (countryNames.containsKey(country) || countryNames.size() < TOP_CAPACITY)) {
                countryNames.put(country, name.length() > TOP_KEY_LENGTH ? name.substring(0, TOP_KEY_LENGTH) : name);
            }
        }
        JsonObject as = source.getJsonObject("as");
        Long number = as == null ? null : as.getLong("number");
        if (number != null) {
            JsonObject organization = as.getJsonObject("organization");
            String name = organization == null ? null : organization.getString("name");
            networks.add("AS" + number + (name == null ? "" : " " + name));
        } else if (ip != null) {
            String prefix = prefix(ip);
            if (prefix != null) {
                networks.add(prefix);
            }
        }
    }

    /** The /24 or /48 around {@code ip}, or null when it is not an IP literal. */
    static String prefix(String ip) {
        byte[] address = org.tollgate.normalizer.address.IpLiteral.toBytes(ip);
        if (address == null) {
            return null;
        }
        int keep = address.length == 4 ? 3 : 6;
        Arrays.fill(address, keep, address.length, (byte) 0);
        return org.tollgate.normalizer.address.IpLiteral.format(address) + "/" + keep * 8;
    }

    TopCounter countries() {
        return countries;
    }

    TopCounter networks() {
        return networks;
    }

    /** The English name of a country counted, or null. */
    String countryName(String isoCode) {
        return countryNames.get(isoCode);
    }

    /** Where the number of security events not counted (a flood read faster than counted) comes from. */
    void countSkipped(LongSupplier skipped) {
        this.skipped = skipped;
    }

    /** Security events not counted: the figures here are a sample of a flood. */
    long skipped() {
        return skipped.getAsLong();
    }

    TopCounter sources() {
        return sources;
    }

    TopCounter users() {
        return users;
    }

    MinuteSeries perMinute() {
        return perMinute;
    }

    Map<String, Long> byAction() {
        return byAction;
    }

    Histogram banLag() {
        return banLag;
    }

    private static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
