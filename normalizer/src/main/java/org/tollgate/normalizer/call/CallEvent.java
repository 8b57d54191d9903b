package org.tollgate.normalizer.call;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.tollgate.normalizer.address.Endpoint;
import org.tollgate.normalizer.message.AddressOrigin;

/**
 * One step of a call an endpoint made, read from the dialplan lines of a log, a CDR record or CEL events: what fraud
 * jails count. Not a security event: the call itself is what the PBX is for; its number, class and rate are what
 * tell toll fraud from an office at work.
 *
 * @param kind        started (the dialplan dialled out), answered, or ended
 * @param provider    where it was read: {@code dialplan} (pbx.c, app_dial.c lines), {@code cdr} (cdr_csv's
 *                    Master.csv), {@code cel} (cel_custom's Master.csv)
 * @param channel     the calling channel, {@code PJSIP/1001-0000002a}
 * @param peerChannel the called channel, when the line names it
 * @param exten       the extension the endpoint dialled, as the dialplan saw it
 * @param context     the dialplan context the call entered
 * @param destination the number and its class
 * @param source      where the endpoint last registered or authenticated from, when known
 * @param origin      where {@code source} came from; null without a source
 * @param trusted     true when {@code source} is a transport address a jail may ban
 * @param startedAt   when the call started (dialled out)
 * @param answeredAt  when it was answered, or null
 * @param endedAt     when it ended, or null while it runs
 * @param billsec     seconds from answer to end as the CDR counts them, or -1
 * @param disposition how it ended as Asterisk says it ({@code ANSWERED}, {@code NO ANSWER}, {@code BUSY},
 *                    {@code FAILED}, {@code CONGESTION}, a DIALSTATUS), or null
 * @param dial        the Dial() arguments (the trunk the call went to), or null
 * @param called      the interface app_dial's {@code Called} line named, or null
 * @param uniqueId    Asterisk's uniqueid of the calling channel (CDR, CEL), or null
 */
public record CallEvent(Kind kind, String provider, String channel, String peerChannel, String exten,
                        String context, NumberingPlan.Destination destination, Endpoint source, AddressOrigin origin,
                        boolean trusted, Instant startedAt, Instant answeredAt, Instant endedAt, long billsec,
                        String disposition, String dial, String called, String uniqueId) {

    public static final String DIALPLAN = "dialplan";
    public static final String CDR = "cdr";
    public static final String CEL = "cel";

    /** The step of a call ({@code event.action}). */
    public enum Kind {
        STARTED("call-started"), ANSWERED("call-answered"), ENDED("call-ended");

        private final String action;

        Kind(String action) {
            this.action = action;
        }

        public String action() {
            return action;
        }
    }

    public CallEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(startedAt, "startedAt");
    }

    /** The technology of the channel ({@code PJSIP}, {@code SIP}, {@code IAX2}). */
    public String technology() {
        return ChannelName.technology(channel);
    }

    /** The endpoint (peer, account) the channel belongs to: {@code 1001} of {@code PJSIP/1001-0000002a}. */
    public String endpoint() {
        return ChannelName.endpoint(channel);
    }

    public boolean answered() {
        return answeredAt != null;
    }

    /** From start to end, or null while the call runs. */
    public Duration duration() {
        return endedAt == null ? null : Duration.between(startedAt, endedAt);
    }

    /**
     * Seconds talked: the CDR's billsec, or from answer to end; 0 for an unanswered call; -1 while an answered call
     * runs.
     */
    public long talkedSeconds() {
        if (billsec >= 0) {
            return billsec;
        }
        if (answeredAt == null) {
            return 0;
        }
        return endedAt == null ? -1 : Math.max(0, Duration.between(answeredAt, endedAt).getSeconds());
    }

    /** The {@code event.outcome}: an answered call succeeded, an ended unanswered one failed, the rest is open. */
    public String outcome() {
        if (kind == Kind.ANSWERED || kind == Kind.ENDED && answeredAt != null) {
            return "success";
        }
        return kind == Kind.ENDED ? "failure" : "unknown";
    }
}
