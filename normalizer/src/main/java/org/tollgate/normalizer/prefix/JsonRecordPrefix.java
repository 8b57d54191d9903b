package org.tollgate.normalizer.prefix;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.tollgate.normalizer.LineCleaner;
import org.tollgate.normalizer.text.Digits;

/**
 * The prefix of a line that is a JSON record ({@link PrefixParser} hands it every line in braces): Asterisk's
 * {@code [json]} formatter, journald's and Docker's records. Apart from the parser because it reads a whole record
 * with a JSON parser, not the fixed anchors of the text layouts; a message it finds inside is scanned by the parser.
 */
final class JsonRecordPrefix {

    /**
     * Made when the first line in braces comes (this class is loaded then): most logs have none, and making it costs
     * a check's start 40 ms.
     */
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private JsonRecordPrefix() {
    }

    /**
     * Asterisk's {@code [json]} formatter, {@code journalctl -o json} and Docker's json-file log driver
     * ({@code {"log":"…\n","stream":"stdout","time":"…Z"}}: Asterisk's console or log output inside a container).
     * Anything else in braces is a bare line: false, and the caller scans it as one. A line carried in a record is
     * scanned by {@code lines}.
     */
    static boolean scan(String line, PrefixScan out, PrefixParser lines) {
        String message = null;
        String hostname = null;
        String timestamp = null;
        String realtime = null;
        String level = null;
        String file = null;
        String function = null;
        String program = null;
        String callId = null;
        long lwp = -1;
        long pid = -1;
        int fileLine = -1;
        boolean asterisk = false;
        boolean journald = false;
        boolean docker = false;
        String dockerTime = null;
        try (JsonParser parser = FACTORY.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            String section = null;
            int depth = 1;
            JsonToken token;
            while ((token = parser.nextToken()) != null && depth > 0) {
                if (token == JsonToken.END_OBJECT) {
                    depth--;
                    section = depth == 1 ? null : section;
                    continue;
                }
                if (token != JsonToken.FIELD_NAME) {
                    continue;
                }
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == JsonToken.START_OBJECT) {
                    depth++;
                    if (depth == 2) {
                        section = name;
                    }
                    continue;
                }
                if (value == JsonToken.START_ARRAY) {
                    if ("MESSAGE".equals(name) && depth == 1) {
                        message = readByteArray(parser);
                        journald = true;
                    } else {
                        parser.skipChildren();
                    }
                    continue;
                }
                String text = value == JsonToken.VALUE_NULL ? null : parser.getValueAsString();
                if (depth == 1) {
                    switch (name) {
                        case "MESSAGE" -> { message = text; journald = true; }
                        case "__REALTIME_TIMESTAMP" -> { realtime = text; journald = true; }
                        case "_HOSTNAME" -> hostname = text;
                        case "_PID" -> pid = text == null ? -1 : Digits.parseLong(text, 0, text.length());
                        case "SYSLOG_IDENTIFIER" -> program = text;
                        case "hostname" -> hostname = hostname == null ? text : hostname;
                        case "timestamp" -> { timestamp = text; asterisk = true; }
                        case "log" -> { message = text; docker = true; }
                        case "time" -> dockerTime = text;
                        default -> { }
                    }
                } else if ("identifiers".equals(section)) {
                    if ("lwp".equals(name)) {
                        lwp = text == null ? -1 : Digits.parseLong(text, 0, text.length());
                    } else if ("callid".equals(name) && text != null && !text.isEmpty()) {
                        callId = text;
                    }
                } else if ("logmsg".equals(section)) {
                    asterisk = true;
                    switch (name) {
                        case "level" -> level = text;
                        case "message" -> message = text;
                        case "filename" -> file = text;
                        case "function" -> function = text;
                        case "line" -> fileLine = text == null ? -1 : (int) Digits.parseLong(text, 0, text.length());
                        default -> { }
                    }
                }
            }
        } catch (IOException | RuntimeException malformed) {
            return false;
        }
        if (message == null) {
            return false;
        }
        // The record's own text was cleaned as a line; the message inside it (a coloured console line journald
        // captured, a control byte a sender put in a header) is cleaned the same way.
        message = LineCleaner.clean(message);
        if (docker && !journald && !asterisk) {
            // The log value is a whole line Asterisk wrote to the container's stdout or stderr.
            scanWrapped(message, Layout.DOCKER_JSON, out, lines);
            Instant captured = dockerTime == null ? null : parseInstant(dockerTime);
            if (captured != null) {
                out.stampSource = null;
                out.instant = captured;
            }
            return true;
        }
        if (journald && !asterisk) {
            // The MESSAGE is what Asterisk handed to syslog (or, for console capture, a whole console line).
            scanWrapped(message, Layout.JOURNALD_JSON, out, lines);
            if (hostname != null) {
                out.hostname = hostname;
            }
            if (program != null) {
                out.program = program;
            }
            if (pid >= 0) {
                out.pid = pid;
            }
            if (realtime != null) {
                long micros = Digits.parseLong(realtime, 0, realtime.length());
                if (micros > 0) {
                    out.stampSource = null;
                    out.instant = Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1_000);
                }
            }
            return true;
        }
        out.reset(message);
        out.layout = Layout.ASTERISK_JSON;
        out.messageStart = 0;
        out.level = level == null ? null : level.toUpperCase(java.util.Locale.ROOT);
        out.threadId = lwp;
        out.fileString = file;
        out.fileLine = fileLine;
        out.functionString = function;
        out.hostname = hostname;
        if (timestamp != null) {
            out.stampSource = timestamp;
            out.stampFrom = 0;
            out.stampTo = timestamp.length();
        }
        out.jsonCallId = callId;
        return true;
    }

    /** Scans a line carried inside a record of {@code layout}; its layout is the record's. */
    private static void scanWrapped(String message, Layout layout, PrefixScan out, PrefixParser lines) {
        lines.scan(message, out);
        if (out.layout == Layout.BARE && out.level == null) {
            out.messageStart = 0;
        }
        out.layout = layout;
    }

    /** An RFC 3339 instant with a zone ({@code Z} or an offset), or null. */
    private static Instant parseInstant(String text) {
        try {
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static String readByteArray(JsonParser parser) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY && token != null) {
            if (token == JsonToken.VALUE_NUMBER_INT) {
                bytes.write(parser.getIntValue());
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
