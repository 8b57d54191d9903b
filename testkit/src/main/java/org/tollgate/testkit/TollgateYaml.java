package org.tollgate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * tollgate.yaml for a test that runs the service following one log file, written the way an operator would write it,
 * so that each test says only what is particular to it:
 *
 * <pre>{@code
 * TollgateYaml.following(log).state(dir.resolve("state.db")).jsonl(events, "security").api(port)
 *         .sipAuth(3).text();
 * }</pre>
 *
 * The log's stamps are read in UTC. Sections come out in the order sources, state, outputs, api, reconcile, jails;
 * each jail's keys as given.
 */
public final class TollgateYaml {

    private final StringBuilder source = new StringBuilder();
    private String state = "";
    private String outputs = "";
    private String api = "";
    private String reconcile = "";
    private final StringBuilder jails = new StringBuilder();

    private TollgateYaml(Path log) {
        source.append("sources:\n  - type: file\n    path: ").append(log).append("\n    zone: UTC\n");
    }

    /** A service that follows {@code log} from its end, as {@code tollgate run} does by default. */
    public static TollgateYaml following(Path log) {
        return new TollgateYaml(log);
    }

    /** Reads the log from its first line instead of its end. */
    public TollgateYaml fromTheBeginning() {
        source.append("    start: beginning\n");
        return this;
    }

    /** Keeps the state (bans, read positions) in {@code file}. */
    public TollgateYaml state(Path file) {
        state = "state:\n  path: " + file + "\n";
        return this;
    }

    /** Keeps the state in memory only. */
    public TollgateYaml stateInMemory() {
        state = "state:\n  path: \":memory:\"\n";
        return this;
    }

    /**
     * Writes the events to {@code events} as JSON lines.
     *
     * @param kind {@code security} or {@code all}, or null for the output's default
     */
    public TollgateYaml jsonl(Path events, String kind) {
        outputs = "outputs:\n  - type: jsonl\n    path: " + events + "\n" + (kind == null ? "" : "    events: " + kind + "\n");
        return this;
    }

    /** Sends every event as JSON lines over TCP to {@code 127.0.0.1:port}, at most {@code queue} waiting. */
    public TollgateYaml tcpJson(int port, int queue) {
        outputs = "outputs:\n  - type: tcp-json\n    host: 127.0.0.1\n    port: " + port + "\n    events: all\n    queue: "
                + queue + "\n";
        return this;
    }

    /** The admin API on {@code 127.0.0.1:port}, reads without a token. */
    public TollgateYaml api(int port) {
        api = "api:\n  listen: 127.0.0.1:" + port + "\n";
        return this;
    }

    /** The admin API on {@code 127.0.0.1:port}, changes with the token in {@code tokenFile}. */
    public TollgateYaml api(int port, Path tokenFile) {
        api = "api:\n  listen: 127.0.0.1:" + port + "\n  token_file: " + tokenFile + "\n";
        return this;
    }

    /** How often the firewall is checked for lost bans. */
    public TollgateYaml reconcile(String interval) {
        reconcile = "reconcile:\n  interval: " + interval + "\n";
        return this;
    }

    /**
     * A jail with the keys given, one YAML line each, indented under it as written ({@code "actions:"},
     * {@code "  - type: log"}).
     */
    public TollgateYaml jail(String name, String... lines) {
        jails.append("  ").append(name).append(":\n");
        for (String line : lines) {
            jails.append("    ").append(line).append('\n');
        }
        return this;
    }

    /**
     * Jail sip-auth banning after {@code maxretry} failures in 10 minutes for an hour, with ignoreself off (any address
     * can be banned), through the {@code actions} given (YAML flow mappings, {@code "{type: ipset, set: x}"}), or the
     * log action alone.
     */
    public TollgateYaml sipAuth(int maxretry, String... actions) {
        return sipAuth(Integer.toString(maxretry), actions);
    }

    /** As {@link #sipAuth(int, String...)}, maxretry as written (a test of a bad value, say). */
    public TollgateYaml sipAuth(String maxretry, String... actions) {
        String[] lines = new String[5 + Math.max(1, actions.length)];
        lines[0] = "maxretry: " + maxretry;
        lines[1] = "findtime: 10m";
        lines[2] = "bantime: 1h";
        lines[3] = "ignoreself: false";
        lines[4] = "actions:";
        if (actions.length == 0) {
            lines[5] = "  - type: log";
        }
        for (int i = 0; i < actions.length; i++) {
            lines[5 + i] = "  - " + actions[i];
        }
        return jail("sip-auth", lines);
    }

    /** The whole file. */
    public String text() {
        return source + state + outputs + api + reconcile + (jails.isEmpty() ? "" : "jails:\n" + jails);
    }

    /** Writes {@link #text()} to {@code file}; returns it. */
    public Path write(Path file) {
        try {
            return Files.writeString(file, text());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return text();
    }
}
