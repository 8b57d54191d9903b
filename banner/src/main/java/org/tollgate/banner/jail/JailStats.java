package org.tollgate.banner.jail;

/**
 * One jail's counters since start, for metrics and the API.
 *
 * @param jail        the jail's name
 * @param counted     failures (for a recidive jail: bans) counted into a window
 * @param ignored     skipped because the address is in ignoreip or is the host's own
 * @param untrusted   skipped because the source address could have been written by the attacker
 * @param unmatched   skipped because the action is not in match
 * @param invalid     skipped because the source is not an IP literal
 * @param stale       skipped because they are older than findtime, or their ban would already be over
 * @param whileBanned skipped because the address is already banned by this jail
 * @param bans        bans made
 * @param evictions   addresses forgotten because the jail tracked maxtracked of them
 * @param tracked     addresses tracked now
 * @param active      bans in force now
 * @param sameAttempt skipped because they are another line of an attempt already counted ({@code count: attempts})
 */
public record JailStats(String jail, long counted, long ignored, long untrusted, long unmatched, long invalid,
                        long stale, long whileBanned, long bans, long evictions, int tracked, int active,
                        long sameAttempt) {

    public JailStats(String jail, long counted, long ignored, long untrusted, long unmatched, long invalid,
                     long stale, long whileBanned, long bans, long evictions, int tracked, int active) {
        this(jail, counted, ignored, untrusted, unmatched, invalid, stale, whileBanned, bans, evictions, tracked,
                active, 0);
    }
}
