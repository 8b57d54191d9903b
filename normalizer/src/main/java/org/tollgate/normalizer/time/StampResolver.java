package org.tollgate.normalizer.time;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;

/**
 * Turns stamp text into an instant, for one input (a file, a stream) read in order.
 *
 * <p>Stamps without a zone are in {@link #zone}, the zone the PBX logged in. Stamps without a year take it from
 * context: the first one gets the year that puts it at or before the reference instant (a file's modification time,
 * which is when its last line was written; or now, for a live stream), every later one the year of the previous
 * stamp, plus one when the month goes backwards (December to January). A stamp with a year resets the context.
 *
 * <p>Consecutive lines very often share a stamp, or its second, and a log that mixes layouts (the file's own lines
 * between syslog's or journald's) goes back and forth between a few seconds in a few spellings: the last
 * {@value #SLOTS} stamps read are kept with their instants, and a text that is one of them, or differs from one only in
 * the digits of the fraction of a second, is that instant, or that second with its own fraction, without reading the
 * stamp or the calendar again. A kept stamp stands for what reading it again would give only while the year context
 * is the one it left (reading it again then leaves the context as it is); the last one read also stands for its exact
 * text whatever the context has done since, as it always has.
 */
public final class StampResolver {

    /** How far a year-less stamp may lie after the reference before it is taken to be from the year before. */
    private static final long FUTURE_TOLERANCE_SECONDS = 2 * 86_400;
    /** ZoneOffset's range, {@code ±18:00}: an offset beyond it is no clock's. */
    private static final int MAX_OFFSET_SECONDS = 18 * 3600;
    /** Stamps kept: a few layouts' seconds side by side. */
    static final int SLOTS = 4;

    private final ZoneId zone;
    private final ZoneRules rules;
    private final Instant reference;
    private int contextYear = StampFields.NO_YEAR;
    private int contextMonth;

    /** The stamps kept, the last read first; null where none is yet. */
    private final Kept[] kept = new Kept[SLOTS];
    private final int[] fraction = new int[2];

    /**
     * One stamp read: its text, {@code source[from, from + length)}, where the line it was read in is kept rather than
     * a copy (a stamp seen again in the same second takes the newer line's place), its instant, and the year context
     * it left.
     */
    static final class Kept {
        String source;
        int from;
        int length;
        Instant instant;
        /** Where the fraction's digits are, {@code [fractionFrom, fractionTo)} after {@link #from}, or -1. */
        int fractionFrom;
        int fractionTo;
        int year;
        int month;
        /**
         * The bytes of the stamp first read into this slot when it was ASCII, else null: a plain line's stamp is
         * compared with them but for the fraction's digits ({@link KeptBytes#inSecond}), which are all that
         * {@link #source} changes in while the slot stands for one second.
         */
        byte[] bytes;
    }

    public StampResolver(ZoneId zone, Instant reference) {
        this.zone = zone;
        this.rules = zone.getRules();
        this.reference = reference;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The instant the stamp {@code text[from, to)} names, or {@code null} when the text is not a stamp. */
    public Instant resolve(String text, int from, int to) {
        return resolve(text, from, to, null, 0);
    }

    /**
     * As {@link #resolve(String, int, int)} for a plain line's {@code text} whose bytes are {@code bytes[offset, offset
     * + text.length())} (each byte one character), or {@code bytes} null: the stamp is then compared with the kept
     * ones from its bytes. Under the first compiler (as {@code tollgate check} runs) each {@code charAt} and
     * {@code regionMatches} is a call with its own checks, where a byte of an array is a load.
     */
    public Instant resolve(String text, int from, int to, byte[] bytes, int offset) {
        int length = to - from;
        for (int i = 0; i < SLOTS; i++) {
            Kept k = kept[i];
            if (k == null) {
                break;
            }
            if (k.length != length) {
                continue;
            }
            boolean sameContext = k.year == contextYear && k.month == contextMonth;
            Instant instant = null;
            if (sameContext && k.fractionFrom >= 0) {
                instant = bytes != null && k.bytes != null ? KeptBytes.inSecond(k, text, from, bytes, offset + from)
                        : inSecond(k, text, from, length);
            } else if ((sameContext || i == 0) && k.source.regionMatches(k.from, text, from, length)) {
                instant = k.instant;
            }
            if (instant != null) {
                toFront(i);
                return instant;
            }
        }
        StampFields fields = StampParser.parse(text, from, to, fraction);
        if (fields == null) {
            return null;
        }
        Instant instant = instantOf(fields);
        if (instant != null) {
            Kept k = kept[SLOTS - 1] != null ? kept[SLOTS - 1] : new Kept();
            kept[SLOTS - 1] = k;
            toFront(SLOTS - 1);
            k.source = text;
            k.from = from;
            k.length = length;
            k.instant = instant;
            k.fractionFrom = fraction[0] < 0 ? -1 : fraction[0] - from;
            k.fractionTo = fraction[1] - from;
            k.year = contextYear;
            k.month = contextMonth;
            k.bytes = KeptBytes.ascii(text, from, to);
        }
        return instant;
    }

    /** Makes {@code kept[i]} the last read, the ones before it one place later. */
    private void toFront(int i) {
        Kept k = kept[i];
        System.arraycopy(kept, 0, kept, 1, i);
        kept[0] = k;
    }

    /**
     * {@code text[from, from + length)} as an instant when it is {@code k}'s text but for the digits of the fraction
     * (digits again): the stamp parser reads the same fields from it but {@code nanos}, so it is the same second.
     */
    private static Instant inSecond(Kept k, String text, int from, int length) {
        // The usual stamp ends with its fraction: no text after it to compare (under the first compiler regionMatches
        // is a call whose checks cost more than a short comparison).
        if (!k.source.regionMatches(k.from, text, from, k.fractionFrom) || length > k.fractionTo
                && !k.source.regionMatches(k.from + k.fractionTo, text, from + k.fractionTo, length - k.fractionTo)) {
            return null;
        }
        int nanos = 0;
        for (int i = k.fractionFrom; i < k.fractionTo && nanos >= 0; i++) {
            nanos = withDigit(nanos, i - k.fractionFrom, text.charAt(from + i));
        }
        if (nanos < 0) {
            return null;
        }
        moveTo(k, text, from, scaled(nanos, k.fractionTo - k.fractionFrom));
        return k.instant;
    }

    /**
     * A fraction's first digits read so far, {@code value}, with its digit number {@code index} (from 0), {@code c}:
     * only the first nine count. -1 when {@code c} is no digit.
     */
    static int withDigit(int value, int index, int c) {
        if (c < '0' || c > '9') {
            return -1;
        }
        return index < 9 ? value * 10 + (c - '0') : value;
    }

    /** The nanoseconds of a fraction of {@code count} digits whose first nine or fewer read {@code value}. */
    static int scaled(int value, int count) {
        int nanos = value;
        for (int digits = count; digits < 9; digits++) {
            nanos *= 10;
        }
        return nanos;
    }

    /** {@code k} stands from now on for its second's stamp {@code text[from…]}, whose fraction is {@code nanos}. */
    static void moveTo(Kept k, String text, int from, int nanos) {
        if (nanos != k.instant.getNano()) {
            k.instant = Instant.ofEpochSecond(k.instant.getEpochSecond(), nanos);
        }
        k.source = text;
        k.from = from;
    }

    /** The instant of already parsed fields, applying the year context; null for an offset no clock uses. */
    public Instant toInstant(StampFields fields) {
        return instantOf(fields);
    }

    private Instant instantOf(StampFields fields) {
        int year = fields.hasYear() ? fields.year() : inferYear(fields);
        if (fields.hasYear()) {
            contextYear = year;
            contextMonth = fields.month();
        }
        int day = Math.min(fields.day(), LocalDate.of(year, fields.month(), 1).lengthOfMonth());
        LocalDateTime local = LocalDateTime.of(year, fields.month(), day, fields.hour(), fields.minute(),
                fields.second(), fields.nanos());
        if (fields.hasOffset() && Math.abs(fields.offsetSeconds()) > MAX_OFFSET_SECONDS) {
            return null; // "-18:54" after a time is no offset a clock uses: not a stamp
        }
        ZoneOffset offset = fields.hasOffset()
                ? ZoneOffset.ofTotalSeconds(fields.offsetSeconds())
                : rules.getOffset(local);
        return local.toInstant(offset);
    }

    private int inferYear(StampFields fields) {
        if (contextYear == StampFields.NO_YEAR) {
            int year = reference.atZone(zone).getYear();
            Instant candidate = LocalDateTime.of(year, fields.month(), Math.min(fields.day(), 28), fields.hour(),
                    fields.minute()).atZone(zone).toInstant();
            if (candidate.getEpochSecond() > reference.getEpochSecond() + FUTURE_TOLERANCE_SECONDS) {
                year--;
            }
            contextYear = year;
        } else if (fields.month() < contextMonth && contextMonth - fields.month() >= 2) {
            // A log only moves forward: going back two months or more is a new year, however quiet the file was
            // (one month back is a line written late at the turn of a month).
            contextYear++;
        } else if (fields.month() == 12 && contextMonth == 1) {
            // A late line from the end of the previous year, just after the rollover: the context stays. (Any other
            // forward step, however long, is the log moving on: a file can be quiet for months.)
            return contextYear - 1;
        }
        contextMonth = fields.month();
        return contextYear;
    }
}
