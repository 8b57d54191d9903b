package org.tollgate.server.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The attacks the service tests write into an Asterisk log: PJSIP "Failed to authenticate" lines stamped now (UTC),
 * each with a call id that names it in the events, kept in the order written; and the JSON lines the service writes
 * its events to, read back.
 */
final class FailureLog {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private final String prefix;
    private final List<String> written = new ArrayList<>();

    /** @param prefix the call ids' prefix ({@code e2e-1}, {@code e2e-2}, …) */
    FailureLog(String prefix) {
        this.prefix = prefix;
    }

    /** Appends one failure from {@code ip} to {@code file} (created if need be). */
    void write(Path file, String ip) throws IOException {
        String callId = prefix + "-" + (written.size() + 1);
        written.add(callId);
        Files.writeString(file, line(ip, callId), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** The call ids written so far, in order. */
    List<String> callIds() {
        return List.copyOf(written);
    }

    int count() {
        return written.size();
    }

    /** A PJSIP failure from {@code ip} (IPv6 in brackets), stamped now, ending in a line feed. */
    static String line(String ip, String callId) {
        return "[" + stamp() + "] NOTICE[2290] res_pjsip/pjsip_distributor.c: Request 'REGISTER' from "
                + "'<sip:100@203.0.113.5>' failed for '" + (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip)
                + ":5060' (callid: " + callId + ") - Failed to authenticate\n";
    }

    /** Now, as Asterisk stamps its lines (UTC). */
    static String stamp() {
        return STAMP.format(LocalDateTime.now(ZoneOffset.UTC));
    }

    /** The complete events in a JSON-lines file (a line still being written is not one yet); none while it is absent. */
    static List<JsonNode> events(Path jsonl) {
        try {
            if (!Files.exists(jsonl)) {
                return List.of();
            }
            List<JsonNode> nodes = new ArrayList<>();
            for (String line : Files.readAllLines(jsonl)) {
                if (line.endsWith("}")) {
                    nodes.add(JSON.readTree(line));
                }
            }
            return nodes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The call id in an event's message, or the whole message when it names none. */
    static String callId(JsonNode event) {
        String message = event.path("message").asText();
        int start = message.indexOf("(callid: ");
        int end = message.indexOf(')', start);
        return start < 0 || end < 0 ? message : message.substring(start + "(callid: ".length(), end);
    }
}
