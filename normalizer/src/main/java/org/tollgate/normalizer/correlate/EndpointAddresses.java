package org.tollgate.normalizer.correlate;

import java.time.Instant;
import java.util.Map;
import org.tollgate.normalizer.address.Endpoint;
import org.tollgate.normalizer.message.AddressOrigin;
import org.tollgate.normalizer.message.EventAction;
import org.tollgate.normalizer.message.Finding;

/**
 * Where each endpoint last registered or authenticated from, so a call can name the address behind it: the security
 * log's SuccessfulAuth (res_pjsip: the packet's source, trusted; chan_sip: {@code p->sa}, as trusted as the finding
 * says), chan_sip's {@code Registered SIP '…' at …} and res_pjsip's {@code Added contact '…'} (the Contact the phone
 * wrote: never trusted). A trusted address is kept over later untrusted ones; the newest trusted one wins.
 *
 * <p>Keys are {@code <technology>/<name>} ({@code PJSIP/1001}), as channel names start. Bounded: the least recently
 * used endpoints are forgotten past {@link #CAPACITY}. Thread-safe, so the sources of one service can share one.
 */
public final class EndpointAddresses {

    /** Endpoints remembered at most. */
    public static final int CAPACITY = 4096;

    private final Map<String, Seen> byEndpoint = new LruMap<>(CAPACITY);

    /**
     * An address an endpoint was seen at.
     *
     * @param address where
     * @param origin  where the address came from
     * @param trusted whether a jail may ban on it
     * @param at      when
     */
    public record Seen(Endpoint address, AddressOrigin origin, boolean trusted, Instant at) {
    }

    /** Learns from a security-log SuccessfulAuth of a SIP or PJSIP account; other findings are ignored. */
    public void learn(Finding finding, Instant at) {
        if (finding.action() != EventAction.SECURITY_SUCCESSFUL_AUTH || finding.userName() == null
                || finding.source() == null) {
            return;
        }
        String technology = switch (finding.service() == null ? "" : finding.service()) {
            case "PJSIP" -> "PJSIP";
            case "SIP" -> "SIP";
            default -> null;
        };
        if (technology != null) {
            seen(technology, finding.userName(), finding.source(), finding.origin(), finding.sourceTrusted(), at);
        }
    }

    /** Learns that {@code technology/name} registered at {@code address} (a Contact: never trusted). */
    public void registered(String technology, String name, Endpoint address, Instant at) {
        if (address != null) {
            seen(technology, name, address, AddressOrigin.HEADER, false, at);
        }
    }

    /** The address {@code endpointKey} ({@code PJSIP/1001}) was last seen at, or null. */
    public synchronized Seen of(String endpointKey) {
        return byEndpoint.get(endpointKey);
    }

    private synchronized void seen(String technology, String name, Endpoint address, AddressOrigin origin,
                                   boolean trusted, Instant at) {
        String key = technology + '/' + name;
        Seen before = byEndpoint.get(key);
        if (before != null && before.trusted() && !trusted) {
            return;
        }
        byEndpoint.put(key, new Seen(address, origin, trusted, at));
    }
}
