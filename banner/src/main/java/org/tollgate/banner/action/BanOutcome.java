package org.tollgate.banner.action;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link FirewallAction#ban} or {@link FirewallAction#unban} call did, per address.
 *
 * @param applied the addresses now in the intended state
 * @param failed  the addresses that are not, each with the reason (the tool's message)
 */
public record BanOutcome(List<String> applied, Map<String, String> failed) {

    public BanOutcome {
        applied = List.copyOf(applied);
        failed = Collections.unmodifiableMap(new LinkedHashMap<>(failed));
    }

    /** Every address applied, none failed. */
    public static BanOutcome allApplied(List<String> applied) {
        return new BanOutcome(applied, Map.of());
    }

    /** True when nothing failed. */
    public boolean complete() {
        return failed.isEmpty();
    }
}
