package org.tollgate.banner.enforce;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.banner.action.ActionException;
import org.tollgate.banner.LogFields;
import org.tollgate.banner.jail.Ban;

/**
 * Puts back what a firewall lost: asks each action which of its jails' bans it lacks and applies only those, one
 * call per action; bans it has are recorded as applied. What brings bans back after {@code firewall-cmd --reload} or
 * {@code nft flush ruleset}, and what checks every ban at start.
 */
final class Reconcile {

    private static final Logger LOG = LoggerFactory.getLogger(Reconcile.class);

    private final ActionRouting routing;
    private final BanLedger ledger;
    private final ActionRound round;
    private final BanWrites writes;

    Reconcile(ActionRouting routing, BanLedger ledger, ActionRound round, BanWrites writes) {
        this.routing = routing;
        this.ledger = ledger;
        this.round = round;
        this.writes = writes;
    }

    /** One pass. */
    static final class Reapplied {
        /** Bans each action had lost, by label. */
        final Map<String, Integer> byAction = new LinkedHashMap<>();
        int checked;
        int applied;
        int failed;
        int unchecked;
    }

    /**
     * Checks every ban in force and re-applies the missing ones.
     *
     * @param reapplyUnchecked whether an action that cannot answer gets every ban again: at start, where nothing is
     *                         known yet (banning is idempotent and opens no window); not when reconciling
     */
    Reapplied reapplyMissing(Instant now, boolean reapplyUnchecked) {
        Reapplied result = new Reapplied();
        Map<String, List<TrackedBan>> byJail = new HashMap<>();
        List<TrackedBan> inForce = ledger.inForce(now);
        for (TrackedBan entry : inForce) {
            byJail.computeIfAbsent(entry.ban().jail(), j -> new ArrayList<>()).add(entry);
        }
        Map<ConfiguredAction, List<TrackedBan>> work = new HashMap<>();
        for (ConfiguredAction action : routing.actions()) {
            List<TrackedBan> share = new ArrayList<>();
            for (String jail : action.jails()) {
                share.addAll(byJail.getOrDefault(jail, List.of()));
            }
            if (share.isEmpty()) {
                continue;
            }
            Map<String, Ban> byIp = new LinkedHashMap<>();
            for (TrackedBan entry : share) {
                byIp.computeIfAbsent(entry.ban().ip(), ip -> ledger.longestHeld(action, entry.ban()));
            }
            Set<String> missing;
            if (!action.usable()) {
                // Said once when it became unusable; at start its bans are sent so they wait with the reason.
                if (!reapplyUnchecked) {
                    continue;
                }
                missing = byIp.keySet();
            } else try {
                missing = action.firewall().missing(List.copyOf(byIp.values()));
                ActionRound.worked(action);
            } catch (ActionException | RuntimeException e) {
                result.unchecked++;
                String reason = ActionRound.message(e);
                // Once until a call works again, as a failing ban call: a tool that keeps failing is one warning.
                (action.failed(reason) ? LOG.atWarn() : LOG.atDebug())
                        .addKeyValue(LogFields.ACTION, action.label())
                        .addKeyValue(LogFields.REASON, reason)
                        .log(reapplyUnchecked ? "cannot list the firewall's bans; applying them all again"
                                : "cannot list the firewall's bans; checking again next time");
                if (!reapplyUnchecked) {
                    continue;
                }
                missing = byIp.keySet();
            }
            result.checked += byIp.size();
            List<TrackedBan> lost = new ArrayList<>();
            for (TrackedBan entry : share) {
                if (missing.contains(entry.ban().ip())) {
                    lost.add(entry);
                } else {
                    entry.applied(action);
                }
            }
            if (!lost.isEmpty()) {
                work.put(action, lost);
                result.byAction.put(action.label(), lost.size());
            }
        }
        ActionRound.Result applied = work.isEmpty() ? ActionRound.Result.NONE : round.ban(work);
        result.applied = applied.applied();
        result.failed = applied.failed();
        ledger.countReconciled(applied.applied());
        Set<TrackedBan> sent = new HashSet<>();
        work.values().forEach(sent::addAll);
        writes.settle(inForce, sent, now);
        return result;
    }

    /**
     * Re-applies the missing bans and says so: after a monitor's report at info with its {@code reason} ("firewalld
     * reloaded: 3 bans re-applied"), as expected; a periodic pass (reason null) that finds bans missing warns, since
     * nothing said they went.
     */
    ReconcileReport run(Instant now, String reason) {
        Reapplied reapplied = reapplyMissing(now, false);
        if (reason != null) {
            int applied = reapplied.applied;
            LOG.atInfo()
                    .addKeyValue(LogFields.REASON, reason)
                    .addKeyValue(LogFields.REAPPLIED, applied)
                    .addKeyValue(LogFields.FAILED, reapplied.failed)
                    .addKeyValue(LogFields.ACTION, reapplied.byAction)
                    .log(reason + ": " + applied + (applied == 1 ? " ban" : " bans") + " re-applied"
                            + (reapplied.failed > 0 ? ", " + reapplied.failed + " failed (retrying)" : ""));
        } else if (reapplied.applied > 0 || reapplied.failed > 0) {
            LOG.atWarn()
                    .addKeyValue(LogFields.REAPPLIED, reapplied.applied)
                    .addKeyValue(LogFields.FAILED, reapplied.failed)
                    .addKeyValue(LogFields.ACTION, reapplied.byAction)
                    .log("bans missing from the firewall put back");
        }
        return new ReconcileReport(reapplied.checked, reapplied.applied, reapplied.failed, reapplied.unchecked);
    }
}
