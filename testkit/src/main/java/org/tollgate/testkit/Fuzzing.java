package org.tollgate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.Tuple;

/**
 * Fuzzing with jqwik's generators under a budget: inputs drawn from an {@link Arbitrary} with one seeded
 * {@link Random}, checked one after the other until the budget is spent. A failure names the seed and the input.
 *
 * <p>The build is deterministic: every run checks the same inputs, the first few thousand of {@link #BUILD_SEED}'s
 * (a few seconds), whatever the machine's speed, so a build fails for the code and never for the draw. To search
 * further: {@code -Dfuzz.seed=random} draws a new seed (printed), {@code -Dfuzz.seconds=600} gives every fuzz test ten
 * minutes instead of its count of inputs, {@code -Dfuzz.inputs=N} N inputs, and {@code -Dfuzz.seed=N} repeats a run.
 *
 * <p>jqwik's own {@code @Property} counts tries, not time, and shrinks what fails; here the budget is what matters, and
 * a failing input is printed whole instead.
 */
public final class Fuzzing {

    /** The size jqwik's generators aim at: long enough for lines of a few hundred characters. */
    private static final int GEN_SIZE = 1_000;

    private Fuzzing() {
    }

    /** The seed of the build's inputs; {@code -Dfuzz.seed} sets another, {@code -Dfuzz.seed=random} draws one. */
    public static final long BUILD_SEED = 20_261_206L;

    /** How much of a seed's inputs a fuzz test checks: a count of inputs, or (when {@code time} is set) a time. */
    public record Budget(long inputs, Duration time) {
        @Override
        public String toString() {
            return time == null ? String.format("%,d inputs", inputs) : time.toSeconds() + " s";
        }
    }

    /**
     * What each fuzz test checks: {@code inTheBuild} inputs; {@code -Dfuzz.inputs=N} N inputs;
     * {@code -Dfuzz.seconds=N} as many as N seconds allow (a time makes the count the machine's: not for the build).
     */
    public static Budget budget(long inTheBuild) {
        String seconds = System.getProperty("fuzz.seconds");
        if (seconds != null && !seconds.isBlank()) {
            return new Budget(Long.MAX_VALUE, Duration.ofSeconds(Long.parseLong(seconds.strip())));
        }
        String inputs = System.getProperty("fuzz.inputs");
        return new Budget(inputs == null || inputs.isBlank() ? inTheBuild : Long.parseLong(inputs.strip()), null);
    }

    /** {@code -Dfuzz.seed}: unset for {@link #BUILD_SEED}, {@code random} for a new one, or a number. */
    static long seed() {
        String seed = System.getProperty("fuzz.seed");
        if (seed == null || seed.isBlank()) {
            return BUILD_SEED;
        }
        if (seed.strip().equalsIgnoreCase("random")) {
            return new Random().nextLong();
        }
        try {
            return Long.parseLong(seed.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("fuzz.seed: expected a number or 'random', was '" + seed + "'");
        }
    }

    /** What a fuzz test checks for one input. */
    @FunctionalInterface
    public interface Check<T> {
        void accept(T input) throws Exception;
    }

    /**
     * Checks inputs drawn from {@code inputs} until {@code budget} is spent (at least one); returns how many. Prints
     * the count and the seed.
     *
     * @throws AssertionError for the first input {@code check} fails on, naming the seed and the input
     */
    public static <T> long run(String name, Arbitrary<T> inputs, Budget budget, Check<T> check) {
        long seed = seed();
        Random random = new Random(seed);
        RandomGenerator<T> generator = inputs.generator(GEN_SIZE, false);
        long start = System.nanoTime();
        long deadline = budget.time() == null ? 0 : start + budget.time().toNanos();
        long count = 0;
        do {
            T input = generator.next(random).value();
            count++;
            try {
                check.accept(input);
            } catch (Exception | AssertionError e) {
                throw new AssertionError(name + ": input " + count + " of seed " + seed + " (-Dfuzz.seed=" + seed
                        + (budget.time() == null ? "" : " -Dfuzz.inputs=" + count) + "): " + shown(input), e);
            }
        } while (count < budget.inputs() && (budget.time() == null || System.nanoTime() - deadline < 0));
        System.out.printf("fuzz %s: %,d inputs of seed %d (%s) in %.1f s%n", name, count, seed, budget,
                (System.nanoTime() - start) / 1e9);
        return count;
    }

    /** Every line of every {@code *.log} file in {@code directory}, decoded as UTF-8 with replacement. */
    public static List<String> lines(Path directory) {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
                String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
                for (String line : text.split("\n", -1)) {
                    if (!line.isEmpty()) {
                        lines.add(line);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (lines.isEmpty()) {
            throw new IllegalStateException("no *.log lines in " + directory);
        }
        return lines;
    }

    /**
     * Text an attacker writes into a header, a user name or a Call-ID: addresses that are not the sender's
     * (198.51.100.66, 2001:db8::66), the phrases Asterisk writes around its own addresses, quotes, escapes, control
     * characters, long runs.
     */
    public static Arbitrary<String> hostileText() {
        Arbitrary<String> planted = Arbitraries.of("198.51.100.66", "2001:db8::66", "[2001:db8::66]", "198.51.100.66:5060",
                "[2001:db8::66]:5060", "::ffff:198.51.100.66", "0.0.0.0", "255.255.255.255", "198.51.100.666", "1.2.3",
                "2001:db8::g", "fe80::1%eth0");
        List<String> phrases = List.of("' failed for '%s' - Wrong password", "' failed for '%s:5060' - Wrong password",
                "' failed for '%s' (callid: x) - Failed to authenticate", "' (%s:5060) to extension '", "' from '%s'",
                " (%s)", "\",RemoteAddress=\"IPV4/UDP/%s/5060\"", "%s failed to authenticate as 'x'", "Host %s failed to "
                        + "authenticate as 'x'", "' not found for endpoint 'anonymous' (%s)", ": Call (UDP:%s) to extension '",
                "Rejecting unknown SIP connection from %s", "hacking attempt detected '%s'");
        Arbitrary<String> plantedPhrase = Combinators.combine(Arbitraries.of(phrases), planted)
                .as((phrase, address) -> String.format(phrase, address));
        Arbitrary<String> marks = Arbitraries.of("'", "\"", "\\", "(", ")", "[", "]", "<", ">", "@", ":", ";", ": ", " - ",
                "' - ", "' (", ") - ", "(callid: ", "\u001b[1;31m", "#033[", "\t", "\r", "\u0000", "\uFFFD", "%", "%00",
                "\u00e9", "\uD83D\uDE00", "-- end of packet.", "SecurityEvent=\"", "\",", "NOTICE[1]: ", "{\"x\":1}");
        Arbitrary<String> runs = Combinators.combine(Arbitraries.of("'", " ", "9", "\u00e9", "\\", "("),
                Arbitraries.integers().between(1, 300)).as(String::repeat);
        Arbitrary<String> piece = Arbitraries.frequencyOf(
                Tuple.of(4, plantedPhrase),
                Tuple.of(2, planted),
                Tuple.of(4, marks),
                Tuple.of(3, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(12)),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(8)),
                Tuple.of(1, runs));
        return piece.list().ofMinSize(1).ofMaxSize(5).map(list -> String.join("", list).replace('\n', ' '));
    }

    /**
     * {@code seeds} with one to four edits each: cut short, a span deleted, {@link #hostileText()} inserted, a span
     * repeated, or the rest replaced by the end of another seed.
     */
    public static Arbitrary<String> mutated(List<String> seeds) {
        Arbitrary<Edit> edits = Combinators.combine(Arbitraries.integers().between(0, 4),
                        Arbitraries.doubles().between(0, 1), Arbitraries.integers().between(0, 40),
                        Arbitraries.integers().between(0, seeds.size() - 1), Arbitraries.doubles().between(0, 1))
                .as(Edit::new);
        return Combinators.combine(Arbitraries.of(seeds), hostileText(), edits.list().ofMinSize(1).ofMaxSize(4))
                .as((line, text, list) -> {
                    String mutated = line;
                    for (Edit edit : list) {
                        mutated = edit.apply(mutated, text, seeds);
                    }
                    return mutated;
                });
    }

    /** One edit of a line, at a fraction of its length; an insertion puts in the text drawn for the line. */
    private record Edit(int kind, double where, int span, int other, double otherWhere) {
        String apply(String line, String text, List<String> seeds) {
            int at = (int) (where * line.length());
            int end = Math.min(line.length(), at + span);
            String rest = seeds.get(other);
            return switch (kind) {
                case 0 -> line.substring(0, at);
                case 1 -> line.substring(0, at) + line.substring(end);
                case 2 -> line.substring(0, at) + text + line.substring(at);
                case 3 -> line.substring(0, end) + line.substring(at);
                default -> line.substring(0, at) + rest.substring((int) (otherWhere * rest.length()));
            };
        }
    }

    /**
     * What a SIP stack prints for {@code text} as a URI's user part: RFC 3261's unreserved characters and a few marks
     * as they are, every other byte of its UTF-8 percent-escaped.
     */
    public static String escapedAsUriUser(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-_.!~*'()&=+$,;?/".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    /** An input as a failure message shows it: control characters escaped, cut at 2,000 characters. */
    private static String shown(Object input) {
        String text = String.valueOf(input);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 2_000; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.length() < text.length() ? out + "... (" + text.length() + " characters)" : out.toString();
    }
}
