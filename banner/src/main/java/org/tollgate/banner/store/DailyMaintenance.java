package org.tollgate.banner.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.banner.LogFields;
import org.tollgate.banner.jail.Jails;

/**
 * Keeps the state bounded and fresh, once a day: purges the ban history older than increments and recidive look at
 * (in the database and in the jails' memory), forgets read positions of files not read for
 * {@link #POSITIONS_KEPT}, and reads the host's own addresses again for {@code ignoreself}.
 */
public final class DailyMaintenance {

    private static final Logger LOG = LoggerFactory.getLogger(DailyMaintenance.class);

    /** How often it runs. */
    public static final Duration PERIOD = Duration.ofDays(1);
    /** Positions of files (rotated away) and journals not read for this long are forgotten. */
    public static final Duration POSITIONS_KEPT = Duration.ofDays(180);

    private final StateDatabase db;
    private final Jails jails;
    private final Duration historyKept;

    /**
     * @param historyKept how far back the ban history matters (the longest findtime, at least the history window)
     */
    public DailyMaintenance(StateDatabase db, Jails jails, Duration historyKept) {
        this.db = Objects.requireNonNull(db, "db");
        this.jails = Objects.requireNonNull(jails, "jails");
        this.historyKept = Objects.requireNonNull(historyKept, "historyKept");
    }

    /**
     * What one run did.
     *
     * @param historyPurged   ban history rows deleted
     * @param positionsForgot read positions and cursors deleted
     * @param rows            rows per table after the run
     */
    public record Report(int historyPurged, int positionsForgot, Map<String, Long> rows) {
    }

    /**
     * The minute's upkeep: writes what the database could not take before (a quiet source saves no new position
     * that would carry its kept one), and counts the rows per table again for the metrics; returns them.
     */
    public Map<String, Long> everyMinute() {
        db.positions().retryUnsaved();
        db.bans().retryUnsaved();
        return db.tableSizes();
    }

    /** Runs once at {@code now}; a database that fails is reported and tried again next time. */
    public Report run(Instant now) {
        int purged = 0;
        int forgot = 0;
        Instant historyCutoff = now.minus(historyKept);
        try {
            purged = db.bans().purgeHistoryBefore(historyCutoff);
            forgot = db.positions().forgetBefore(now.minus(POSITIONS_KEPT));
        } catch (StoreException e) {
            LOG.atWarn().addKeyValue(LogFields.REASON, e.getMessage()).log("state maintenance could not purge; trying again tomorrow");
        }
        jails.forgetHistoryBefore(historyCutoff);
        jails.refreshHostAddresses();
        Map<String, Long> rows = db.tableSizes();
        LOG.atInfo().addKeyValue(LogFields.PURGED, purged).addKeyValue(LogFields.FORGOTTEN, forgot)
                .addKeyValue(LogFields.ROWS, rows).log("state maintenance done");
        return new Report(purged, forgot, rows);
    }
}
