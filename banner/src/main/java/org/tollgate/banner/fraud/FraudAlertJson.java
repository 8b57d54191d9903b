package org.tollgate.banner.fraud;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * A {@link FraudAlert} as one line of ECS-shaped JSON, what {@code tollgate.bans} carries and
 * {@code tollgate replay --json} prints:
 *
 * <pre>{"@timestamp":"…","event":{"kind":"alert","action":"fraud-alert","category":["intrusion_detection"],
 * "type":["denied"],"reason":"6 calls to international, premium, satellite in 10m; max 5"},
 * "user":{"name":"PJSIP/1001"},"source":{"ip":"203.0.113.50"},"tollgate":{"jail":"office","fraud":{"per":"endpoint",
 * "key":"PJSIP/1001","limit":"calls","count":6,"max":5,"number":"+44…","destination_class":"international",
 * "channels":[…],"until":"…","source_trusted":true}}}</pre>
 */
public final class FraudAlertJson {

    /** {@code event.action} of a fraud alert. */
    public static final String ACTION = "fraud-alert";
    private static final JsonFactory FACTORY = new JsonFactory();

    private FraudAlertJson() {
    }

    /** The alert as one JSON object, without a line end. */
    public static String of(FraudAlert alert) {
        StringWriter text = new StringWriter(512);
        try (JsonGenerator json = FACTORY.createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField("@timestamp", alert.at().toString());
            json.writeObjectFieldStart("event");
            json.writeStringField("kind", "alert");
            json.writeStringField("action", ACTION);
            json.writeArrayFieldStart("category");
            json.writeString("intrusion_detection");
            json.writeEndArray();
            json.writeArrayFieldStart("type");
            json.writeString("denied");
            json.writeEndArray();
            json.writeStringField("reason", alert.reason());
            json.writeEndObject();
            json.writeObjectFieldStart("user");
            json.writeStringField("name", alert.endpoint());
            json.writeEndObject();
            if (alert.sourceIp() != null) {
                json.writeObjectFieldStart("source");
                json.writeStringField("ip", alert.sourceIp());
                json.writeEndObject();
            }
            json.writeObjectFieldStart("tollgate");
            json.writeStringField("jail", alert.jail());
            json.writeObjectFieldStart("fraud");
            json.writeStringField("per", alert.per().configName());
            json.writeStringField("key", alert.key());
            json.writeStringField("limit", alert.limit());
            json.writeNumberField("count", alert.count());
            json.writeNumberField("max", alert.max());
            json.writeStringField("number", alert.number());
            json.writeStringField("destination_class", alert.destinationClass());
            json.writeArrayFieldStart("channels");
            for (String channel : alert.channels()) {
                json.writeString(channel);
            }
            json.writeEndArray();
            json.writeStringField("until", alert.until().toString());
            json.writeBooleanField("source_trusted", alert.trusted());
            if (alert.stopCalls()) {
                json.writeBooleanField("stop_calls", true);
            }
            if (alert.banJail() != null) {
                json.writeStringField("ban_jail", alert.banJail());
            }
            json.writeEndObject();
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
