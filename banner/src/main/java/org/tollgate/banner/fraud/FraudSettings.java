package org.tollgate.banner.fraud;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.tollgate.normalizer.call.DestinationClass;

/**
 * One fraud jail's settings, validated once: the {@code fraud:} section of tollgate.yaml. A fraud jail counts the
 * calls of each endpoint (or of each source address) and trips when one of its limits is passed; it never counts an
 * emergency call.
 *
 * @param name            letters, digits, {@code -} and {@code _}, at most 32 characters
 * @param enabled         a disabled jail is kept but does not run
 * @param per             what a limit counts for: each endpoint, or each source address
 * @param contexts        the dialplan contexts counted (where the endpoints' calls enter); empty counts every context
 * @param limits          calls and answered minutes to destination classes over sliding windows
 * @param concurrent      most calls an endpoint may have up at once, or 0 for no limit
 * @param newDestinations most numbers never called before by the key within a window, or null for no limit
 * @param hours           when calls to some classes are expected; a call to them outside trips, or null
 * @param blocked         classes whose first call from a key that never made one trips the jail
 * @param bantime         how long the key stays stopped after it tripped (no new alert meanwhile)
 * @param banSource       the failure jail that bans the source address of the call that tripped (when trusted),
 *                        with its bantime and actions; or null
 * @param stopCalls       hang up the key's calls and block its new ones through the Asterisk Manager Interface
 * @param maxTracked      keys followed at most; past it the least recently seen is forgotten
 */
public record FraudSettings(String name, boolean enabled, Per per, Set<String> contexts, List<Limit> limits,
                            int concurrent, NewDestinations newDestinations, Hours hours, Set<DestinationClass> blocked,
                            Duration bantime, String banSource, boolean stopCalls, int maxTracked) {

    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,31}");
    public static final Duration DEFAULT_BANTIME = Duration.ofHours(1);
    public static final int DEFAULT_MAX_TRACKED = 100_000;
    /** The classes a limit counts when it names none: where toll fraud calls go. */
    public static final Set<DestinationClass> DEFAULT_CLASSES = Collections.unmodifiableSet(EnumSet.of(
            DestinationClass.INTERNATIONAL, DestinationClass.PREMIUM, DestinationClass.SATELLITE));

    /** What each count is kept for. */
    public enum Per {
        /** The endpoint the calling channel belongs to ({@code PJSIP/1001}). */
        ENDPOINT,
        /** The address the endpoint last registered or authenticated from. */
        SOURCE;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What a {@link Limit} counts. */
    public enum Measure {
        /** Calls started. */
        CALLS,
        /** Minutes talked on calls that ended (answered time). */
        MINUTES;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * At most {@code max} calls (or minutes) to {@code classes} within {@code window}; one more trips the jail.
     */
    public record Limit(Measure measure, Set<DestinationClass> classes, int max, Duration window) {
        public Limit {
            Objects.requireNonNull(measure, "measure");
            classes = Collections.unmodifiableSet(EnumSet.copyOf(classes));
            if (max < 0) {
                throw new IllegalArgumentException("max must be 0 or more, was " + max);
            }
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("window must be greater than 0, was " + window);
            }
        }
    }

    /** At most {@code max} numbers to {@code classes} that the key never called before, within {@code window}. */
    public record NewDestinations(Set<DestinationClass> classes, int max, Duration window) {
        public NewDestinations {
            classes = Collections.unmodifiableSet(EnumSet.copyOf(classes));
            if (max < 0 || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("new destinations need max >= 0 and a window > 0");
            }
        }
    }

    /** Calls to {@code classes} are expected from {@code from} to {@code to} (local time in {@code zone}). */
    public record Hours(LocalTime from, LocalTime to, ZoneId zone, Set<DestinationClass> classes) {
        public Hours {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(zone, "zone");
            classes = Collections.unmodifiableSet(EnumSet.copyOf(classes));
        }

        /** True when {@code time} is inside the hours (a range past midnight, 22:00 to 06:00, wraps). */
        public boolean inside(LocalTime time) {
            if (from.equals(to)) {
                return true;
            }
            return from.isBefore(to) ? !time.isBefore(from) && time.isBefore(to)
                    : !time.isBefore(from) || time.isBefore(to);
        }
    }

    public FraudSettings {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("fraud jail name '" + name
                    + "' must be letters, digits, '-' and '_', starting with a letter or digit, at most 32 characters");
        }
        Objects.requireNonNull(per, "per");
        contexts = Set.copyOf(contexts);
        limits = List.copyOf(limits);
        if (concurrent < 0) {
            throw new IllegalArgumentException("fraud jail " + name + ": concurrent must be 0 or more");
        }
        blocked = blocked.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(blocked));
        if (blocked.contains(DestinationClass.EMERGENCY) || limits.stream().anyMatch(
                l -> l.classes().contains(DestinationClass.EMERGENCY))) {
            throw new IllegalArgumentException("fraud jail " + name + ": emergency calls are never limited");
        }
        if (bantime.isNegative() || bantime.isZero()) {
            throw new IllegalArgumentException("fraud jail " + name + ": bantime must be greater than 0");
        }
        if (maxTracked < 1) {
            throw new IllegalArgumentException("fraud jail " + name + ": maxtracked must be at least 1");
        }
    }
}
