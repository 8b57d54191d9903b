package org.tollgate.server.bus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tollgate.banner.jail.Failure;
import org.tollgate.normalizer.Normalizer;
import org.tollgate.normalizer.NormalizerOptions;
import org.tollgate.normalizer.geo.SourceGeo;
import org.tollgate.normalizer.json.Observer;
import org.tollgate.testkit.Waits;

/** The publisher adds the observer to every event, and the place to events (and failures) with a trusted source. */
class EventPublisherEnrichmentTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-01-20T12:00:00Z");
    private static final SourceGeo GERMANY = new SourceGeo("DE", "Germany", "EU", "Berlin", true, 52.5, 13.4, 64500,
            "Example Hosting GmbH");

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close();
    }

    @Test
    void trustedSourcesAreLookedUpAndUntrustedOnesNever() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        List<Failure> failures = new CopyOnWriteArrayList<>();
        EventPublisher.registerCodecs(vertx.eventBus());
        vertx.eventBus().<Buffer>consumer(Addresses.EVENTS, m -> {
            try {
                events.add(JSON.readTree(m.body().getBytes()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        vertx.eventBus().<Failure>localConsumer(Addresses.FAILURES, m -> failures.add(m.body()));
        EventPublisher publisher = new EventPublisher(vertx.eventBus(), new Observer("pbx1", "9.9"),
                ip -> {
                    asked.add(ip);
                    return GERMANY;
                }, Clock.fixed(NOW, ZoneOffset.UTC), org.tollgate.server.custom.CustomFilters.NONE, 0);
        publisher.publishEveryEvent(); // the VERBOSE line too, to show it carries the observer fields
        Normalizer normalizer = new Normalizer(new NormalizerOptions(ZoneOffset.UTC, NOW, false, "full",
                Clock.fixed(NOW, ZoneOffset.UTC)));

        publisher.handle(normalizer.normalize("[2026-01-20 11:59:00] NOTICE[2744] chan_sip.c: Registration from "
                + "'<sip:100@192.0.2.9>' failed for '203.0.113.45:5071' - Wrong password"));
        // A Contact header the sender wrote: never looked up.
        publisher.handle(normalizer.normalize("[2026-01-20 11:59:01] WARNING[2744] chan_sip.c: Host/Domain "
                + "'198.51.100.7' disallowed by contact ACL (violating IP 198.51.100.7)"));
        publisher.handle(normalizer.normalize("[2026-01-20 11:59:02] VERBOSE[2744] pbx.c: nothing to see"));

        Waits.until("three events published", () -> events.size() == 3);
        assertThat(asked).containsExactly("203.0.113.45");
        JsonNode enriched = events.get(0);
        assertThat(enriched.at("/source/geo/country_iso_code").asText()).isEqualTo("DE");
        assertThat(enriched.at("/source/as/number").asLong()).isEqualTo(64500);
        assertThat(events.get(1).at("/asterisk/source_trusted").asBoolean()).isFalse();
        assertThat(events.get(1).at("/source").has("geo")).isFalse();
        for (JsonNode event : events) {
            assertThat(event.at("/observer/hostname").asText()).isEqualTo("pbx1");
            assertThat(event.at("/ecs/version").asText()).isEqualTo(Observer.ECS_VERSION);
            assertThat(event.at("/event/ingested").asText()).isEqualTo("2026-01-20T12:00:00Z");
        }
        Waits.until("the failure handed to the jails", () -> !failures.isEmpty());
        assertThat(failures.get(0).geo()).isEqualTo(GERMANY);
    }
}
