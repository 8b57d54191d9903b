package org.tollgate.banner.enforce;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.banner.LogFields;
import org.tollgate.banner.jail.Ban;
import org.tollgate.banner.store.BanStore;
import org.tollgate.banner.store.StoreException;

/**
 * The enforcer's writes to the ban store. A write that fails is counted in the ledger and the firewall side goes on;
 * the store keeps the change and writes it when it works again (the outage itself is logged once by the database).
 */
final class BanWrites {

    private static final Logger LOG = LoggerFactory.getLogger(BanWrites.class);

    private final BanStore store;
    private final BanLedger ledger;

    BanWrites(BanStore store, BanLedger ledger) {
        this.store = store;
        this.ledger = ledger;
    }

    /** Saves new bans before any firewall call (write-ahead), so a crash mid-call still restores them. */
    void save(List<Ban> bans) {
        try {
            store.saveAll(bans);
        } catch (StoreException e) {
            failed(bans.size(), e, "bans not saved yet; enforced, and written when the store works again");
        }
    }

    void remove(List<Ban> bans) {
        if (bans.isEmpty()) {
            return;
        }
        try {
            store.removeAll(bans);
        } catch (StoreException e) {
            failed(bans.size(), e, "lifted bans not removed from the store yet; removed when the store works again");
        }
    }

    /** Settles a round in the ledger and marks the bans complete everywhere as applied in the store. */
    void settle(Collection<TrackedBan> entries, Set<TrackedBan> sent, Instant now) {
        List<TrackedBan> complete = ledger.settle(entries, sent, now);
        if (complete.isEmpty()) {
            return;
        }
        try {
            store.markApplied(complete.stream().map(TrackedBan::ban).toList());
            complete.forEach(TrackedBan::markApplied);
        } catch (StoreException e) {
            failed(complete.size(), e, "bans not marked applied in the store yet");
        }
    }

    /** Writes what the store kept while it failed. */
    void retryUnsaved() {
        store.retryUnsaved();
    }

    private void failed(int count, StoreException e, String message) {
        ledger.countStoreFailure();
        LOG.atDebug().addKeyValue(LogFields.COUNT, count).addKeyValue(LogFields.REASON, e.getMessage()).log(message);
    }
}
