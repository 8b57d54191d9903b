package org.tollgate.banner.enforce;

/**
 * What the {@link Enforcer} did since it was built, for metrics. Firewall counts are per address and action: one ban
 * applied by an ipset and a conntrack action counts twice.
 *
 * @param applied       addresses an action put in force (new bans, retries and re-applications)
 * @param failed        addresses an action failed to put in force, per attempt
 * @param retried       addresses retried after a failure, per attempt (bans and unbans)
 * @param reconciled    addresses put back because a firewall no longer had them (at start and by reconcile)
 * @param unbans        addresses an action lifted
 * @param unbanFailures addresses an action failed to lift, per attempt
 * @param storeFailures writes to the ban store that failed (the firewall side went on)
 */
public record EnforcerCounters(long applied, long failed, long retried, long reconciled, long unbans,
                               long unbanFailures, long storeFailures) {
}
