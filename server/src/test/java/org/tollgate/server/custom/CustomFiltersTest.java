package org.tollgate.server.custom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.banner.jail.Failure;
import org.tollgate.normalizer.Normalizer;
import org.tollgate.normalizer.NormalizerOptions;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.normalizer.json.EcsJsonWriter;
import org.tollgate.server.adopt.fail2ban.Fail2banFilter;
import org.tollgate.server.bus.FailureFromEvent;
import org.tollgate.testkit.Requirements;

/** The lines the catalog does not know, shown to a user's filter; those it knows keep the catalog's event. */
class CustomFiltersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-18T18:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private CustomFilters filters;

    @BeforeEach
    void aSitesFilter() throws IOException {
        Requirements.requireTools(List.of("fail2ban-regex"));
        Files.copy(Path.of("/etc/fail2ban/filter.d/common.conf"), dir.resolve("common.conf"));
        for (String name : List.of("asterisk-custom.conf", "asterisk-custom.local", "custom.log")) {
            Files.copy(Path.of("src", "test", "resources", "custom-filters", name), dir.resolve(name));
        }
        filters = new CustomFilters(List.of(Fail2banFilter.read(dir.resolve("asterisk-custom.conf"), Map.of())));
    }

    private List<JsonNode> events(List<String> lines) throws IOException {
        Normalizer normalizer = new Normalizer(new NormalizerOptions(ZoneOffset.UTC, CLOCK.instant(), false,
                "/var/log/asterisk/full", CLOCK));
        EcsJsonWriter writer = new EcsJsonWriter();
        List<JsonNode> events = new ArrayList<>();
        for (String line : lines) {
            events.add(JSON.readTree(writer.toJson(filters.apply(normalizer.normalize(line)))));
        }
        return events;
    }

    @Test
    void aLineTheCatalogDoesNotKnowBecomesACustomEvent() throws IOException {
        List<JsonNode> events = events(Files.readAllLines(dir.resolve("custom.log")));

        JsonNode probe = events.get(0);
        assertThat(probe.at("/event/action").asText()).isEqualTo("custom:asterisk-custom");
        assertThat(probe.at("/event/dataset").asText()).isEqualTo("asterisk.security");
        assertThat(probe.at("/event/outcome").asText()).isEqualTo("failure");
        assertThat(probe.at("/event/provider").isMissingNode()).isTrue();
        assertThat(probe.at("/source/ip").asText()).isEqualTo("198.51.100.7");
        assertThat(probe.at("/asterisk/source_trusted").asBoolean(true)).isFalse();
        assertThat(probe.at("/asterisk/address_origin").asText()).isEqualTo("filter");
        assertThat(probe.at("/@timestamp").asText()).isEqualTo("2026-01-18T17:39:50Z");
        assertThat(probe.at("/log/level").asText()).as("the normalizer's reading of the prefix stays").isEqualTo("notice");

        assertThat(events.get(1).at("/user/name").asText()).isEqualTo("admin");
        assertThat(events.get(1).at("/source/ip").asText()).isEqualTo("2001:db8::9");
        assertThat(events.get(2).at("/event/action").isMissingNode()).as("ignoreregex").isTrue();
        assertThat(events.get(3).at("/event/action").asText()).isEqualTo("custom:asterisk-custom");
        assertThat(events.get(4).at("/event/action").isMissingNode()).as("not an address").isTrue();
        assertThat(events.get(5).at("/event/action").asText()).as("the catalog's").isEqualTo("registration-failed");
    }

    @Test
    void aLineTheCatalogKnowsKeepsItsEventEvenWhenTheFilterWouldMatchIt() throws IOException {
        Path file = dir.resolve("greedy.conf");
        Files.writeString(file, "[Definition]\nfailregex = failed for '<HOST>\n");
        filters = new CustomFilters(List.of(Fail2banFilter.read(file, Map.of())));
        JsonNode event = events(List.of("[2026-01-18 17:39:55] NOTICE[2290] chan_sip.c: Registration from"
                + " '<sip:100@192.0.2.1>' failed for '192.0.2.50:5060' - Wrong password")).get(0);
        assertThat(event.at("/event/action").asText()).isEqualTo("registration-failed");
    }

    @Test
    void aLineWithoutAnyAsteriskLayoutIsShownToTheFiltersToo() throws IOException {
        Path file = dir.resolve("acme.conf");
        Files.writeString(file, "[Definition]\nfailregex = ^acme-sbc: blocked <F-USER>\\S+</F-USER> from <HOST>$\n");
        filters = new CustomFilters(List.of(Fail2banFilter.read(file, Map.of())));
        Normalizer normalizer = new Normalizer(NormalizerOptions.defaults().withClock(CLOCK));
        ParseResult rejected = normalizer.normalize("acme-sbc: blocked 1001 from 192.0.2.77");
        assertThat(rejected).isInstanceOf(ParseResult.Rejected.class);

        ParseResult result = filters.apply(rejected);
        Failure failure = FailureFromEvent.of(((ParseResult.Parsed) result).event());
        assertThat(failure.sourceIp()).isEqualTo("192.0.2.77");
        assertThat(failure.action()).isEqualTo("custom:acme");
        assertThat(failure.sourceTrusted()).isFalse();
        assertThat(failure.userName()).isEqualTo("1001");
        assertThat(failure.line()).isEqualTo("acme-sbc: blocked 1001 from 192.0.2.77");
        JsonNode event = JSON.readTree(new EcsJsonWriter().toJson(result));
        assertThat(event.at("/asterisk/layout").asText()).isEqualTo("bare");
        assertThat(event.at("/event/original").asText()).isEqualTo("acme-sbc: blocked 1001 from 192.0.2.77");
    }

    @Test
    void withoutCustomFiltersTheResultIsTheNormalizersOwn() {
        Normalizer normalizer = new Normalizer(NormalizerOptions.defaults().withClock(CLOCK));
        ParseResult result = normalizer.normalize("acme-sbc: blocked 1001 from 192.0.2.77");
        assertThat(CustomFilters.NONE.apply(result)).isSameAs(result);
    }
}
