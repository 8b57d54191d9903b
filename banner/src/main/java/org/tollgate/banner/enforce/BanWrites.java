package org.tollgate.banner.enforce;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.banner.LogFields;
import org.tollgate.banner.jail.Ban;
import org.tollgate.banner.store.BanStore;
import org.tollgate.banner.store.StoreException;

/**
 * The enforcer's writes to the ban store. A write that fails is counted in the ledger and the firewall side goes on;
 * the store keeps the change and writes it when it works again (the outage itself is logged once by the database).
 *
 * <p>New bans are written on a thread of their own while the firewall calls run ({@link #saveBeside}): the entry is
 * in the set about a store write sooner (a SQLite transaction, a few milliseconds on a busy machine), and the row is
 * still written at once, whatever the firewall does. The enforcer waits for the write ({@link SaveInFlight#await})
 * before anything else touches the store, so the store's changes stay in the enforcer's order.
 */
final class BanWrites implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BanWrites.class);

    private final BanStore store;
    private final BanLedger ledger;
    /** The thread new bans are written on, started with the first; daemon: a write in flight never holds up an exit. */
    private ExecutorService writer;

    BanWrites(BanStore store, BanLedger ledger) {
        this.store = store;
        this.ledger = ledger;
    }

    /** Saves new bans on the caller's thread (when the writer thread is closed). */
    void save(List<Ban> bans) {
        try {
            store.saveAll(bans);
        } catch (StoreException e) {
            failed(bans.size(), e, "bans not saved yet; enforced, and written when the store works again");
        }
    }

    /**
     * Starts writing {@code bans} on the writer thread and returns at once; the caller makes its firewall calls and
     * then {@linkplain SaveInFlight#await awaits} the write, before any other call of this class.
     */
    SaveInFlight saveBeside(List<Ban> bans) {
        try {
            Future<StoreException> write = writer().submit(() -> {
                try {
                    store.saveAll(bans);
                    return null;
                } catch (StoreException e) {
                    return e;
                }
            });
            return new SaveInFlight(bans.size(), write);
        } catch (RejectedExecutionException e) {
            // Closed: written here, as before.
            save(bans);
            return new SaveInFlight(bans.size(), CompletableFuture.completedFuture(null));
        }
    }

    /** A write of new bans on the writer thread. */
    final class SaveInFlight {
        private final int count;
        private final Future<StoreException> write;

        private SaveInFlight(int count, Future<StoreException> write) {
            this.count = count;
            this.write = write;
        }

        /** Waits for the write (a store call is bounded by the database's busy timeout); counts it if it failed. */
        void await() {
            StoreException failure;
            boolean interrupted = false;
            while (true) {
                try {
                    failure = write.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    failure = new StoreException("cannot save " + count + " bans: " + e.getCause(), e.getCause());
                    break;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (failure != null) {
                failed(count, failure, "bans not saved yet; enforced, and written when the store works again");
            }
        }
    }

    /**
     * Runs the store's statements for {@code probes} on the writer thread (starting it) in a transaction rolled back
     * ({@link BanStore#rehearse}), and waits: the first real ban's write then finds its thread, connection and code
     * warm. Writes nothing; a failure is only logged at debug.
     */
    void rehearse(List<Ban> probes) {
        try {
            writer().submit(() -> store.rehearse(probes)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | RuntimeException e) {
            LOG.atDebug().addKeyValue(LogFields.REASON, String.valueOf(e.getCause() != null ? e.getCause() : e))
                    .log("warm-up: the store's rehearsal failed; the first ban's write starts cold");
        }
    }

    private ExecutorService writer() {
        if (writer == null) {
            writer = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "tollgate-ban-store");
                thread.setDaemon(true);
                return thread;
            });
        }
        return writer;
    }

    @Override
    public void close() {
        if (writer != null) {
            writer.shutdown();
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
