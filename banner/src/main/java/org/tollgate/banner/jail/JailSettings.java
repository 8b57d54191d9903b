package org.tollgate.banner.jail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.tollgate.normalizer.geo.SourceGeo;

/**
 * One jail's settings, validated once. Defaults are fail2ban's: a failure jail bans after 5 failures within 10
 * minutes for 10 minutes; a recidive jail ({@code source: bans}) bans after 5 bans within a day for a week.
 *
 * @param name       the jail's name: letters, digits, {@code -} and {@code _}, at most 32 characters
 * @param enabled    a disabled jail is kept in the settings but does not run
 * @param source     what the jail counts: failures, or the bans of the other jails
 * @param maxretry   how many within findtime make a ban
 * @param findtime   the sliding window
 * @param bantime    how long a ban lasts, or {@link #PERMANENT} (fail2ban's -1)
 * @param increment  how bantime grows for repeat offenders
 * @param ignoreip   addresses and CIDR blocks never banned
 * @param ignoreself whether the host's own addresses are never banned
 * @param match      the {@code event.action} names counted; empty counts every failure
 * @param geoMatch   per {@link org.tollgate.normalizer.geo.SourceGeo#FIELDS geo or AS field}, the values counted: a
 *                   failure counts only when each field's value (country codes in upper case) is one of its values;
 *                   empty counts failures from anywhere, their place known or not
 * @param trust      whether failures whose source address an attacker could have written are counted
 * @param maxTracked how many addresses the jail follows at most; past it the least recently seen is forgotten
 * @param actions    the firewall actions that enforce this jail's bans (the alert actions of the same list are in
 *                   {@code alerts})
 * @param count      what maxretry counts: distinct attempts (the lines one failed login writes count once) or lines
 * @param filters    the names of the user's fail2ban filters whose failures ({@code custom:<name>}) the jail counts
 * @param alerts     the alert actions told of this jail's bans ({@code mail}, {@code webhook})
 * @param scope      where the jail counts and bans: this host alone, or every node of a cluster
 */
public record JailSettings(String name, boolean enabled, Source source, int maxretry, Duration findtime,
                           Duration bantime, BanTimeIncrement increment, AddressMatcher ignoreip, boolean ignoreself,
                           Set<String> match, Map<String, Set<String>> geoMatch, Trust trust, int maxTracked,
                           List<ActionSettings> actions, Count count, Set<String> filters,
                           List<ActionSettings> alerts, Scope scope) {

    /** Where a jail counts and bans. */
    public enum Scope {
        /** This host: its own failures, its own firewall. */
        LOCAL,
        /**
         * Every node of the cluster: the failures of all nodes counted together, and each ban applied on every node's
         * firewall (without a cluster, the same as {@link #LOCAL}).
         */
        CLUSTER;

        /** The word used in tollgate.yaml. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What maxretry counts. */
    public enum Count {
        /**
         * Distinct attempts ({@code asterisk.attempt_id}): the several lines one failed login writes count once, when
         * its first line arrives.
         */
        ATTEMPTS,
        /** Every failure line, as fail2ban does. */
        LINES;

        /** The word used in tollgate.yaml. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What a jail counts. */
    public enum Source {
        /** Failures from the event stream. */
        FAILURES,
        /** Bans made by the other (failure) jails: fail2ban's recidive. */
        BANS;

        /** The word used in tollgate.yaml. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Which failures count, by how far their source address can be believed. */
    public enum Trust {
        /** Only failures whose address is the real peer. */
        TRUSTED,
        /** Those, and what the jail's own fail2ban filters find ({@code custom:<filter>}). */
        CUSTOM,
        /**
         * Also failures whose address comes from a header an attacker writes (for example a Via received=), and what
         * the jail's own filters find.
         */
        ANY;

        /** The word used in tollgate.yaml. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final int DEFAULT_MAXRETRY = 5;
    public static final Duration DEFAULT_FINDTIME = Duration.ofMinutes(10);
    public static final Duration DEFAULT_BANTIME = Duration.ofMinutes(10);
    public static final int DEFAULT_RECIDIVE_MAXRETRY = 5;
    public static final Duration DEFAULT_RECIDIVE_FINDTIME = Duration.ofDays(1);
    public static final Duration DEFAULT_RECIDIVE_BANTIME = Duration.ofDays(7);
    public static final boolean DEFAULT_IGNORESELF = true;
    public static final int DEFAULT_MAX_TRACKED = 1_000_000;

    /** Each tracked address keeps up to maxretry timestamps, so maxretry is kept small. */
    public static final int LARGEST_MAXRETRY = 1000;

    /** fail2ban's {@code bantime = -1}. */
    public static final Duration PERMANENT = Duration.ofSeconds(-1);

    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,31}");

    /** What the {@code event.action} of a failure a user's fail2ban filter found starts with. */
    public static final String CUSTOM_PREFIX = "custom:";

    public JailSettings {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("jail name '" + name
                    + "' must be letters, digits, '-' and '_', starting with a letter or digit, at most 32 characters");
        }
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(count, "count");
        if (maxretry < 1 || maxretry > LARGEST_MAXRETRY) {
            throw new IllegalArgumentException("jail " + name + ": maxretry must be from 1 to " + LARGEST_MAXRETRY
                    + ", was " + maxretry);
        }
        if (findtime.isNegative() || findtime.isZero()) {
            throw new IllegalArgumentException("jail " + name + ": findtime must be greater than 0, was " + findtime);
        }
        if (bantime.isNegative()) {
            bantime = PERMANENT;
        } else if (bantime.isZero()) {
            throw new IllegalArgumentException("jail " + name + ": bantime must be greater than 0 or -1, was 0");
        }
        Objects.requireNonNull(increment, "increment");
        Objects.requireNonNull(ignoreip, "ignoreip");
        match = Collections.unmodifiableSet(new LinkedHashSet<>(match));
        Map<String, Set<String>> geo = new LinkedHashMap<>();
        geoMatch.forEach((field, values) -> {
            if (!SourceGeo.FIELDS.contains(field)) {
                throw new IllegalArgumentException("jail " + name + ": cannot match on " + field + "; fields: "
                        + String.join(", ", SourceGeo.FIELDS));
            }
            Set<String> normalized = new LinkedHashSet<>();
            values.forEach(value -> normalized.add(geoValue(field, value)));
            geo.put(field, Collections.unmodifiableSet(normalized));
        });
        geoMatch = Collections.unmodifiableMap(geo);
        if (source == Source.BANS && (!match.isEmpty() || !geoMatch.isEmpty())) {
            throw new IllegalArgumentException("jail " + name + ": match applies to failures; a jail with source: bans"
                    + " counts every ban of the other jails");
        }
        if (maxTracked < 1) {
            throw new IllegalArgumentException("jail " + name + ": maxtracked must be at least 1, was " + maxTracked);
        }
        actions = List.copyOf(actions);
        for (ActionSettings action : actions) {
            if (action.alert()) {
                throw new IllegalArgumentException("jail " + name + ": " + action.type() + " is an alert action");
            }
        }
        alerts = List.copyOf(alerts);
        for (ActionSettings alert : alerts) {
            if (!alert.alert()) {
                throw new IllegalArgumentException("jail " + name + ": " + alert.type() + " is a firewall action");
            }
        }
        filters = Collections.unmodifiableSet(new LinkedHashSet<>(filters));
        if (source == Source.BANS && !filters.isEmpty()) {
            throw new IllegalArgumentException("jail " + name + ": a jail with source: bans counts bans, not what a"
                    + " filter finds");
        }
        Objects.requireNonNull(scope, "scope");
    }

    /** True for a jail whose failures are counted across the cluster and whose bans apply on every node. */
    public boolean clusterScope() {
        return scope == Scope.CLUSTER;
    }

    /** The action name of what filter {@code name} finds: {@code custom:<name>}. */
    public static String customAction(String name) {
        return CUSTOM_PREFIX + name;
    }

    /** These settings, counting what the fail2ban filters {@code names} find. */
    public JailSettings withFilters(Set<String> names) {
        return new JailSettings(name, enabled, source, maxretry, findtime, bantime, increment, ignoreip, ignoreself,
                match, geoMatch, trust, maxTracked, actions, count, names, alerts, scope);
    }

    /** A failure jail with fail2ban's defaults. */
    public static Builder builder(String name) {
        return new Builder(name, Source.FAILURES);
    }

    /** A jail of {@code source} with fail2ban's defaults for it (recidive's for {@link Source#BANS}). */
    public static Builder builder(String name, Source source) {
        return new Builder(name, source);
    }

    public boolean permanent() {
        return bantime.isNegative();
    }

    /** A value of a geo or AS field as it is compared: codes in upper case, the rest as written. */
    public static String geoValue(String field, String value) {
        return field.equals(SourceGeo.COUNTRY_ISO_CODE) || field.equals(SourceGeo.CONTINENT_CODE)
                ? value.toUpperCase(Locale.ROOT) : value;
    }

    /** Builds {@link JailSettings}; every value starts at its default. */
    public static final class Builder {
        private final String name;
        private final Source source;
        private boolean enabled = true;
        private int maxretry;
        private Duration findtime;
        private Duration bantime;
        private BanTimeIncrement increment = BanTimeIncrement.DISABLED;
        private AddressMatcher ignoreip = AddressMatcher.NONE;
        private boolean ignoreself = DEFAULT_IGNORESELF;
        private final Set<String> match = new LinkedHashSet<>();
        private final Map<String, Set<String>> geoMatch = new LinkedHashMap<>();
        private Trust trust = Trust.TRUSTED;
        private int maxTracked = DEFAULT_MAX_TRACKED;
        private final List<ActionSettings> actions = new ArrayList<>();
        private Count count = Count.ATTEMPTS;
        private final List<ActionSettings> alerts = new ArrayList<>();
        private Scope scope = Scope.LOCAL;

        private Builder(String name, Source source) {
            this.name = name;
            this.source = Objects.requireNonNull(source, "source");
            boolean recidive = source == Source.BANS;
            this.maxretry = recidive ? DEFAULT_RECIDIVE_MAXRETRY : DEFAULT_MAXRETRY;
            this.findtime = recidive ? DEFAULT_RECIDIVE_FINDTIME : DEFAULT_FINDTIME;
            this.bantime = recidive ? DEFAULT_RECIDIVE_BANTIME : DEFAULT_BANTIME;
        }

        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        public Builder maxretry(int maxretry) {
            this.maxretry = maxretry;
            return this;
        }

        public Builder findtime(Duration findtime) {
            this.findtime = findtime;
            return this;
        }

        /** A positive duration, or {@link #PERMANENT}. */
        public Builder bantime(Duration bantime) {
            this.bantime = bantime;
            return this;
        }

        public Builder increment(BanTimeIncrement increment) {
            this.increment = increment;
            return this;
        }

        public Builder ignoreip(AddressMatcher ignoreip) {
            this.ignoreip = ignoreip;
            return this;
        }

        public Builder ignoreself(boolean ignoreself) {
            this.ignoreself = ignoreself;
            return this;
        }

        public Builder match(Collection<String> actionNames) {
            match.clear();
            match.addAll(actionNames);
            return this;
        }

        /** Counts only failures whose {@code field} (one of {@link SourceGeo#FIELDS}) is one of {@code values}. */
        public Builder geoMatch(String field, Collection<String> values) {
            geoMatch.put(field, new LinkedHashSet<>(values));
            return this;
        }

        public Builder trust(Trust trust) {
            this.trust = trust;
            return this;
        }

        public Builder maxTracked(int maxTracked) {
            this.maxTracked = maxTracked;
            return this;
        }

        public Builder count(Count count) {
            this.count = count;
            return this;
        }

        /** The jail's actions as listed: firewall actions, and alert actions, which go to {@link #alerts}. */
        public Builder actions(Collection<ActionSettings> actions) {
            this.actions.clear();
            this.alerts.clear();
            for (ActionSettings action : actions) {
                (action.alert() ? alerts : this.actions).add(action);
            }
            return this;
        }

        public Builder scope(Scope scope) {
            this.scope = scope;
            return this;
        }

        public JailSettings build() {
            return new JailSettings(name, enabled, source, maxretry, findtime, bantime, increment, ignoreip,
                    ignoreself, match, geoMatch, trust, maxTracked, actions, count, Set.of(), alerts, scope);
        }
    }
}
