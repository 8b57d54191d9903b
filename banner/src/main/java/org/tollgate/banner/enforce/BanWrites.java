package org.tollgate.banner.enforce;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
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
 * <p>New bans are written beside their firewall calls ({@link #saveBeside}): by the enforcer's thread right after
 * its calls return, when they return within {@link #BESIDE_AFTER} (the usual case), and otherwise by a thread of its
 * own once that time has passed, so that the row is written whatever the firewall does (a call hanging until its
 * timeout). A write handed to another thread at once competed with the firewall call for the cores, and waking that
 * thread cost the enforcer its core for a while: on a busy two-core machine the entry was in the set up to a
 * millisecond later. For the same reason a ban does not wake the late writer either: it looks every
 * {@link #BESIDE_AFTER} whether a write waits (ten wake-ups a second of a thread that finds nothing, off any ban's
 * way), and sleeps until a waiting write's {@link #BESIDE_AFTER} is up. Woken by each ban instead, it took a core
 * beside the ban's own firewall call: from the jail's decision to the ipset session's add 0.48 to 0.31 ms (medians of
 * three traced runs each, 50 bans at 10/s, load 7-8). The enforcer waits for the write ({@link SaveInFlight#await})
 * before anything else touches the store, so the store's changes stay in the enforcer's order.
 */
final class BanWrites implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BanWrites.class);

    /**
     * How long a new ban's row waits for its firewall calls to return before the late writer writes it: far longer
     * than a call that works takes (a few milliseconds), far shorter than a hung call's timeout.
     */
    static final Duration BESIDE_AFTER = Duration.ofMillis(100);

    private final BanStore store;
    private final BanLedger ledger;
    /** The write waiting for its firewall calls, if any: one at a time, each awaited before the next is made. */
    private volatile SaveInFlight inFlight;
    /** Writes a new ban's row whose firewall calls outlast {@link #BESIDE_AFTER}; started at the warm-up or first ban. */
    private Thread lateWriter;
    private volatile boolean closed;

    BanWrites(BanStore store, BanLedger ledger) {
        this.store = store;
        this.ledger = ledger;
    }

    /**
     * Starts writing {@code bans} beside the caller's firewall calls and returns at once: the caller makes its calls and
     * then {@linkplain SaveInFlight#await awaits} the write, before any other call of this class. The write is made by
     * {@code await} on the caller's thread, or by the late writer if the calls took longer than {@link #BESIDE_AFTER};
     * exactly once either way.
     */
    SaveInFlight saveBeside(List<Ban> bans) {
        SaveInFlight saving = new SaveInFlight(bans, System.nanoTime());
        if (!closed) {
            startLateWriter();
            inFlight = saving;
        }
        return saving;
    }

    /** A write of new bans, made by whichever claims it first: the caller's await, or the late writer. */
    final class SaveInFlight {
        private final List<Ban> bans;
        /** {@link System#nanoTime()} when the write was handed over. */
        private final long since;
        private final AtomicBoolean claimed = new AtomicBoolean();
        private final CountDownLatch written = new CountDownLatch(1);
        /** What the write threw, set by whichever thread made it. */
        private volatile StoreException failure;

        private SaveInFlight(List<Ban> bans, long since) {
            this.bans = bans;
            this.since = since;
        }

        private boolean claim() {
            return claimed.compareAndSet(false, true);
        }

        private void write() {
            try {
                store.saveAll(bans);
            } catch (StoreException e) {
                failure = e;
            } catch (RuntimeException e) {
                failure = new StoreException("cannot save " + bans.size() + " bans: " + e, e);
            } finally {
                written.countDown();
            }
        }

        /**
         * Writes the bans here unless the late writer has begun to, and then waits for it (a store call is bounded by
         * the database's busy timeout); counts the write if it failed.
         */
        void await() {
            if (claim()) {
                write();
            } else {
                boolean interrupted = false;
                while (true) {
                    try {
                        written.await();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            if (inFlight == this) {
                inFlight = null;
            }
            if (failure != null) {
                failed(bans.size(), failure, "bans not saved yet; enforced, and written when the store works again");
            }
        }
    }

    /**
     * Runs the store's statements for {@code probes} in a transaction rolled back ({@link BanStore#rehearse}) on the
     * caller's thread, where a ban's write is made, and starts the late writer: the first real ban's write then finds
     * its connection and code warm, and no thread is started on its way. Writes nothing; a failure is only logged at
     * debug.
     */
    void rehearse(List<Ban> probes) {
        startLateWriter();
        try {
            store.rehearse(probes);
        } catch (RuntimeException e) {
            LOG.atDebug().addKeyValue(LogFields.REASON, String.valueOf(e))
                    .log("warm-up: the store's rehearsal failed; the first ban's write starts cold");
        }
    }

    private void startLateWriter() {
        if (lateWriter == null && !closed) {
            lateWriter = new Thread(this::watch, "tollgate-ban-store");
            // Daemon: a write in flight never holds up an exit.
            lateWriter.setDaemon(true);
            lateWriter.start();
        }
    }

    /**
     * The late writer: writes the row whose firewall calls outlast {@link #BESIDE_AFTER}, unless the caller began it;
     * looks again every {@link #BESIDE_AFTER} while no write waits for it, so that a write found late is still written
     * {@link #BESIDE_AFTER} after it was handed over.
     */
    private void watch() {
        while (!closed) {
            SaveInFlight saving = inFlight;
            if (saving == null || saving.claimed.get()) {
                // Nothing to wait for: looked at again in BESIDE_AFTER, never woken by a ban.
                LockSupport.parkNanos(this, BESIDE_AFTER.toNanos());
                continue;
            }
            long left = saving.since + BESIDE_AFTER.toNanos() - System.nanoTime();
            if (left > 0) {
                LockSupport.parkNanos(this, left);
            } else if (saving.claim()) {
                saving.write();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        if (lateWriter != null) {
            LockSupport.unpark(lateWriter);
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
