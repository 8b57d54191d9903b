package org.tollgate.normalizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tollgate.normalizer.message.EventAction;

/**
 * Every field the writer puts out for the whole corpus is an ECS field or lives under {@code asterisk.}, and the
 * categorization values are ECS's allowed ones, each type allowed for its category. The field list is the project's
 * shared copy of ECS ({@code shared/ecs-fields.tsv} beside the repository); CI has it.
 */
class EcsConformanceTest {

    private static final String TSV = "shared/ecs-fields.tsv";

    private static Set<String> fields;
    private static Map<String, Set<String>> allowed;
    private static Map<String, Set<String>> typesByCategory;
    private static List<ObjectNode> events;

    @BeforeAll
    static void load() throws IOException {
        Path tsv = locate();
        fields = new HashSet<>();
        allowed = new HashMap<>();
        typesByCategory = new HashMap<>();
        for (String line : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
            if (line.startsWith("# allowed ")) {
                // "# allowed event.kind: alert asset …"
                int colon = line.indexOf(':');
                allowed.put(line.substring("# allowed ".length(), colon).trim(), words(line.substring(colon + 1)));
            } else if (line.startsWith("#   category ")) {
                // "#   category network: expected types access allowed …"
                int colon = line.indexOf(':');
                String category = line.substring("#   category ".length(), colon).trim();
                typesByCategory.put(category, words(line.substring(line.indexOf("expected types") + "expected types".length())));
            } else if (!line.isBlank() && !line.startsWith("#")) {
                fields.add(line.substring(0, line.indexOf('\t')));
            }
        }
        assertThat(fields).as("fields read from %s", tsv).contains("@timestamp", "source.ip", "event.action");
        assertThat(allowed).as("allowed values read from %s", tsv)
                .containsKeys("event.kind", "event.category", "event.type", "event.outcome");
        assertThat(typesByCategory).as("types per category read from %s", tsv).containsKey("authentication");

        events = new ArrayList<>();
        NormalizerOptions withPath = Corpus.OPTIONS.withPath("/var/log/asterisk/full");
        Corpus.files().forEach(file -> events.addAll(Corpus.toJson(Corpus.normalize(Corpus.read(file), 4096, withPath))));
    }

    /** Walks up from the working directory to the directory that holds {@code shared/ecs-fields.tsv}. */
    private static Path locate() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(TSV);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return fail("ECS field list not found: looked for " + TSV + " in " + start + " and every directory above it. "
                + "It lives beside the repository (../shared/ecs-fields.tsv from the repository root); CI checks it out there.");
    }

    @Test
    void everyFieldIsEcsOrAsterisk() {
        Set<String> unknown = new TreeSet<>();
        Set<String> seen = new TreeSet<>();
        for (ObjectNode event : events) {
            for (String name : Corpus.fieldNames(event)) {
                seen.add(name);
                if (!name.startsWith("asterisk.") && !fields.contains(name)) {
                    unknown.add(name);
                }
            }
        }
        assertThat(unknown).as("fields outside ECS and asterisk.*").isEmpty();
        // The corpus exercises the writer's whole vocabulary, so this check covers what it can write.
        assertThat(seen).contains("@timestamp", "message", "event.original", "event.sequence", "log.file.path",
                "log.origin.file.name", "log.origin.file.line", "log.origin.function", "source.port", "destination.ip",
                "network.transport", "network.protocol", "process.pid", "process.thread.id", "host.hostname",
                "related.ip", "related.user", "user.name", "error.type", "error.message", "asterisk.truncated",
                "asterisk.packet_dump");
    }

    @Test
    void categorizationValuesAreAllowedAndEachTypeFitsItsCategory() {
        for (ObjectNode event : events) {
            String where = event.at("/event/original").asText();
            assertThat(event.at("/event/kind").asText()).as(where).isIn(allowed.get("event.kind"));
            JsonNode outcome = event.at("/event/outcome");
            if (!outcome.isMissingNode()) {
                assertThat(outcome.asText()).as(where).isIn(allowed.get("event.outcome"));
            }
            checkCategorization(where, values(event.at("/event/category")), values(event.at("/event/type")));
        }
    }

    @Test
    void everyEventActionIsCategorizedTheEcsWay() {
        for (EventAction action : EventAction.values()) {
            checkCategorization(action.id(), List.of(action.category().ecs()), List.of(action.type().ecs()));
            assertThat(action.outcome().ecs()).as(action.id()).isIn(allowed.get("event.outcome"));
        }
    }

    private static void checkCategorization(String where, List<String> categories, List<String> types) {
        assertThat(categories).as("%s: event.category", where).allSatisfy(c -> assertThat(c).isIn(allowed.get("event.category")));
        assertThat(types).as("%s: event.type", where).allSatisfy(t -> assertThat(t).isIn(allowed.get("event.type")));
        for (String category : categories) {
            assertThat(types).as("%s: event.type for category %s", where, category)
                    .allSatisfy(t -> assertThat(t).isIn(typesByCategory.get(category)));
        }
    }

    private static List<String> values(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(v -> values.add(v.asText()));
        } else if (!node.isMissingNode()) {
            values.add(node.asText());
        }
        return values;
    }

    private static Set<String> words(String text) {
        return new HashSet<>(Arrays.asList(text.trim().split("\\s+")));
    }
}
