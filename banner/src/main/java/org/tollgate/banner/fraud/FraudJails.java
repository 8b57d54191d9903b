package org.tollgate.banner.fraud;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.tollgate.banner.store.FraudHistory;
import org.tollgate.normalizer.call.CallEvent;

/** The enabled fraud jails, run together: every call goes to each. Calls are serialised. */
public final class FraudJails {

    private final List<FraudJail> jails = new ArrayList<>();
    private long checks;
    private final FraudHistory history;

    public FraudJails(Collection<FraudSettings> settings) {
        this(settings, null);
    }

    /** @param history where what the jails learn is kept across restarts, or null for nowhere (a replay) */
    public FraudJails(Collection<FraudSettings> settings, FraudHistory history) {
        this.history = history;
        for (FraudSettings jail : settings) {
            if (jail.enabled()) {
                jails.add(new FraudJail(jail));
            }
        }
    }

    /**
     * Takes back what the jails learned in earlier runs (blocking: the state database); returns how many entries.
     */
    public int restore() {
        if (history == null || jails.isEmpty()) {
            return 0;
        }
        List<FraudHistory.Entry> entries = history.load();
        synchronized (this) {
            for (FraudHistory.Entry entry : entries) {
                for (FraudJail jail : jails) {
                    if (jail.name().equals(entry.jail())) {
                        jail.remember(entry);
                    }
                }
            }
        }
        return entries.size();
    }

    /**
     * Writes what the jails learned since the last save (blocking: the state database; never under this object's
     * lock); false when the database did not take it (kept for the next save).
     */
    public boolean saveLearned() {
        if (history == null) {
            return true;
        }
        List<FraudHistory.Entry> learned = new ArrayList<>();
        synchronized (this) {
            for (FraudJail jail : jails) {
                learned.addAll(jail.drainLearned());
            }
        }
        return history.save(learned);
    }

    /** True when no fraud jail runs. */
    public boolean isEmpty() {
        return jails.isEmpty();
    }

    /** Counts {@code call} (seen at log time {@code at}) in every jail; returns the alerts it made. */
    public List<FraudAlert> offer(CallEvent call, Instant at) {
        return offer(call, at, at);
    }

    /**
     * As {@link #offer(CallEvent, Instant)}; {@code seen} is the service clock's time of arrival, from which the
     * minutes of answered calls still up are counted ({@link #check}).
     */
    public synchronized List<FraudAlert> offer(CallEvent call, Instant at, Instant seen) {
        List<FraudAlert> alerts = null;
        for (FraudJail jail : jails) {
            Optional<FraudAlert> alert = jail.offer(call, at, seen);
            if (alert.isPresent()) {
                if (alerts == null) {
                    alerts = new ArrayList<>(1);
                }
                alerts.add(alert.get());
            }
        }
        return alerts == null ? List.of() : alerts;
    }

    /** Counts the minutes of answered calls still up at {@code now} ({@link FraudJail#check}); the alerts made. */
    public synchronized List<FraudAlert> check(Instant now) {
        checks++;
        List<FraudAlert> alerts = new ArrayList<>(0);
        for (FraudJail jail : jails) {
            alerts.addAll(jail.check(now));
        }
        return alerts;
    }

    /** Answered calls up now whose minutes a limit counts, in all jails. */
    public synchronized int answeredUp() {
        return jails.stream().mapToInt(FraudJail::answeredUp).sum();
    }

    /** How many times {@link #check} ran. */
    public synchronized long checks() {
        return checks;
    }

    /** Lets {@code key} trip {@code jail} again; false when no such jail or the key was not stopped. */
    public synchronized boolean lift(String jail, String key) {
        for (FraudJail fraudJail : jails) {
            if (fraudJail.name().equals(jail)) {
                return fraudJail.lift(key);
            }
        }
        return false;
    }

    /** Per jail: its name, the calls it counted and the alerts it made. */
    public synchronized List<String> summary() {
        List<String> lines = new ArrayList<>();
        for (FraudJail jail : jails) {
            lines.add(String.format("%-16s %d calls counted, %d alerts", jail.name(), jail.counted(), jail.alerts()));
        }
        return lines;
    }
}
