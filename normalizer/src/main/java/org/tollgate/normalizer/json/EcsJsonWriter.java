package org.tollgate.normalizer.json;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.tollgate.normalizer.AsteriskEvent;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.normalizer.address.Endpoint;
import org.tollgate.normalizer.message.EventAction;
import org.tollgate.normalizer.message.Finding;
import org.tollgate.normalizer.prefix.LogPrefix;

/**
 * Writes events as nested Elastic Common Schema JSON, one object per event. Field names and values are those of
 * {@code docs/events.md}; Asterisk-only fields live under {@code asterisk.*}. Absent values are left out. One
 * instance per thread: {@link #writeLine} keeps a generator for the stream it last wrote to.
 */
public final class EcsJsonWriter {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private OutputStream lineTarget;
    private JsonGenerator lineGenerator;

    /** The event as one line of JSON (no line end). */
    public String toJson(ParseResult result) {
        SegmentedStringWriter text = new SegmentedStringWriter(JSON._getBufferRecycler());
        try {
            try (JsonGenerator json = JSON.createGenerator(text)) {
                write(result, json);
            }
            return text.getAndClear();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the event as UTF-8 JSON followed by a line feed. */
    public void writeLine(ParseResult result, OutputStream out) throws IOException {
        if (out != lineTarget) {
            // One generator per target, kept: creating one per line costs more than writing the line.
            lineTarget = out;
            lineGenerator = JSON.createGenerator(out, JsonEncoding.UTF8);
            lineGenerator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            lineGenerator.setRootValueSeparator(null);
        }
        write(result, lineGenerator);
        lineGenerator.writeRaw('\n');
        lineGenerator.flush();
    }

    public void write(ParseResult result, JsonGenerator json) throws IOException {
        if (result instanceof ParseResult.Parsed parsed) {
            write(parsed.event(), json);
        } else if (result instanceof ParseResult.Rejected rejected) {
            writeRejected(rejected, json);
        }
    }

    public void write(AsteriskEvent event, JsonGenerator json) throws IOException {
        Finding finding = event.finding();
        LogPrefix prefix = event.prefix();
        json.writeStartObject();
        json.writeStringField("@timestamp", IsoInstant.format(event.timestamp()));
        json.writeStringField("message", event.message());

        json.writeObjectFieldStart("event");
        json.writeStringField("kind", "event");
        json.writeStringField("module", "asterisk");
        if (finding != null) {
            EventAction action = finding.action();
            json.writeStringField("dataset", "asterisk.security");
            json.writeArrayFieldStart("category");
            json.writeString(action.category().ecs());
            json.writeEndArray();
            json.writeArrayFieldStart("type");
            json.writeString(action.type().ecs());
            json.writeEndArray();
            json.writeStringField("action", action.id());
            json.writeStringField("outcome", action.outcome().ecs());
            writeIfPresent(json, "reason", finding.reason());
            writeIfPresent(json, "provider", finding.provider());
        } else {
            json.writeStringField("dataset", "asterisk.log");
            if (event.packetDump()) {
                json.writeStringField("action", "packet-dump");
            }
        }
        json.writeStringField("original", event.original());
        json.writeNumberField("sequence", event.sequence());
        json.writeEndObject();

        writeLog(json, prefix, event.path());

        if (finding != null) {
            writeEndpoint(json, "source", finding.source());
            writeEndpoint(json, "destination", finding.destination());
            String transport = networkTransport(finding);
            String protocol = networkProtocol(finding.provider());
            if (transport != null || protocol != null) {
                json.writeObjectFieldStart("network");
                writeIfPresent(json, "transport", transport);
                writeIfPresent(json, "protocol", protocol);
                if (finding.source() != null) {
                    json.writeStringField("type", finding.source().isIpv6() ? "ipv6" : "ipv4");
                }
                json.writeEndObject();
            }
            if (finding.userName() != null) {
                json.writeObjectFieldStart("user");
                json.writeStringField("name", finding.userName());
                json.writeEndObject();
            }
        }
        if (prefix.pid() >= 0 || prefix.threadId() >= 0 || prefix.program() != null) {
            json.writeObjectFieldStart("process");
            if (prefix.pid() >= 0) {
                json.writeNumberField("pid", prefix.pid());
            }
            writeIfPresent(json, "name", prefix.program());
            if (prefix.threadId() >= 0) {
                json.writeObjectFieldStart("thread");
                json.writeNumberField("id", prefix.threadId());
                json.writeEndObject();
            }
            json.writeEndObject();
        }
        if (prefix.hostname() != null) {
            json.writeObjectFieldStart("host");
            json.writeStringField("hostname", prefix.hostname());
            json.writeEndObject();
        }
        if (finding != null && (finding.source() != null || finding.destination() != null || finding.userName() != null)) {
            json.writeObjectFieldStart("related");
            if (finding.source() != null || finding.destination() != null) {
                json.writeArrayFieldStart("ip");
                if (finding.source() != null) {
                    json.writeString(finding.source().ip());
                }
                if (finding.destination() != null && (finding.source() == null
                        || !finding.destination().ip().equals(finding.source().ip()))) {
                    json.writeString(finding.destination().ip());
                }
                json.writeEndArray();
            }
            if (finding.userName() != null) {
                json.writeArrayFieldStart("user");
                json.writeString(finding.userName());
                json.writeEndArray();
            }
            json.writeEndObject();
        }
        writeAsterisk(json, event, finding, prefix);
        json.writeEndObject();
    }

    private static void writeLog(JsonGenerator json, LogPrefix prefix, String path) throws IOException {
        if (prefix.level() == null && path == null && prefix.file() == null && prefix.function() == null) {
            return; // a packet-dump or bare line: no empty "log" object
        }
        json.writeObjectFieldStart("log");
        if (prefix.level() != null) {
            json.writeStringField("level", prefix.level().toLowerCase(Locale.ROOT));
        }
        if (path != null) {
            json.writeObjectFieldStart("file");
            json.writeStringField("path", path);
            json.writeEndObject();
        }
        if (prefix.file() != null || prefix.function() != null) {
            json.writeObjectFieldStart("origin");
            if (prefix.file() != null) {
                json.writeObjectFieldStart("file");
                json.writeStringField("name", prefix.file());
                if (prefix.fileLine() >= 0) {
                    json.writeNumberField("line", prefix.fileLine());
                }
                json.writeEndObject();
            }
            writeIfPresent(json, "function", prefix.function());
            json.writeEndObject();
        }
        json.writeEndObject();
    }

    private static void writeAsterisk(JsonGenerator json, AsteriskEvent event, Finding finding, LogPrefix prefix)
            throws IOException {
        json.writeObjectFieldStart("asterisk");
        json.writeStringField("layout", prefix.layout().id());
        writeIfPresent(json, "call_id", prefix.callId());
        if (finding != null) {
            json.writeBooleanField("source_trusted", finding.sourceTrusted());
            if (finding.origin() != null) {
                json.writeStringField("address_origin", finding.origin().id());
            }
            json.writeBooleanField("patched", finding.patched());
            writeIfPresent(json, "session_id", finding.sessionId());
            writeIfPresent(json, "security_event", finding.securityEvent());
            writeIfPresent(json, "service", finding.service());
            writeIfPresent(json, "version_family", finding.versionFamily());
            writeIfPresent(json, "transport", finding.transport());
            writeIfPresent(json, "sip_method", finding.sipMethod());
            writeIfPresent(json, "extension", finding.extension());
            writeIfPresent(json, "context", finding.context());
            writeIfPresent(json, "acl_name", finding.aclName());
            if (finding.attempts() >= 0) {
                json.writeNumberField("attempts", finding.attempts());
            }
        }
        if (event.packetDump()) {
            json.writeBooleanField("packet_dump", true);
        }
        if (event.truncated()) {
            json.writeBooleanField("truncated", true);
        }
        json.writeEndObject();
    }

    private static void writeRejected(ParseResult.Rejected rejected, JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("@timestamp", IsoInstant.format(rejected.timestamp()));
        json.writeObjectFieldStart("event");
        json.writeStringField("kind", "pipeline_error");
        json.writeStringField("module", "asterisk");
        json.writeStringField("dataset", "asterisk.log");
        json.writeStringField("original", rejected.raw());
        json.writeNumberField("sequence", rejected.sequence());
        json.writeEndObject();
        json.writeObjectFieldStart("error");
        json.writeStringField("type", rejected.reason().name().toLowerCase(Locale.ROOT));
        json.writeStringField("message", (rejected.path() == null ? "line " : rejected.path() + " line ")
                + rejected.sequence() + ": " + rejected.reason().text());
        json.writeEndObject();
        if (rejected.path() != null) {
            json.writeObjectFieldStart("log");
            json.writeObjectFieldStart("file");
            json.writeStringField("path", rejected.path());
            json.writeEndObject();
            json.writeEndObject();
        }
        json.writeEndObject();
    }

    private static void writeEndpoint(JsonGenerator json, String name, Endpoint endpoint) throws IOException {
        if (endpoint == null) {
            return;
        }
        json.writeObjectFieldStart(name);
        json.writeStringField("ip", endpoint.ip());
        json.writeStringField("address", endpoint.ip());
        if (endpoint.hasPort()) {
            json.writeNumberField("port", endpoint.port());
        }
        json.writeEndObject();
    }

    /** ECS {@code network.transport}: the IANA name of the layer-4 protocol. */
    private static String networkTransport(Finding finding) {
        String transport = finding.transport();
        if (transport != null) {
            return transport.equals("UDP") ? "udp" : "tcp";
        }
        return switch (finding.provider()) {
            case "chan_iax2" -> "udp";
            case "manager" -> "tcp";
            default -> null;
        };
    }

    /** ECS {@code network.protocol}: the application protocol. */
    private static String networkProtocol(String provider) {
        return switch (provider) {
            case "chan_sip", "res_pjsip", "pjproject", "dialplan" -> "sip";
            case "chan_iax2" -> "iax2";
            case "manager" -> "ami";
            default -> null;
        };
    }

    private static void writeIfPresent(JsonGenerator json, String name, String value) throws IOException {
        if (value != null) {
            json.writeStringField(name, value);
        }
    }
}
