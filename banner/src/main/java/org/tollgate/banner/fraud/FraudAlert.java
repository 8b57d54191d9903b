package org.tollgate.banner.fraud;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A fraud jail tripped: which key passed which limit, on which call, and the key's calls then up.
 *
 * @param at         the log time of the call that tripped it
 * @param jail       the fraud jail
 * @param per        what the jail counts for
 * @param key        the endpoint ({@code PJSIP/1001}) or source address that passed the limit
 * @param endpoint   the endpoint of the call that tripped it ({@code PJSIP/1001})
 * @param sourceIp   the address that endpoint last registered or authenticated from, or null
 * @param trusted    true when {@code sourceIp} is a transport address a ban may use
 * @param limit      which limit: {@code calls}, {@code minutes}, {@code concurrent}, {@code new-destinations},
 *                   {@code outside-hours}, {@code blocked-class}
 * @param reason     what was counted, in words ({@code 11 calls to international, premium, satellite in 10m; max 10})
 * @param count      the count that passed the limit
 * @param max        the limit
 * @param number     the number the tripping call dialled
 * @param destinationClass its class
 * @param channels   the key's calls up at that time (what an AMI hangup ends)
 * @param until      until when the key stays stopped
 * @param banSource  the failure jail asked to ban {@code sourceIp}, or null
 * @param stopCalls  whether the endpoint's calls are hung up and its new ones blocked through the manager
 */
public record FraudAlert(Instant at, String jail, FraudSettings.Per per, String key, String endpoint, String sourceIp,
                         boolean trusted, String limit, String reason, long count, long max, String number,
                         String destinationClass, List<String> channels, Instant until, String banSource,
                         boolean stopCalls) {

    public FraudAlert {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(jail, "jail");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(limit, "limit");
        channels = List.copyOf(channels);
    }

    /** The jail that bans the source address with this alert, or null: asked for, and the address can be believed. */
    public String banJail() {
        return banSource != null && trusted && sourceIp != null ? banSource : null;
    }
}
