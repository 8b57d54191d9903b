package org.tollgate.banner.jail;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * One jail's bans in force, by address, with their ends in a queue so that expiry costs what it lifts. A ban
 * replaced or lifted early stays in the queue until its end and is skipped then. Not thread-safe.
 */
final class ActiveBans {

    private final Map<String, Ban> byIp = new HashMap<>();
    private final PriorityQueue<Ban> byEnd = new PriorityQueue<>(Comparator.comparing(Ban::end));

    /** Puts {@code ban} in force, replacing any ban of the same address. */
    void add(Ban ban) {
        byIp.put(ban.ip(), ban);
        if (!ban.permanent()) {
            byEnd.add(ban);
        }
    }

    Ban get(String ip) {
        return byIp.get(ip);
    }

    Ban remove(String ip) {
        return byIp.remove(ip);
    }

    /** Removes and returns the bans over at {@code now}, earliest end first. */
    List<Ban> expire(Instant now) {
        List<Ban> lifted = null;
        while (!byEnd.isEmpty() && byEnd.peek().endsBy(now)) {
            Ban ban = byEnd.poll();
            // Identity on purpose: only the ban still in force for the address is lifted, not one it replaced.
            if (byIp.get(ban.ip()) == ban) {
                byIp.remove(ban.ip());
                if (lifted == null) {
                    lifted = new ArrayList<>();
                }
                lifted.add(ban);
            }
        }
        return lifted == null ? List.of() : lifted;
    }

    Collection<Ban> all() {
        return Collections.unmodifiableCollection(byIp.values());
    }

    int size() {
        return byIp.size();
    }
}
