package org.tollgate.normalizer.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link StampResolver#resolve} takes a stamp that is one of the last few it read, or differs from one only in the
 * digits of its fraction of a second, as that instant or that second with the new fraction, without reading it: the
 * same instants as reading every stamp in full (the parser, then the year context), as the resolver did before,
 * whatever the stamps' layout, their order (seconds, days and months that go back and forth, the turn of a year,
 * daylight saving time), layouts interleaved as in a log that mixes them, and stamps in between that are not stamps or
 * whose offset no clock uses.
 */
class StampResolverProperties {

    private static final Instant REFERENCE = Instant.parse("2026-01-20T00:00:00Z");
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Oct", "Nov", "Dec"};
    private static final int[] MONTH_NUMBERS = {1, 2, 3, 10, 11, 12};

    /** The resolver as it was: each stamp parsed and resolved unless its text is the last one's exactly. */
    private static final class ReadInFull {
        private final StampResolver context;
        private String lastText;
        private Instant lastInstant;

        ReadInFull(ZoneId zone) {
            context = new StampResolver(zone, REFERENCE);
        }

        Instant resolve(String text) {
            if (text.equals(lastText)) {
                return lastInstant;
            }
            StampFields fields = StampParser.parse(text, 0, text.length());
            if (fields == null) {
                return null;
            }
            Instant instant = context.toInstant(fields);
            if (instant != null) {
                lastText = text;
                lastInstant = instant;
            }
            return instant;
        }
    }

    @Provide
    Arbitrary<String> stamps() {
        Arbitrary<Integer> month = Arbitraries.integers().between(0, MONTHS.length - 1);
        Arbitrary<Integer> day = Arbitraries.of(1, 2, 8, 25, 28, 29, 30, 31);
        Arbitrary<Integer> hour = Arbitraries.of(0, 1, 2, 3, 23);
        Arbitrary<Integer> minute = Arbitraries.of(0, 59);
        Arbitrary<Integer> second = Arbitraries.of(0, 1, 59);
        Arbitrary<String> fraction = Arbitraries.strings().numeric().ofMinLength(0).ofMaxLength(11)
                .map(digits -> digits.isEmpty() ? "" : "." + digits);
        Arbitrary<String> offset = Arbitraries.of("", "", "", "Z", "+01:00", "-05:30", "+18:30", " UTC");
        Arbitrary<Integer> layout = Arbitraries.integers().between(0, 5);
        return Combinators.combine(List.of(month, day, hour, minute, second, layout, Arbitraries.of(2025, 2026, 2027)))
                .as(values -> values)
                .flatMap(v -> Combinators.combine(fraction, offset).as((frac, zone) -> {
                    int m = v.get(0);
                    String time = String.format("%02d:%02d:%02d", v.get(2), v.get(3), v.get(4)) + frac;
                    return switch (v.get(5)) {
                        case 0 -> String.format("%s %2d %s", MONTHS[m], v.get(1), time);
                        case 1 -> String.format("%d-%02d-%02d %s%s", v.get(6), MONTH_NUMBERS[m], v.get(1), time, zone);
                        case 2 -> String.format("%d-%02d-%02dT%s%s", v.get(6), MONTH_NUMBERS[m], v.get(1), time, zone);
                        case 3 -> "17689" + String.format("%05d", v.get(2) * 100 + v.get(4)) + frac;
                        case 4 -> "not a stamp " + time;
                        default -> String.format("%d/%02d/%02d %s", v.get(6), MONTH_NUMBERS[m], v.get(1), time);
                    };
                }));
    }

    @Provide
    Arbitrary<List<String>> runs() {
        // Runs of stamps that differ from the one before in one place: the fraction's digits (one second of a busy
        // log), the offset, or another digit (the next second, minute, day), between jumps to new stamps.
        return stamps().flatMap(stamp -> Arbitraries.integers().between(0, 2)
                .flatMap(kind -> Arbitraries.integers().between(0, 1_000_000).map(seed -> List.of(kind, seed)))
                .list().ofMaxSize(8).map(changes -> {
                    List<String> run = new ArrayList<>();
                    String now = stamp;
                    run.add(now);
                    for (List<Integer> change : changes) {
                        now = changed(now, change.get(0), change.get(1));
                        run.add(now);
                    }
                    return run;
                })).list().ofMinSize(1).ofMaxSize(20).map(runs -> runs.stream().flatMap(List::stream).toList())
                .flatMap(flat -> Arbitraries.integers().between(0, 1_000_000).map(seed -> revisited(flat, seed)));
    }

    /** Now and then a stamp of two before again with other fraction digits: back to a second after a stamp between. */
    private static List<String> revisited(List<String> stamps, int seed) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < stamps.size(); i++) {
            out.add(stamps.get(i));
            if (i >= 2 && (seed + i * 7) % 3 == 0) {
                out.add(changed(stamps.get(i - 2), 0, seed + i));
            }
        }
        return out;
    }

    private static String changed(String stamp, int kind, int seed) {
        char[] chars = stamp.toCharArray();
        int dot = stamp.lastIndexOf('.');
        if (kind == 0 && dot >= 0) {
            for (int i = dot + 1, s = seed; i < chars.length && Character.isDigit(chars[i]); i++, s /= 7) {
                chars[i] = (char) ('0' + (s + i) % 10);
            }
            return new String(chars);
        }
        if (kind == 1) {
            for (String[] same : new String[][] {{"+01:00", "-05:30", "+18:30", "+00:00"}, {"Z", "z"}}) {
                for (String offset : same) {
                    if (stamp.endsWith(offset)) {
                        return stamp.substring(0, stamp.length() - offset.length()) + same[seed % same.length];
                    }
                }
            }
        }
        int digits = 0;
        for (char c : chars) {
            digits += Character.isDigit(c) ? 1 : 0;
        }
        int pick = seed % Math.max(1, digits);
        for (int i = 0; i < chars.length; i++) {
            if (Character.isDigit(chars[i]) && pick-- == 0) {
                chars[i] = (char) ('0' + (seed / 10) % 10);
            }
        }
        return new String(chars);
    }

    @Property(tries = 2000)
    void aStampInTheLastSecondResolvesAsReadInFull(@ForAll("runs") List<String> stamps,
                                                   @ForAll("zones") ZoneId zone) {
        // Inside a longer line, as the prefix parser hands it over.
        assertResolvesAsReadInFull(stamps, zone, "[", "] NOTICE");
    }

    private static void assertResolvesAsReadInFull(List<String> stamps, ZoneId zone, String before, String after) {
        StampResolver resolver = new StampResolver(zone, REFERENCE);
        ReadInFull full = new ReadInFull(zone);
        for (String stamp : stamps) {
            String line = before + stamp + after;
            assertThat(resolver.resolve(line, before.length(), before.length() + stamp.length())).as(stamp)
                    .isEqualTo(full.resolve(stamp));
        }
    }

    /**
     * Two or three streams of runs (each its own layouts, its own year context) interleaved line by line, as a log
     * writes the file's own lines between syslog's, with stamps of up to {@value StampResolver#SLOTS} + 2 before read
     * again: the kept stamps are reached from behind, some after the year context moved.
     */
    @Provide
    Arbitrary<List<String>> interleaved() {
        return runs().list().ofMinSize(2).ofMaxSize(3).flatMap(streams -> Arbitraries.integers().between(0, 1_000_000)
                .map(seed -> {
                    List<String> out = new ArrayList<>();
                    int[] next = new int[streams.size()];
                    for (int step = 0, s = seed; ; step++, s = s * 31 + 7) {
                        int pick = Math.floorMod(s, streams.size());
                        int tried = 0;
                        while (tried < streams.size() && next[pick] >= streams.get(pick).size()) {
                            pick = (pick + 1) % streams.size();
                            tried++;
                        }
                        if (tried == streams.size()) {
                            return out;
                        }
                        out.add(streams.get(pick).get(next[pick]++));
                        int back = Math.floorMod(s >> 8, StampResolver.SLOTS + 3);
                        if (back > 0 && back < out.size() && step % 3 == 0) {
                            out.add(changed(out.get(out.size() - 1 - back), 0, s >>> 4));
                        }
                    }
                }));
    }

    @Property(tries = 400)
    void interleavedLayoutsResolveAsReadInFull(@ForAll("interleaved") List<String> stamps,
                                               @ForAll("zones") ZoneId zone) {
        assertResolvesAsReadInFull(stamps, zone, "<13>", " pbx1 asterisk[1]: ");
    }

    /**
     * Stamps resolved from a plain line's bytes ({@link StampResolver#resolve(String, int, int, byte[], int)}) are the
     * instants resolved from the text, whichever stamps come from bytes and which from text (a line that is not plain
     * is read as text between plain ones), with a character of a stamp now and then changed to one a sender might
     * put there (a letter or a blank in the fraction, a colon, a non-ASCII digit).
     */
    @Property(tries = 600)
    void stampsReadFromBytesResolveAsFromText(@ForAll("interleaved") List<String> stamps, @ForAll("zones") ZoneId zone,
                                             @ForAll List<Boolean> fromBytes, @ForAll int seed) {
        StampResolver text = new StampResolver(zone, REFERENCE);
        StampResolver bytes = new StampResolver(zone, REFERENCE);
        String before = "x] [";
        for (int i = 0; i < stamps.size(); i++) {
            String stamp = hostile(stamps.get(i), seed + i);
            String line = "[" + stamp + "] NOTICE";
            int to = 1 + stamp.length();
            Instant expected = text.resolve(line, 1, to);
            boolean plain = stamp.chars().allMatch(c -> c < 0x80);
            Instant read = plain && (i >= fromBytes.size() || fromBytes.get(i))
                    ? bytes.resolve(line, 1, to, (before + line + "\n[").getBytes(StandardCharsets.ISO_8859_1),
                            before.length())
                    : bytes.resolve(line, 1, to);
            assertThat(read).as("%s (%d)", stamp, i).isEqualTo(expected);
        }
    }

    /** Now and then one character of {@code stamp} changed to one that no stamp has there. */
    private static String hostile(String stamp, int seed) {
        if (Math.floorMod(seed, 5) != 0 || stamp.isEmpty()) {
            return stamp;
        }
        char[] chars = stamp.toCharArray();
        char[] odd = {'x', ' ', ':', '\u0663', '.', '9'};
        chars[Math.floorMod(seed * 31, chars.length)] = odd[Math.floorMod(seed >> 3, odd.length)];
        return new String(chars);
    }

    @Provide
    Arbitrary<ZoneId> zones() {
        return Arbitraries.of(ZoneId.of("UTC"), ZoneId.of("Europe/Berlin"), ZoneId.of("America/New_York"));
    }
}
