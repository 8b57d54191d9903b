package org.tollgate.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import picocli.CommandLine;

/**
 * {@link PlainCheckLine} reads a check command line as picocli reads it, or leaves it to picocli: for every line of up
 * to three words out of those below (every option, its repeats and misspellings, zones good and bad, help and version
 * options, {@code --}, argument files, files) and for random longer ones. A reader that took a repeated option (which
 * picocli refuses) is caught, so the comparison is not vacuous.
 */
class PlainCheckLineProperties {

    private static final List<String> WORDS = List.of("--json", "--all", "--patched", "--zone", "--zone=UTC",
            "--zone=Europe/Paris", "--zone=Mars/Base", "--zone=", "--zone=@z", "UTC", "+02:00", "Mars/Base", "-",
            "a.log", "b c.log", "@args", "--", "-h", "--help", "-V", "--version", "--jsn", "-j", "--JSON", "check",
            "-x.log", "--zone=-1", "");

    /** What picocli makes of {@code args}: the check command it would run, or a word for what it does instead. */
    private static String picocli(String... args) {
        CommandLine line = TollgateCommand.commandLine(args).setCaseInsensitiveEnumValuesAllowed(true);
        CommandLine.ParseResult parsed;
        try {
            parsed = line.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            return "usage error";
        }
        if (parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested() || !parsed.hasSubcommand()) {
            return "not a check";
        }
        CommandLine.ParseResult sub = parsed.subcommand();
        if (sub.isUsageHelpRequested() || sub.isVersionHelpRequested()
                || !(sub.commandSpec().userObject() instanceof CheckCommand check)) {
            return "not a check";
        }
        return describe(check);
    }

    private static String describe(CheckCommand check) {
        return "check json=" + check.json + " all=" + check.all + " patched=" + check.logOptions.patched + " zone="
                + check.logOptions.zone + " files=" + check.files;
    }

    /** The lines {@code reader} reads otherwise than picocli; it may leave any line to picocli. */
    private static List<String> differences(Function<String[], CheckCommand> reader, Iterable<String[]> lines) {
        List<String> differences = new ArrayList<>();
        for (String[] args : lines) {
            CheckCommand plain = reader.apply(args);
            if (plain != null) {
                String byPicocli = picocli(args);
                if (!describe(plain).equals(byPicocli)) {
                    differences.add(Arrays.toString(args) + ": " + describe(plain) + " / picocli: " + byPicocli);
                }
            }
        }
        return differences;
    }

    /** Every {@code check} line of up to {@code words} words out of {@link #WORDS}. */
    private static List<String[]> shortLines(int words) {
        List<String[]> lines = new ArrayList<>();
        List<List<String>> tails = List.of(List.of());
        for (int n = 0; n < words; n++) {
            List<List<String>> longer = new ArrayList<>();
            for (List<String> tail : tails) {
                for (String word : WORDS) {
                    List<String> line = new ArrayList<>(tail);
                    line.add(word);
                    longer.add(line);
                }
            }
            tails = longer;
            for (List<String> tail : tails) {
                List<String> line = new ArrayList<>(List.of("check"));
                line.addAll(tail);
                lines.add(line.toArray(String[]::new));
            }
        }
        return lines;
    }

    @Example
    void everyShortLineIsReadAsPicocliReadsIt() {
        List<String[]> lines = shortLines(3);
        assertThat(differences(PlainCheckLine::read, lines)).isEmpty();
        // Not vacuous: most plain lines are read here.
        assertThat(lines.stream().filter(args -> PlainCheckLine.read(args) != null).count()).isGreaterThan(1000);
    }

    @Example
    void aReaderThatTakesARepeatedOptionIsCaught() {
        Function<String[], CheckCommand> repeatsTaken = args -> PlainCheckLine.read(
                new LinkedHashSet<>(Arrays.asList(args)).toArray(String[]::new));
        assertThat(differences(repeatsTaken, shortLines(3))).isNotEmpty();
    }

    @Example
    void theLinesUsersAndTheBenchesRunAreReadHere() {
        assertThat(PlainCheckLine.read("check", "--json", "--zone", "UTC", "big.log")).isNotNull();
        assertThat(PlainCheckLine.read("check", "--json", "--all", "a.log", "-", "b.log")).isNotNull();
        assertThat(PlainCheckLine.read("check", "--patched", "--zone=Europe/Berlin", "/var/log/asterisk/full"))
                .isNotNull();
        assertThat(PlainCheckLine.read("check", "--help")).isNull();
        assertThat(PlainCheckLine.read("check")).isNull();
    }

    @Property(tries = 300)
    void longerLinesAreReadAsPicocliReadsThem(@ForAll("lines") List<String> words) {
        List<String> line = new ArrayList<>(List.of("check"));
        line.addAll(words);
        assertThat(differences(PlainCheckLine::read, List.<String[]>of(line.toArray(String[]::new)))).isEmpty();
    }

    @Provide
    Arbitrary<List<String>> lines() {
        return Arbitraries.of(WORDS).list().ofMinSize(4).ofMaxSize(9);
    }
}
