package org.tollgate.server.output.jsonl;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import net.logstash.logback.composite.AbstractJsonProvider;

/**
 * The one JSON provider of the jsonl encoder: writes the event's ECS fields inside the object the composite encoder
 * opens, copied raw from the JSON the normalizer produced. The event carries them as its only argument
 * ({@link JsonObjectMembers}); the JSON is not parsed again, so the line is the bus message byte for byte.
 */
final class EventJsonProvider extends AbstractJsonProvider<ILoggingEvent> {

    @Override
    public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
        Object[] arguments = event.getArgumentArray();
        if (arguments != null && arguments.length == 1 && arguments[0] instanceof JsonObjectMembers members) {
            generator.writeRaw(members);
        }
    }
}
