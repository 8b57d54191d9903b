package org.tollgate.banner.enforce;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tollgate.banner.jail.Ban;

/** Lifts bans already out of the jails and the ledger from their jails' actions; what fails is retried. */
final class Lifts {

    private final ActionRouting routing;
    private final BanLedger ledger;
    private final ActionRound round;
    private final BanWrites writes;

    Lifts(ActionRouting routing, BanLedger ledger, ActionRound round, BanWrites writes) {
        this.routing = routing;
        this.ledger = ledger;
        this.round = round;
        this.writes = writes;
    }

    /**
     * Lifts {@code bans} from their jails' actions, one call per action. With {@code stored}, a ban stays in the
     * store until lifted everywhere, so a restart lifts it again.
     *
     * @return addresses that failed to lift, per action
     */
    int lift(List<Ban> bans, boolean stored, Instant now) {
        if (bans.isEmpty()) {
            return 0;
        }
        Map<ConfiguredAction, List<Ban>> work = new HashMap<>();
        for (Ban ban : bans) {
            for (ConfiguredAction action : routing.of(ban.jail())) {
                work.computeIfAbsent(action, a -> new ArrayList<>()).add(ban);
            }
        }
        Map<Ban, Set<ConfiguredAction>> failures = round.lift(work);
        List<Ban> lifted = new ArrayList<>();
        int failedAddresses = 0;
        for (Ban ban : bans) {
            Set<ConfiguredAction> failing = failures.get(ban);
            if (failing == null) {
                if (stored && !ledger.tracks(BanKey.of(ban))) {
                    lifted.add(ban);
                }
                continue;
            }
            failedAddresses += failing.size();
            ledger.liftFailed(ban, failing, stored, now);
        }
        if (stored) {
            writes.remove(lifted);
        }
        return failedAddresses;
    }

    /** Retries the lifts due at {@code now}, only in the actions that failed them; returns the addresses retried. */
    int retryDue(Instant now) {
        List<PendingUnban> pending = ledger.takeDueUnbans(now);
        if (pending.isEmpty()) {
            return 0;
        }
        int attempts = 0;
        Map<ConfiguredAction, List<Ban>> work = new HashMap<>();
        for (PendingUnban unban : pending) {
            for (ConfiguredAction action : unban.failed()) {
                work.computeIfAbsent(action, a -> new ArrayList<>()).add(unban.ban());
                attempts++;
            }
        }
        Map<Ban, Set<ConfiguredAction>> stillFailing = round.lift(work);
        List<Ban> liftedFromStore = new ArrayList<>();
        for (PendingUnban unban : pending) {
            boolean done = ledger.liftRetried(unban, stillFailing.getOrDefault(unban.ban(), Set.of()), now);
            if (done && unban.stored() && !ledger.tracks(BanKey.of(unban.ban()))) {
                liftedFromStore.add(unban.ban());
            }
        }
        writes.remove(liftedFromStore);
        return attempts;
    }
}
