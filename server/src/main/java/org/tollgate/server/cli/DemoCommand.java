package org.tollgate.server.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.tollgate.server.config.TollgateConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tollgate demo}: the whole service on the bundled sample log, with bans only logged (the {@code log} action)
 * and the state in an embedded SQLite file under {@code --dir}. The sample's stamps are moved to the last minutes, so
 * the jails see a live attack rather than an old one.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the service once over the bundled sample log: events and bans are printed, nothing touches",
            "the firewall (the log action), state goes to an embedded SQLite file."})
final class DemoCommand implements Callable<Integer> {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @Option(names = "--sample", paramLabel = "FILE", description = "The Asterisk log to use (default: ${DEFAULT-VALUE}).")
    Path sample = home().resolve("samples").resolve("asterisk-full.log");

    @Option(names = "--config", paramLabel = "FILE", description = "The jails (default: ${DEFAULT-VALUE}).")
    Path config = home().resolve("config").resolve("demo.yaml");

    @Option(names = "--dir", paramLabel = "DIR", description = "Where the demo's log, events and state go (default: ${DEFAULT-VALUE}).")
    Path dir = home().resolve("target").resolve("demo");

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(dir);
        Path log = dir.resolve("full");
        Path events = dir.resolve("events.jsonl");
        Path state = dir.resolve("state.db");
        Files.deleteIfExists(log);
        Files.deleteIfExists(events);
        Files.deleteIfExists(state);
        Files.writeString(log, String.join("\n", recent(Files.readAllLines(sample, StandardCharsets.UTF_8))) + "\n");
        String jails = Files.readString(config, StandardCharsets.UTF_8);
        String yaml = "sources:\n  - type: file\n    path: " + log.toAbsolutePath() + "\n    zone: UTC\n"
                + "state:\n  path: " + state.toAbsolutePath() + "\n"
                + "outputs:\n  - type: jsonl\n    path: " + events.toAbsolutePath() + "\n    events: security\n"
                + jails;
        TollgateConfig file = TollgateConfig.parse(yaml, config.toString());
        System.err.printf("tollgate demo: %s -> events in %s, state in %s%n", sample, events, state);
        int exit = RunCommand.run(file, false, true, System.err);
        System.err.printf("tollgate demo: %d security events written to %s%n",
                Files.exists(events) ? Files.readAllLines(events).size() : 0, events);
        return exit;
    }

    /** The sample's lines with their {@code [yyyy-MM-dd HH:mm:ss} stamps moved so that the last is now. */
    static List<String> recent(List<String> lines) {
        LocalDateTime last = null;
        for (String line : lines) {
            LocalDateTime stamp = stampOf(line);
            if (stamp != null) {
                last = stamp;
            }
        }
        List<String> out = new ArrayList<>(lines.size());
        if (last == null) {
            return lines;
        }
        long shift = Instant.now().getEpochSecond() - last.toEpochSecond(ZoneOffset.UTC);
        for (String line : lines) {
            LocalDateTime stamp = stampOf(line);
            out.add(stamp == null ? line : "[" + STAMP.format(stamp.plusSeconds(shift)) + line.substring(20));
        }
        return out;
    }

    private static LocalDateTime stampOf(String line) {
        if (line.length() < 21 || line.charAt(0) != '[') {
            return null;
        }
        try {
            return LocalDateTime.parse(line.substring(1, 20), STAMP);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** The project directory: where the launcher runs from ({@code TOLLGATE_HOME}), else the working directory. */
    private static Path home() {
        String home = System.getenv("TOLLGATE_HOME");
        return home == null || home.isBlank() ? Path.of("") : Path.of(home);
    }
}
