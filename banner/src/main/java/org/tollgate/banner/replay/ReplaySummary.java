package org.tollgate.banner.replay;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tollgate.banner.jail.JailStats;

/**
 * What a replay saw and decided.
 *
 * @param failures    failures read
 * @param distinctIps distinct source addresses among them
 * @param bansPerJail bans made by each running jail, zero included, in configuration order
 * @param unbans      unbans decided (bans that ended in log time or would have ended after the last failure)
 * @param jails       each jail's counters at the end
 * @param addresses   failed attempts and failure lines of each address with trusted failures, busiest first
 */
public record ReplaySummary(long failures, long distinctIps, Map<String, Long> bansPerJail, long unbans,
                            List<JailStats> jails, List<AddressActivity> addresses) {

    public ReplaySummary {
        bansPerJail = Collections.unmodifiableMap(new LinkedHashMap<>(bansPerJail));
        jails = List.copyOf(jails);
        addresses = List.copyOf(addresses);
    }

    /** Bans in every jail. */
    public long bans() {
        return bansPerJail.values().stream().mapToLong(Long::longValue).sum();
    }
}
