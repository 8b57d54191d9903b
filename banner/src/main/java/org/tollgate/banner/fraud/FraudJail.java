package org.tollgate.banner.fraud;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tollgate.banner.store.FraudHistory;
import org.tollgate.normalizer.call.CallEvent;
import org.tollgate.normalizer.call.ChannelName;
import org.tollgate.normalizer.call.DestinationClass;
import org.tollgate.normalizer.correlate.LruMap;

/**
 * One fraud jail: counts the calls of each key (endpoint or source address) against its limits and trips once per key,
 * then stays quiet for that key for {@link FraudSettings#bantime} or until {@link #lift lifted}. A call is counted
 * once whether it was read from the dialplan lines, a CDR or CEL, or several of them (its channel name says it is the
 * same call); a CDR alone makes it known at its end, counted at its start time. Emergency calls are never counted.
 *
 * <p>Log time throughout: the windows are measured back from the call being counted, so a replay of last month decides
 * as the live run would have. Bounded: {@link FraudSettings#maxTracked} keys, {@link #CHANNELS} channels and
 * {@link #KNOWN_NUMBERS} numbers per key, the least recently used forgotten. Not thread-safe.
 */
public final class FraudJail {

    /** Channels remembered at most (to count each call once). */
    public static final int CHANNELS = 16_384;
    /** Numbers remembered per key at most, for {@code new_destinations}. */
    public static final int KNOWN_NUMBERS = 1_000;
    /**
     * An answered call seen longer ago than this, whose end never came (a log rotated away, a lost line), no longer
     * counts as up: it would otherwise count minutes for ever.
     */
    public static final Duration LONGEST_CALL = Duration.ofHours(24);
    /** Answered calls kept per minutes limit and key at most. */
    private static final int MAX_MINUTE_ENTRIES = 10_000;

    private final FraudSettings settings;
    private final Map<String, Key> keys;
    private final Map<String, Seen> channels = new LruMap<>(CHANNELS);
    /** The keys with answered calls up that a minutes limit counts, for {@link #check}. */
    private final Map<String, Key> talking = new LruMap<>(CHANNELS);
    /** Learned and not yet drained; at most {@link #MAX_LEARNED}. */
    private final List<FraudHistory.Entry> learned = new ArrayList<>();
    private static final int MAX_LEARNED = 10_000;
    private long counted;
    private long alerts;

    /** What the jail knows of one channel: whether its start and its end were counted. */
    private static final class Seen {
        boolean started;
        boolean ended;
    }

    /** The counts of one key. */
    private static final class Key {
        final List<ArrayDeque<long[]>> windows = new ArrayList<>();
        final Set<String> live = new LinkedHashSet<>();
        final Map<String, Boolean> known = new LruMap<>(KNOWN_NUMBERS);
        final ArrayDeque<Long> newNumbers = new ArrayDeque<>();
        final Set<DestinationClass> classesCalled = EnumSet.noneOf(DestinationClass.class);
        /** Answered calls up, by channel: the call and when it was seen answered (epoch milliseconds). */
        final Map<String, Talking> answered = new LinkedHashMap<>();
        Instant stoppedUntil;

        Key(int limits) {
            for (int i = 0; i < limits; i++) {
                windows.add(new ArrayDeque<>());
            }
        }
    }

    /** An answered call still up: its event, and when the jail saw it answered. */
    private record Talking(CallEvent call, long since) {
    }

    /** A limit passed: which, by how much, in words. */
    private record Trip(String limit, String reason, long count, long max) {
    }

    public FraudJail(FraudSettings settings) {
        this.settings = settings;
        this.keys = new LruMap<>(settings.maxTracked());
    }

    public String name() {
        return settings.name();
    }

    public FraudSettings settings() {
        return settings;
    }

    /** Counts {@code call}; returns the alert when it made its key pass a limit (once per key until it is lifted). */
    public Optional<FraudAlert> offer(CallEvent call, Instant at) {
        return offer(call, at, at);
    }

    /**
     * As {@link #offer(CallEvent, Instant)}; {@code seen} is when the call event reached the jail (the service
     * clock), from which the minutes of an answered call still up are counted by {@link #check}. A replay passes the
     * log time for both.
     */
    public Optional<FraudAlert> offer(CallEvent call, Instant at, Instant seen) {
        DestinationClass type = call.destination().type();
        if (type == DestinationClass.EMERGENCY
                || !settings.contexts().isEmpty() && !settings.contexts().contains(call.context())) {
            return Optional.empty();
        }
        String keyName = keyOf(call);
        if (keyName == null) {
            return Optional.empty();
        }
        Key key = keys.computeIfAbsent(keyName, k -> new Key(settings.limits().size()));
        Seen channel = channels.computeIfAbsent(call.channel(), c -> new Seen());
        Trip trip = null;
        if (!channel.started && (call.kind() == CallEvent.Kind.STARTED || call.kind() == CallEvent.Kind.ENDED)) {
            channel.started = true;
            counted++;
            Instant startedAt = call.kind() == CallEvent.Kind.STARTED ? at : call.startedAt();
            if (call.kind() == CallEvent.Kind.STARTED) {
                key.live.add(call.channel());
            }
            trip = started(keyName, key, call, type, startedAt);
        }
        if (call.kind() == CallEvent.Kind.ANSWERED && !channel.ended && countsMinutes(type)) {
            if (key.answered.size() < KNOWN_NUMBERS) {
                key.answered.putIfAbsent(call.channel(), new Talking(call, seen.toEpochMilli()));
            }
            talking.put(keyName, key);
        }
        if (call.kind() == CallEvent.Kind.ENDED && !channel.ended) {
            channel.ended = true;
            key.live.remove(call.channel());
            if (key.answered.remove(call.channel()) != null && key.answered.isEmpty()) {
                talking.remove(keyName);
            }
            Trip minutes = ended(key, type, call.talkedSeconds(), at);
            trip = trip != null ? trip : minutes;
        }
        return alert(key, keyName, call, trip, at);
    }

    /**
     * Counts the minutes of the answered calls still up, from when each was seen answered to {@code now} (the
     * service clock), with the minutes of ended calls: a call running for hours trips a minutes limit while it is
     * still up, not only when it ends. Returns the alerts, one per key at most.
     */
    public List<FraudAlert> check(Instant now) {
        if (talking.isEmpty()) {
            return List.of();
        }
        List<FraudAlert> alerts = new ArrayList<>(0);
        long millis = now.toEpochMilli();
        for (Map.Entry<String, Key> entry : List.copyOf(talking.entrySet())) {
            Key key = entry.getValue();
            key.answered.values().removeIf(call -> call.since() < millis - LONGEST_CALL.toMillis());
            if (key.answered.isEmpty()) {
                talking.remove(entry.getKey());
                continue;
            }
            for (int i = 0; i < settings.limits().size(); i++) {
                FraudSettings.Limit limit = settings.limits().get(i);
                if (limit.measure() != FraudSettings.Measure.MINUTES) {
                    continue;
                }
                long from = millis - limit.window().toMillis();
                long live = 0;
                CallEvent longest = null;
                for (Talking call : key.answered.values()) {
                    if (limit.classes().contains(call.call().destination().type())) {
                        live += Math.max(0, millis - Math.max(call.since(), from)) / 1000;
                        longest = longest == null ? call.call() : longest;
                    }
                }
                long total = live + total(key.windows.get(i), from);
                if (longest != null && total > limit.max() * 60L) {
                    Trip trip = new Trip("minutes", (total / 60) + " minutes talked to " + names(limit.classes())
                            + " in " + words(limit.window()) + ", " + (live / 60) + " of them on calls still up; max "
                            + limit.max(), total / 60, limit.max());
                    alert(key, entry.getKey(), longest, trip, now).ifPresent(alerts::add);
                    break;
                }
            }
        }
        return alerts;
    }

    /** The alert of {@code trip}, unless the key is still stopped from an earlier one. */
    private Optional<FraudAlert> alert(Key key, String keyName, CallEvent call, Trip trip, Instant at) {
        if (trip == null || key.stoppedUntil != null && at.isBefore(key.stoppedUntil)) {
            return Optional.empty();
        }
        key.stoppedUntil = at.plus(settings.bantime());
        alerts++;
        String source = call.source() == null ? null : call.source().ip();
        return Optional.of(new FraudAlert(at, settings.name(), settings.per(), keyName,
                ChannelName.endpointKey(call.channel()), source, call.trusted(), trip.limit(), trip.reason(),
                trip.count(), trip.max(), call.destination().number(), call.destination().type().id(),
                List.copyOf(key.live), key.stoppedUntil, settings.banSource(), settings.stopCalls()));
    }

    private boolean countsMinutes(DestinationClass type) {
        for (FraudSettings.Limit limit : settings.limits()) {
            if (limit.measure() == FraudSettings.Measure.MINUTES && limit.classes().contains(type)) {
                return true;
            }
        }
        return false;
    }

    /**
     * What this jail learned since the last call (classes and numbers each key called for the first time), to be
     * kept across restarts ({@link FraudHistory}).
     */
    public List<FraudHistory.Entry> drainLearned() {
        if (learned.isEmpty()) {
            return List.of();
        }
        List<FraudHistory.Entry> drained = List.copyOf(learned);
        learned.clear();
        return drained;
    }

    /** Takes back what an earlier run learned: the key has called this class or number before. */
    public void remember(FraudHistory.Entry entry) {
        Key key = keys.computeIfAbsent(entry.key(), k -> new Key(settings.limits().size()));
        if (FraudHistory.Entry.CLASS.equals(entry.kind())) {
            DestinationClass type = DestinationClass.byId(entry.value());
            if (type != null) {
                key.classesCalled.add(type);
            }
        } else if (FraudHistory.Entry.NUMBER.equals(entry.kind())) {
            key.known.put(entry.value(), Boolean.TRUE);
        }
    }

    private void learned(String keyName, String kind, String value, Instant at) {
        if (learned.size() < MAX_LEARNED) {
            learned.add(new FraudHistory.Entry(settings.name(), keyName, kind, value, at.toEpochMilli()));
        }
    }

    /** Lets {@code key} trip again before its bantime is over (an operator lifted it); true when it was stopped. */
    public boolean lift(String key) {
        Key state = keys.get(key);
        if (state == null || state.stoppedUntil == null) {
            return false;
        }
        state.stoppedUntil = null;
        return true;
    }

    /** Answered calls up now whose minutes a limit counts. */
    public int answeredUp() {
        int up = 0;
        for (Key key : talking.values()) {
            up += key.answered.size();
        }
        return up;
    }

    /** Calls counted so far. */
    public long counted() {
        return counted;
    }

    /** Alerts made so far. */
    public long alerts() {
        return alerts;
    }

    private String keyOf(CallEvent call) {
        return switch (settings.per()) {
            case ENDPOINT -> ChannelName.endpointKey(call.channel());
            case SOURCE -> call.source() == null ? null : call.source().ip();
        };
    }

    /** The checks a new call makes, in the order they are reported: the first limit it passes. */
    private Trip started(String keyName, Key key, CallEvent call, DestinationClass type, Instant at) {
        Trip trip = null;
        if (settings.blocked().contains(type) && !key.classesCalled.contains(type)) {
            trip = new Trip("blocked-class", "first call to " + type.id() + " (" + call.destination().number()
                    + "), a blocked class", 1, 0);
        }
        if (key.classesCalled.add(type)) {
            learned(keyName, FraudHistory.Entry.CLASS, type.id(), at);
        }
        FraudSettings.Hours hours = settings.hours();
        if (trip == null && hours != null && hours.classes().contains(type)) {
            LocalTime local = LocalTime.ofInstant(at, hours.zone());
            if (!hours.inside(local)) {
                trip = new Trip("outside-hours", "call to " + type.id() + " at " + local.withNano(0) + ", outside "
                        + hours.from() + "-" + hours.to(), 1, 0);
            }
        }
        long now = at.toEpochMilli();
        for (int i = 0; i < settings.limits().size(); i++) {
            FraudSettings.Limit limit = settings.limits().get(i);
            if (limit.measure() != FraudSettings.Measure.CALLS || !limit.classes().contains(type)) {
                continue;
            }
            long count = add(key.windows.get(i), now, 1, limit.window(), limit.max() + 1);
            if (trip == null && count > limit.max()) {
                trip = new Trip("calls", count + " calls to " + names(limit.classes()) + " in "
                        + words(limit.window()) + "; max " + limit.max(), count, limit.max());
            }
        }
        FraudSettings.NewDestinations fresh = settings.newDestinations();
        if (fresh != null && fresh.classes().contains(type)
                && key.known.put(call.destination().number(), Boolean.TRUE) == null) {
            learned(keyName, FraudHistory.Entry.NUMBER, call.destination().number(), at);
            key.newNumbers.addLast(now);
            long from = now - fresh.window().toMillis();
            while (!key.newNumbers.isEmpty() && key.newNumbers.peekFirst() < from) {
                key.newNumbers.removeFirst();
            }
            while (key.newNumbers.size() > fresh.max() + 1) {
                key.newNumbers.removeFirst();
            }
            if (trip == null && key.newNumbers.size() > fresh.max()) {
                trip = new Trip("new-destinations", key.newNumbers.size() + " numbers never called before in "
                        + words(fresh.window()) + "; max " + fresh.max(), key.newNumbers.size(), fresh.max());
            }
        }
        if (trip == null && settings.concurrent() > 0 && key.live.size() > settings.concurrent()) {
            trip = new Trip("concurrent", key.live.size() + " calls up at once; max " + settings.concurrent(),
                    key.live.size(), settings.concurrent());
        }
        return trip;
    }

    /** The minutes limits an ended call counts toward. */
    private Trip ended(Key key, DestinationClass type, long seconds, Instant at) {
        if (seconds <= 0) {
            return null;
        }
        Trip trip = null;
        long now = at.toEpochMilli();
        for (int i = 0; i < settings.limits().size(); i++) {
            FraudSettings.Limit limit = settings.limits().get(i);
            if (limit.measure() != FraudSettings.Measure.MINUTES || !limit.classes().contains(type)) {
                continue;
            }
            long total = add(key.windows.get(i), now, seconds, limit.window(), MAX_MINUTE_ENTRIES);
            if (trip == null && total > limit.max() * 60L) {
                trip = new Trip("minutes", (total / 60) + " minutes talked to " + names(limit.classes()) + " in "
                        + words(limit.window()) + "; max " + limit.max(), total / 60, limit.max());
            }
        }
        return trip;
    }

    /** The total of a window of (time, amount) from {@code from} on, without changing it. */
    private static long total(ArrayDeque<long[]> window, long from) {
        long total = 0;
        for (long[] entry : window) {
            if (entry[0] >= from) {
                total += entry[1];
            }
        }
        return total;
    }

    /** Adds {@code amount} at {@code now} to a window of (time, amount) and returns the window's total. */
    private static long add(ArrayDeque<long[]> window, long now, long amount, Duration span, int maxEntries) {
        window.addLast(new long[] {now, amount});
        long from = now - span.toMillis();
        while (!window.isEmpty() && window.peekFirst()[0] < from) {
            window.removeFirst();
        }
        while (window.size() > maxEntries) {
            window.removeFirst();
        }
        long total = 0;
        for (long[] entry : window) {
            total += entry[1];
        }
        return total;
    }

    private static String names(Set<DestinationClass> classes) {
        return String.join(", ", classes.stream().map(DestinationClass::id).toList());
    }

    private static String words(Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }
}
