package org.tollgate.banner.jail;

/**
 * How often each address was banned before: what bantime increments grow from. Jails read it before a ban and
 * record the ban after.
 */
public interface BanHistory {

    /** How many bans of {@code ip} by {@code jail} are recorded. */
    int banCount(String ip, String jail);

    /** How many bans of {@code ip} by any jail are recorded. */
    int banCount(String ip);

    /** Records one ban. */
    void record(Ban ban);

    /** Forgets addresses whose last ban started before {@code cutoff}, so the history stays bounded. */
    default void forgetBefore(java.time.Instant cutoff) {
    }
}
