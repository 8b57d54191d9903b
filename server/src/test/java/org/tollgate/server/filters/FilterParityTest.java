package org.tollgate.server.filters;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tollgate.normalizer.AsteriskEvent;
import org.tollgate.normalizer.Normalizer;
import org.tollgate.normalizer.NormalizerOptions;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.normalizer.address.IpLiteral;

/**
 * The fail2ban filters in filters/ and the normalizer must agree: every sample line the filter bans on yields, in
 * the normalizer, a trusted source with the same address. (filters/check.sh proves the filter side with the real
 * fail2ban-regex; FilterCheckIT runs it.)
 */
class FilterParityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @CsvSource({"asterisk.log, false", "asterisk-patched.log, true"})
    void everyLineTheFilterBansOnHasTheSameTrustedSource(String sample, boolean patched) throws Exception {
        List<String> lines = Files.readAllLines(Path.of("..", "filters", "tests", sample));
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        List<String> disagreements = new ArrayList<>();
        int checked = 0;
        for (int i = 0; i < lines.size() - 1; i++) {
            String line = lines.get(i);
            if (!line.startsWith("# failJSON:")) {
                continue;
            }
            JsonNode expected = JSON.readTree(line.substring("# failJSON:".length()));
            if (!expected.path("match").asBoolean(false) || !expected.has("host")) {
                continue;
            }
            String logLine = lines.get(i + 1);
            // Each line is read on its own, as its own input: no packet-dump state carries over between samples.
            Normalizer normalizer = new Normalizer(new NormalizerOptions(ZoneOffset.UTC, clock.instant(), patched,
                    null, clock));
            ParseResult result = normalizer.normalize(logLine);
            String host = IpLiteral.canonical(expected.get("host").asText());
            checked++;
            if (!(result instanceof ParseResult.Parsed parsed) || !parsed.event().isSecurity()) {
                disagreements.add("line " + (i + 2) + ": not a security event: " + logLine);
                continue;
            }
            AsteriskEvent event = parsed.event();
            if (event.finding().source() == null || !event.finding().sourceTrusted()
                    || !event.finding().source().ip().equals(host)) {
                disagreements.add("line " + (i + 2) + ": filter bans " + host + ", normalizer has "
                        + event.finding().source() + " trusted=" + event.finding().sourceTrusted()
                        + " (" + event.finding().action().id() + "): " + logLine);
            }
        }
        assertThat(checked).as("sample lines the filter bans on").isGreaterThan(5);
        assertThat(disagreements).isEmpty();
    }
}
