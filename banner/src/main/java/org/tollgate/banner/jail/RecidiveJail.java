package org.tollgate.banner.jail;

import java.time.InstantSource;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * fail2ban's recidive: a jail with {@code source: bans} counts the bans the other jails make, per address, and
 * bans the repeat offender for longer (by default 5 bans within a day earn a week). It sees only bans of failure
 * jails, never its own nor another recidive jail's, so bans cannot feed back into themselves.
 */
public final class RecidiveJail extends Jail {

    public RecidiveJail(JailSettings settings, AddressMatcher hostAddresses, BanHistory history, InstantSource clock,
                        RandomGenerator random) {
        super(requireBans(settings), hostAddresses, history, clock, random);
    }

    /** A recidive jail counts bans, not failures. */
    @Override
    public Optional<Ban> offer(Failure failure) {
        return Optional.empty();
    }

    /** Counts a ban made by another jail, at its start; returns the recidive ban it triggers, if any. */
    public Optional<Ban> offer(Ban ban) {
        if (ban.jail().equals(name())) {
            return Optional.empty();
        }
        return count(ban.ip(), ban.start());
    }

    private static JailSettings requireBans(JailSettings settings) {
        if (settings.source() != JailSettings.Source.BANS) {
            throw new IllegalArgumentException("jail " + settings.name() + " counts failures; build it as a Jail");
        }
        return settings;
    }
}
