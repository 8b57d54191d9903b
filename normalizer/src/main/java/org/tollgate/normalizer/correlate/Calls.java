package org.tollgate.normalizer.correlate;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.tollgate.normalizer.address.Endpoint;
import org.tollgate.normalizer.call.CallEvent;
import org.tollgate.normalizer.call.CdrRecord;
import org.tollgate.normalizer.call.CelRecord;
import org.tollgate.normalizer.call.ChannelName;
import org.tollgate.normalizer.call.DestinationClass;
import org.tollgate.normalizer.call.NumberingPlan;
import org.tollgate.normalizer.message.AddressOrigin;
import org.tollgate.normalizer.message.DialplanMessages;
import org.tollgate.normalizer.message.Finding;

/**
 * Follows each endpoint's channel through one input and says when its call starts, is answered and ends:
 *
 * <ul>
 *   <li>log lines: the channel's first {@code Executing} line gives the number the endpoint dialled and the context
 *       it dialled from (in a macro or a Gosub the later lines show {@code s}); its first {@code Dial} starts the
 *       call; {@code <peer> answered <channel>} answers it; {@code Spawn extension … exited … on '<channel>'},
 *       {@code Auto fallthrough, channel '<channel>'} or its {@code h} extension end it. {@code Called} lines, which
 *       name no channel, are tied to it by the call id (11+) or the thread (1.8);</li>
 *   <li>a CDR record is a whole call: one call-ended event with its start, answer and billsec;</li>
 *   <li>CEL: an endpoint channel that starts a call (linkedid = uniqueid) is followed from CHAN_START; a leg started
 *       for it or its Dial APP_START starts the call, the leg's ANSWER answers it, its HANGUP ends it.</li>
 * </ul>
 *
 * Each event names where the endpoint last registered or authenticated from ({@link EndpointAddresses}). Channels are
 * those of endpoints only ({@link ChannelName#isEndpointChannel}): a Local channel belongs to no one. Bounded: at most
 * {@link #CAPACITY} channels, the least recently used forgotten (a call whose end was never logged goes that way).
 */
public final class Calls {

    /** Channels followed at most. */
    public static final int CAPACITY = 4096;
    private static final String DIAL = "Dial";

    private final NumberingPlan plan;
    private final EndpointAddresses endpoints;
    private final Map<String, Channel> channels = new LruMap<>(CAPACITY);
    /** The channel each call id ({@code C-…}) or thread ({@code #<lwp>}) last ran the dialplan of. */
    private final Map<String, String> channelByThread = new LruMap<>(CAPACITY);
    /** CEL: the channel of each uniqueid that started a call. */
    private final Map<String, String> channelByUniqueId = new LruMap<>(CAPACITY);

    /** What is known of one channel. */
    private static final class Channel {
        final String exten;
        final String context;
        boolean started;
        Instant startedAt;
        Instant answeredAt;
        String peer;
        String dial;
        String called;
        String uniqueId;
        NumberingPlan.Destination destination;
        EndpointAddresses.Seen source;

        Channel(String exten, String context) {
            this.exten = exten;
            this.context = context;
        }
    }

    public Calls(NumberingPlan plan, EndpointAddresses endpoints) {
        this.plan = plan;
        this.endpoints = endpoints;
    }

    /** The names of the channels followed, for the tests: each an endpoint's. */
    Set<String> channelsFollowed() {
        return Set.copyOf(channels.keySet());
    }

    /** Learns where an endpoint authenticated from (a SuccessfulAuth finding). */
    public void learn(Finding finding, Instant at) {
        endpoints.learn(finding, at);
    }

    /**
     * The call event a dialplan line makes, or null.
     *
     * @param callId   the line's call id ({@code C-0000001c}), or null
     * @param threadId the line's thread, or -1
     */
    public CallEvent onLine(DialplanMessages.Line line, Instant at, String callId, long threadId) {
        switch (line.kind()) {
            case EXECUTING -> {
                return executing(line, at, callId, threadId);
            }
            case ANSWERED -> {
                Channel channel = channels.get(line.channel());
                if (channel == null || !channel.started || channel.answeredAt != null) {
                    return null;
                }
                channel.answeredAt = at;
                channel.peer = line.peer();
                return event(CallEvent.Kind.ANSWERED, line.channel(), channel, null, -1, null);
            }
            case CALLED -> {
                String name = channelByThread.get(threadKey(callId, threadId));
                Channel channel = name == null ? null : channels.get(name);
                if (channel != null && channel.started && channel.called == null) {
                    channel.called = line.data();
                }
                return null;
            }
            case ENDED -> {
                return end(line.channel(), at, line.data());
            }
            case REGISTERED -> {
                endpoints.registered(line.exten(), line.name(), line.address(), at);
                return null;
            }
            default -> {
                return null;
            }
        }
    }

    private CallEvent executing(DialplanMessages.Line line, Instant at, String callId, long threadId) {
        if (line.ambiguous()) {
            return null;
        }
        String name = line.channel();
        // A channel followed is an endpoint's (only those are put in): its name is read once, not on each step. Looked
        // up first, a name that is none is in no entry, so the lookup leaves the order of use as it was.
        Channel channel = channels.get(name);
        if (channel == null) {
            if (!ChannelName.isEndpointChannel(name)) {
                return null;
            }
            channel = new Channel(line.exten(), line.context());
            channels.put(name, channel);
        }
        String thread = threadKey(callId, threadId);
        if (thread != null) {
            channelByThread.put(thread, name);
        }
        if (line.extenIs("h")) {
            return end(name, at, null);
        }
        if (channel.started || !line.appIsIgnoringCase(DIAL)) {
            return null;
        }
        NumberingPlan.Destination destination = plan.classify(channel.exten);
        String exten = channel.exten;
        if (destination.type() == DestinationClass.UNKNOWN) {
            // Entered at 's' (a trunk's call without a DID): the extension the Dial runs in is the number.
            NumberingPlan.Destination here = plan.classify(line.exten());
            if (here.type() != DestinationClass.UNKNOWN) {
                destination = here;
                exten = line.exten();
            }
        }
        start(channel, name, at, destination, line.data());
        return event(CallEvent.Kind.STARTED, name, channel, exten, -1, null);
    }

    /** The call of a CDR record: its end, with its start, answer and billsec. Null for a channel of no endpoint. */
    public CallEvent onCdr(CdrRecord record) {
        if (!ChannelName.isEndpointChannel(record.channel())) {
            return null;
        }
        Channel channel = new Channel(record.dst(), record.dcontext());
        start(channel, record.channel(), record.start(), plan.classify(record.dst()),
                DIAL.equalsIgnoreCase(record.lastapp()) ? record.lastdata() : null);
        channel.answeredAt = record.answer();
        channel.peer = record.dstchannel().isEmpty() ? null : record.dstchannel();
        channel.uniqueId = record.uniqueId();
        return new CallEvent(CallEvent.Kind.ENDED, CallEvent.CDR, record.channel(), channel.peer, record.dst(),
                record.dcontext(), channel.destination, address(channel), origin(channel), trusted(channel),
                record.start(), record.answer(), record.end(), record.billsec(), record.disposition(), channel.dial,
                null, record.uniqueId());
    }

    /** The call event a CEL record makes, or null. */
    public CallEvent onCel(CelRecord record) {
        String name = record.channel();
        boolean endpoint = ChannelName.isEndpointChannel(name);
        boolean originator = record.uniqueId().equals(record.linkedId());
        switch (record.type()) {
            case "CHAN_START" -> {
                if (endpoint && originator) {
                    Channel channel = new Channel(record.exten(), record.context());
                    channel.uniqueId = record.uniqueId();
                    channels.put(name, channel);
                    channelByUniqueId.put(record.uniqueId(), name);
                    return null;
                }
                return originator ? null : legStarted(record);
            }
            case "APP_START" -> {
                Channel channel = endpoint && originator ? channels.get(name) : null;
                if (channel == null || channel.started || !DIAL.equalsIgnoreCase(record.app())) {
                    return null;
                }
                start(channel, name, record.time(), plan.classify(channel.exten), record.appData());
                return celEvent(CallEvent.Kind.STARTED, name, channel, record);
            }
            case "ANSWER" -> {
                String caller = originator ? name : channelByUniqueId.get(record.linkedId());
                Channel channel = caller == null ? null : channels.get(caller);
                if (channel == null || !channel.started || channel.answeredAt != null) {
                    return null;
                }
                channel.answeredAt = record.time();
                if (!originator) {
                    channel.peer = name;
                }
                return celEvent(CallEvent.Kind.ANSWERED, caller, channel, record);
            }
            case "HANGUP" -> {
                if (!originator) {
                    return null;
                }
                channelByUniqueId.remove(record.uniqueId());
                return end(name, record.time(), null, CallEvent.CEL);
            }
            default -> {
                return null;
            }
        }
    }

    /** A leg dialled for a call: the call has started, if it had not. */
    private CallEvent legStarted(CelRecord record) {
        String caller = channelByUniqueId.get(record.linkedId());
        Channel channel = caller == null ? null : channels.get(caller);
        if (channel == null || channel.started) {
            return null;
        }
        start(channel, caller, record.time(), plan.classify(channel.exten), null);
        channel.peer = record.channel();
        return celEvent(CallEvent.Kind.STARTED, caller, channel, record);
    }

    private CallEvent end(String name, Instant at, String status) {
        return end(name, at, status, CallEvent.DIALPLAN);
    }

    private CallEvent end(String name, Instant at, String status, String provider) {
        Channel channel = channels.remove(name);
        if (channel == null || !channel.started) {
            return null;
        }
        String disposition = status != null ? status : channel.answeredAt != null ? "ANSWERED" : null;
        return new CallEvent(CallEvent.Kind.ENDED, provider, name, channel.peer, channel.exten, channel.context,
                channel.destination, address(channel), origin(channel), trusted(channel), channel.startedAt,
                channel.answeredAt, at, -1, disposition, channel.dial, channel.called, channel.uniqueId);
    }

    private void start(Channel channel, String name, Instant at, NumberingPlan.Destination destination, String dial) {
        channel.started = true;
        channel.startedAt = at;
        channel.destination = destination;
        channel.dial = dial;
        channel.source = endpoints.of(ChannelName.endpointKey(name));
    }

    private CallEvent event(CallEvent.Kind kind, String name, Channel channel, String exten, long billsec,
                            String disposition) {
        return new CallEvent(kind, CallEvent.DIALPLAN, name, channel.peer, exten != null ? exten : channel.exten,
                channel.context, channel.destination, address(channel), origin(channel), trusted(channel),
                channel.startedAt, channel.answeredAt, null, billsec, disposition, channel.dial, channel.called,
                channel.uniqueId);
    }

    private CallEvent celEvent(CallEvent.Kind kind, String name, Channel channel, CelRecord record) {
        return new CallEvent(kind, CallEvent.CEL, name, channel.peer, channel.exten, channel.context,
                channel.destination, address(channel), origin(channel), trusted(channel), channel.startedAt,
                channel.answeredAt, null, -1, null, channel.dial, null, channel.uniqueId);
    }

    private static Endpoint address(Channel channel) {
        return channel.source == null ? null : channel.source.address();
    }

    private static AddressOrigin origin(Channel channel) {
        return channel.source == null ? null : channel.source.origin();
    }

    private static boolean trusted(Channel channel) {
        return channel.source != null && channel.source.trusted();
    }

    private static String threadKey(String callId, long threadId) {
        if (callId != null) {
            return callId;
        }
        return threadId >= 0 ? "#" + threadId : null;
    }
}
