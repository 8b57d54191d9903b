package org.tollgate.banner.enforce;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.banner.LogFields;
import org.tollgate.banner.jail.Ban;
import org.tollgate.banner.jail.Jails;
import org.tollgate.banner.store.BanStore;

/**
 * Puts the stored bans back in force at start, without lifting one still in force: bans still running go back into
 * the jails and the ledger and are re-applied only where a firewall lost them (a restart opens no window), bans that
 * ended meanwhile are lifted, bans of jails no longer running are dropped, and the ban history is read back for
 * increments and recidive.
 */
final class Restore {

    private static final Logger LOG = LoggerFactory.getLogger(Restore.class);

    private final Jails jails;
    private final BanStore store;
    private final ActionRouting routing;
    private final BanLedger ledger;
    private final BanWrites writes;
    private final Lifts lifts;
    private final Reconcile reconcile;

    Restore(Jails jails, BanStore store, ActionRouting routing, BanLedger ledger, BanWrites writes, Lifts lifts,
            Reconcile reconcile) {
        this.jails = jails;
        this.store = store;
        this.routing = routing;
        this.ledger = ledger;
        this.writes = writes;
        this.lifts = lifts;
        this.reconcile = reconcile;
    }

    /** @throws org.tollgate.banner.store.StoreException when the store cannot be read */
    RestoreReport run(Instant now, Duration historyWindow) {
        long began = System.nanoTime();
        int setUpFailures = routing.setUp();

        List<Ban> stored = store.active(now);
        List<Ban> orphans = jails.restore(stored);
        Set<BanKey> orphaned = new HashSet<>();
        orphans.forEach(ban -> orphaned.add(BanKey.of(ban)));
        for (Ban ban : stored) {
            if (!orphaned.contains(BanKey.of(ban))) {
                ledger.track(ban);
                // Until each is in force everywhere (the check below, or a retry), the restart is not done.
                ledger.restoring(BanKey.of(ban));
            }
        }
        jails.seedHistory(store.history(now.minus(historyWindow)));
        if (!orphans.isEmpty()) {
            writes.remove(orphans);
            LOG.atWarn()
                    .addKeyValue(LogFields.COUNT, orphans.size())
                    .log("stored bans of jails no longer running dropped; their firewall entries expire on their own");
        }

        List<Ban> expired = store.expiredBefore(now);
        int liftFailures = lifts.lift(expired, true, now);
        Reconcile.Reapplied reapplied = reconcile.reapplyMissing(now, true);

        RestoreReport report = new RestoreReport(stored.size() - orphans.size(), expired.size(), orphans.size(),
                reapplied.applied, reapplied.failed + liftFailures, setUpFailures);
        LOG.atInfo()
                .addKeyValue(LogFields.RESTORED, report.restored())
                .addKeyValue(LogFields.EXPIRED, report.expired())
                .addKeyValue(LogFields.ORPHANED, report.orphaned())
                .addKeyValue(LogFields.REAPPLIED, report.reapplied())
                .addKeyValue(LogFields.FAILED, report.failed())
                .addKeyValue(LogFields.DURATION_MS, (System.nanoTime() - began) / 1_000_000)
                .log("stored bans restored");
        return report;
    }
}
