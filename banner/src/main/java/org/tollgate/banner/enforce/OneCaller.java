package org.tollgate.banner.enforce;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Checks that one caller at a time is inside: the enforcer is confined to its owner's ordered worker queue and takes
 * no lock (a lock would be held across firewall calls). Two threads inside at once is a defect in the caller, reported
 * at once with an {@link IllegalStateException} instead of corrupting the ledger. Re-entry from the thread inside is
 * allowed.
 */
final class OneCaller {

    /** Leaves on {@link #close()}. */
    interface Turn extends AutoCloseable {
        @Override
        void close();
    }

    private final String owner;
    private final AtomicReference<Thread> inside = new AtomicReference<>();

    /** @param owner what is guarded, for the message */
    OneCaller(String owner) {
        this.owner = owner;
    }

    /**
     * Enters; use in a try-with-resources.
     *
     * @throws IllegalStateException when another thread is inside
     */
    Turn enter() {
        Thread me = Thread.currentThread();
        if (inside.get() == me) {
            return () -> { };
        }
        if (!inside.compareAndSet(null, me)) {
            throw new IllegalStateException(owner + " called from " + me.getName() + " while "
                    + inside.get().getName() + " is inside: its calls must come from one owner, one at a time");
        }
        return () -> inside.set(null);
    }
}
