package org.tollgate.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import org.tollgate.banner.config.ConfigException;
import org.tollgate.testkit.Fuzzing;

/**
 * The configuration reader fuzzed ({@link Fuzzing}): the shipped configurations with lines deleted, repeated, moved,
 * re-indented and edited (YAML's own syntax among the edits: anchors, aliases, tags, flow collections, documents),
 * and raw bytes. The reader either accepts the text or refuses it with a {@link ConfigException} of one line; it never
 * throws anything else and never hangs. The same inputs in every build, a few seconds; {@code -Dfuzz.seed=random
 * -Dfuzz.seconds=600} searches further.
 */
class ConfigFuzzTest {

    /** The same inputs in every build: a few seconds. */
    private static final Fuzzing.Budget TEXT_BUDGET = Fuzzing.budget(400);
    private static final Fuzzing.Budget BYTES_BUDGET = Fuzzing.budget(1_500);
    /** Far longer than reading any configuration takes: only a hang reaches it. */
    private static final Duration HANG = Duration.ofSeconds(30);
    private static final List<String> SEEDS = List.of(read("tollgate.yaml"), read("demo.yaml"));

    private static String read(String name) {
        try {
            return Files.readString(Path.of("..", "config", name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Outcomes seen, for the printed summary. */
    private final int[] outcomes = new int[2];

    @Example
    void mutatedConfigurationsAreAcceptedOrRefusedInOneLine() {
        long count = Fuzzing.run("configuration text", mutatedConfigurations(), TEXT_BUDGET, this::check);
        System.out.printf("fuzz configuration: %,d accepted, %,d refused%n", outcomes[0], outcomes[1]);
        assertThat(count).isPositive();
    }

    @Example
    void anyBytesAreAcceptedOrRefusedInOneLine() {
        Arbitrary<String> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(2_000)
                .map(b -> new String(b, StandardCharsets.UTF_8));
        assertThat(Fuzzing.run("configuration bytes", Arbitraries.oneOf(bytes, Fuzzing.hostileText()), BYTES_BUDGET,
                this::check)).isPositive();
    }

    private void check(String yaml) {
        assertTimeoutPreemptively(HANG, () -> {
            try {
                TollgateConfig.parse(yaml, "tollgate.yaml");
                outcomes[0]++;
            } catch (ConfigException e) {
                outcomes[1]++;
                assertThat(e.getMessage()).as("a refusal in one line").isNotBlank().doesNotContain("\n", "\r");
                assertThat(e.getMessage()).contains("tollgate.yaml");
            }
        });
    }

    /** A shipped configuration with one to six line edits. */
    private static Arbitrary<String> mutatedConfigurations() {
        Arbitrary<String> yamlBits = Arbitraries.of("&a ", "*a", "*b", "<<: *a", "!!binary ", "!!int ", "!foo ", "{", "}",
                "[", "]", "{}", "[]", ": ", "- ", "? ", "---", "...", "%YAML 1.2", "#", "|", ">-", "\"", "'", "\\", "\t",
                "~", "null", "true", "0x10", "1e400", "-1", "99999999999999999999", "0", "1.5", "10 minutes", "1w",
                "-1s", "2147483648", "127.0.0.1:9190", "[::1]:0", "256.0.0.1", "/dev/null", "/nonexistent/x", "\u0000",
                "\uFEFF", "\u00e9", "x".repeat(5_000), "a: &a [*a, *a, *a, *a, *a, *a, *a, *a, *a]");
        Arbitrary<String> insert = Arbitraries.oneOf(yamlBits, Fuzzing.hostileText(),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(20));
        Arbitrary<LineEdit> edits = Combinators.combine(Arbitraries.integers().between(0, 6),
                Arbitraries.doubles().between(0, 1), Arbitraries.doubles().between(0, 1), insert).as(LineEdit::new);
        return Combinators.combine(Arbitraries.of(SEEDS), edits.list().ofMinSize(1).ofMaxSize(6)).as((seed, list) -> {
            List<String> lines = new ArrayList<>(List.of(seed.split("\n", -1)));
            for (LineEdit edit : list) {
                edit.apply(lines);
            }
            return String.join("\n", lines);
        });
    }

    /** One edit of a configuration's lines: delete, repeat, move, indent, dedent, or put text in a line. */
    private record LineEdit(int kind, double where, double to, String text) {
        void apply(List<String> lines) {
            if (lines.isEmpty()) {
                lines.add(text);
                return;
            }
            int at = (int) (where * lines.size()) % lines.size();
            String line = lines.get(at);
            int column = (int) (to * (line.length() + 1)) % (line.length() + 1);
            switch (kind) {
                case 0 -> lines.remove(at);
                case 1 -> lines.add(at, line);
                case 2 -> lines.add((int) (to * lines.size()) % lines.size(), lines.remove(at));
                case 3 -> lines.set(at, "  " + line);
                case 4 -> lines.set(at, line.stripLeading());
                case 5 -> lines.set(at, line.substring(0, column) + text + line.substring(column));
                default -> lines.set(at, line.substring(0, column) + text);
            }
        }
    }
}
