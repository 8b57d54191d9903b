package org.tollgate.banner.jail;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * fail2ban's {@code bantime.*} options: how a repeat offender's bantime grows. As in fail2ban, the first ban of an
 * address uses the jail's bantime unchanged; from the second on,
 * <ul>
 * <li>without multipliers: {@code bantime * 2^min(previousBans, 20) * factor} (fail2ban's default
 *     {@code bantime.formula}, the only formula accepted: config is not a place to evaluate expressions);</li>
 * <li>with multipliers: {@code bantime * factor * multipliers[min(previousBans, size - 1)]};</li>
 * </ul>
 * then capped at {@code maxtime}, then lengthened by a random 0..rndtime seconds so that a botnet cannot time its
 * return to the second.
 *
 * @param enabled      {@code bantime.increment}
 * @param factor       {@code bantime.factor}, greater than 0
 * @param multipliers  {@code bantime.multipliers}, each at least 1; empty for the formula
 * @param maxtime      {@code bantime.maxtime}, or {@code null} for no cap
 * @param rndtime      {@code bantime.rndtime}, zero for none
 * @param overallJails {@code bantime.overalljails}: count the address's bans in every jail, not only this one
 */
public record BanTimeIncrement(boolean enabled, double factor, List<Integer> multipliers, Duration maxtime,
                               Duration rndtime, boolean overallJails) {

    public static final double DEFAULT_FACTOR = 1.0;

    /** fail2ban's default {@code bantime.formula}, the one shape accepted. */
    public static final String DEFAULT_FORMULA = "ban.Time * (1<<(ban.Count if ban.Count<20 else 20)) * banFactor";

    /** fail2ban stops doubling after 20 previous bans. */
    public static final int LONGEST_SHIFT = 20;

    public static final BanTimeIncrement DISABLED =
            new BanTimeIncrement(false, DEFAULT_FACTOR, List.of(), null, Duration.ZERO, false);

    /** Never computed longer than this, however large factor or multipliers are. */
    private static final long LONGEST_SECONDS = Duration.ofDays(365L * 100).getSeconds();

    public BanTimeIncrement {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("bantime.factor must be a number greater than 0, was " + factor);
        }
        multipliers = List.copyOf(multipliers);
        for (int multiplier : multipliers) {
            if (multiplier < 1) {
                throw new IllegalArgumentException("bantime.multipliers must each be at least 1, was " + multipliers);
            }
        }
        if (maxtime != null && (maxtime.isNegative() || maxtime.isZero())) {
            throw new IllegalArgumentException("bantime.maxtime must be greater than 0, was " + maxtime);
        }
        rndtime = Objects.requireNonNullElse(rndtime, Duration.ZERO);
        if (rndtime.isNegative()) {
            throw new IllegalArgumentException("bantime.rndtime must not be negative, was " + rndtime);
        }
    }

    /**
     * The bantime of a ban that has {@code previousBans} bans before it.
     *
     * @param bantime the jail's bantime, not permanent
     */
    public Duration apply(Duration bantime, int previousBans, RandomGenerator random) {
        if (!enabled || previousBans <= 0) {
            return bantime;
        }
        double multiplier = multipliers.isEmpty()
                ? (double) (1L << Math.min(previousBans, LONGEST_SHIFT))
                : multipliers.get(Math.min(previousBans, multipliers.size() - 1));
        double seconds = bantime.getSeconds() * multiplier * factor;
        long whole = (long) Math.min(seconds, LONGEST_SECONDS);
        if (maxtime != null) {
            whole = Math.min(whole, maxtime.getSeconds());
        }
        long rnd = rndtime.getSeconds();
        if (rnd > 0) {
            whole += random.nextLong(rnd + 1);
        }
        return Duration.ofSeconds(whole);
    }
}
