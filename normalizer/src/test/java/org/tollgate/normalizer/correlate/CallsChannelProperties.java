package org.tollgate.normalizer.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.tollgate.normalizer.call.CelRecord;
import org.tollgate.normalizer.call.ChannelName;
import org.tollgate.normalizer.call.NumberingPlan;
import org.tollgate.normalizer.message.DialplanMessages;

/**
 * {@link Calls} reads an {@code Executing} line's channel name only when it follows no channel of that name yet: what
 * makes that right is that a channel it follows is an endpoint's. Whatever the lines and CEL records (endpoint
 * channels, Local ones, names a sender shaped to look like one: no suffix, a suffix that is no hex, a blank or a quote
 * inside, a technology too long), every name it follows is an endpoint channel's.
 */
class CallsChannelProperties {

    private static final Instant T0 = Instant.parse("2026-01-18T17:41:00Z");

    @Provide
    Arbitrary<List<String>> steps() {
        Arbitrary<String> channel = Arbitraries.oneOf(
                Arbitraries.of("PJSIP/1001-0000002a", "SIP/1002-00000003", "IAX2/1003-3", "Local/100@from-internal-00000001;1",
                        "PJSIP/1001", "PJSIP/1001-xyz", "PJSIP/-0000002a", "TECHNOLOGYTOOLONG1/1001-1", "PJSIP/10*01-2a"),
                Arbitraries.strings().withChars("PJSIP/Local-0123abcx;@*").ofMinLength(3).ofMaxLength(24));
        Arbitrary<String> app = Arbitraries.of("Dial", "Set", "Goto", "dial");
        Arbitrary<String> executing = Combinators.combine(channel, app, Arbitraries.of("s", "h", "1002", "00442079"))
                .as((name, application, exten) -> "E" + "Executing [" + exten + "@from-internal:1] " + application
                        + "(\"" + name + "\", \"PJSIP/1003,30\") in new stack");
        Arbitrary<String> ended = channel.map(name -> "EAuto fallthrough, channel '" + name + "' status is 'ANSWER'");
        Arbitrary<String> celStart = Combinators.combine(channel, Arbitraries.of("1768758060.80", "1768758060.81"))
                .as((name, linked) -> "C\"CHAN_START\",\"1768758060.120000\",\"Alice\",\"1001\",\"1001\",\"\","
                        + "\"0044207946012\",\"0044207946012\",\"from-internal\",\"" + name
                        + "\",\"\",\"\",\"3\",\"\",\"1768758060.80\",\"" + linked + "\",\"\",\"\",\"\",\"\"");
        return Arbitraries.oneOf(executing, ended, celStart).list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 1000)
    void everyChannelFollowedIsAnEndpointChannel(@ForAll("steps") List<String> steps) {
        Calls calls = new Calls(NumberingPlan.defaults(), new EndpointAddresses());
        for (String step : steps) {
            String text = step.substring(1);
            if (step.charAt(0) == 'E') {
                DialplanMessages.Line line = DialplanMessages.read(text, 0, "VERBOSE");
                if (line != null) {
                    calls.onLine(line, T0, "C-1", 1);
                }
            } else {
                CelRecord record = CelRecord.parse(text, ZoneOffset.UTC);
                if (record != null) {
                    calls.onCel(record);
                }
            }
            assertThat(calls.channelsFollowed()).allMatch(ChannelName::isEndpointChannel);
        }
    }
}
