package org.tollgate.server.output;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.tollgate.server.config.OutputSettings;

/**
 * Events as RFC 5424 syslog messages: {@code <PRI>1 TIMESTAMP HOSTNAME tollgate PROCID - - JSON}, the ECS JSON of the
 * event as MSG (no BOM, so a collector can parse it as JSON). TIMESTAMP is when the message was sent; the event's own
 * time is its {@code @timestamp}. The severity comes from the event: see {@link #severity(String, String)}.
 */
public final class SyslogFormat {

    /** Facility names and codes (RFC 5424 section 6.2.1), named as rsyslog names them. */
    /** Facility names (RFC 5424, as syslog.conf spells them) to their codes. */
    public static final Map<String, Integer> FACILITIES = OutputSettings.SyslogOutput.FACILITIES;

    public static final int EMERGENCY = 0;
    public static final int ALERT = 1;
    public static final int CRITICAL = 2;
    public static final int ERROR = 3;
    public static final int WARNING = 4;
    public static final int NOTICE = 5;
    public static final int INFORMATIONAL = 6;
    public static final int DEBUG = 7;

    static final String APP_NAME = "tollgate";
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);
    private static final byte[] OUTCOME = "\"outcome\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LEVEL = "\"level\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_VALUE = 16;

    private final int facility;
    private final byte[] afterTimestamp;
    private final InstantSource clock;

    /**
     * @param facility a code from {@link #FACILITIES}
     * @param hostname this host's name as the collector should show it; cut to RFC 5424's printable ASCII
     * @param pid      the PROCID
     */
    public SyslogFormat(int facility, String hostname, long pid, InstantSource clock) {
        if (facility < 0 || facility > 23) {
            throw new IllegalArgumentException("facility must be 0 to 23, was " + facility);
        }
        this.facility = facility;
        this.afterTimestamp = (" " + headerField(hostname, 255) + " " + APP_NAME + " " + pid + " - - ")
                .getBytes(StandardCharsets.US_ASCII);
        this.clock = clock;
    }

    /** The whole message for one event, given as its ECS JSON. */
    public Buffer message(Buffer json) {
        int priority = facility * 8 + severity(json);
        return Buffer.buffer(json.length() + 96)
                .appendByte((byte) '<').appendString(Integer.toString(priority)).appendString(">1 ")
                .appendString(TIMESTAMP.format(clock.instant()))
                .appendBytes(afterTimestamp)
                .appendBuffer(json);
    }

    /** RFC 6587 octet counting, the framing for TCP (and TLS, RFC 5425): {@code MSG-LEN SP SYSLOG-MSG}. */
    public static Buffer octetCounted(Buffer message) {
        String length = Integer.toString(message.length());
        return Buffer.buffer(length.length() + 1 + message.length())
                .appendString(length).appendByte((byte) ' ').appendBuffer(message);
    }

    /**
     * The message cut to at most {@code max} bytes, never inside a UTF-8 sequence; itself when it fits. A cut event
     * is no longer valid JSON, so the collector sees that it was cut.
     */
    public static Buffer cut(Buffer message, int max) {
        if (message.length() <= max) {
            return message;
        }
        int end = max;
        // Step back over continuation bytes (10xxxxxx) to the start of the sequence that did not fit.
        while (end > 0 && (message.getByte(end) & 0xC0) == 0x80) {
            end--;
        }
        return message.getBuffer(0, end);
    }

    /**
     * The severity of an event from its ECS {@code event.outcome} and {@code log.level}: the level as syslog names
     * it (Asterisk's ERROR is error, WARNING warning, NOTICE and SECURITY notice, VERBOSE informational, DEBUG and
     * DTMF debug; informational when unknown or absent), and a failure (a failed login, a refused call) at least a
     * warning.
     */
    public static int severity(String outcome, String level) {
        int severity = level == null ? INFORMATIONAL : switch (level) {
            case "emerg", "emergency", "panic" -> EMERGENCY;
            case "alert" -> ALERT;
            case "crit", "critical" -> CRITICAL;
            case "err", "error" -> ERROR;
            case "warn", "warning" -> WARNING;
            case "notice", "security" -> NOTICE;
            case "debug", "dtmf", "trace" -> DEBUG;
            default -> INFORMATIONAL;
        };
        return "failure".equals(outcome) ? Math.min(severity, WARNING) : severity;
    }

    /**
     * The severity of an event given as the compact ECS JSON of {@code EcsJsonWriter}. Reads the two values by their
     * anchors rather than parsing the event: inside a JSON string every quote is escaped, so {@code "outcome":"} can
     * only be the key itself, never text an attacker put into a logged line.
     */
    static int severity(Buffer json) {
        return severity(valueAfter(json, OUTCOME), valueAfter(json, LEVEL));
    }

    private static String valueAfter(Buffer json, byte[] anchor) {
        int at = indexOf(json, anchor);
        if (at < 0) {
            return null;
        }
        int start = at + anchor.length;
        int limit = Math.min(json.length(), start + MAX_VALUE);
        for (int i = start; i < limit; i++) {
            if (json.getByte(i) == '"') {
                return json.getString(start, i, "US-ASCII");
            }
        }
        return null;
    }

    private static int indexOf(Buffer haystack, byte[] needle) {
        int last = haystack.length() - needle.length;
        outer:
        for (int i = 0; i <= last; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack.getByte(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** A header field as RFC 5424 allows it: printable US-ASCII without spaces, at most {@code max}, else "-". */
    static String headerField(String value, int max) {
        if (value == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), max));
        for (int i = 0; i < value.length() && out.length() < max; i++) {
            char c = value.charAt(i);
            if (c >= 33 && c <= 126) {
                out.append(c);
            }
        }
        return out.length() == 0 ? "-" : out.toString();
    }
}
