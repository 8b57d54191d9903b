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
 * <p>Consecutive lines very often share a stamp, or its second: the last text and its instant are kept, and a text
 * that differs from it only in the digits of the fraction of a second is that second with its own fraction, without
 * reading the stamp or the calendar again.
 */
public final class StampResolver {

    /** How far a year-less stamp may lie after the reference before it is taken to be from the year before. */
    private static final long FUTURE_TOLERANCE_SECONDS = 2 * 86_400;
    /** ZoneOffset's range, {@code ±18:00}: an offset beyond it is no clock's. */
    private static final int MAX_OFFSET_SECONDS = 18 * 3600;

    private final ZoneId zone;
    private final ZoneRules rules;
    private final Instant reference;
    private int contextYear = StampFields.NO_YEAR;
    private int contextMonth;

    private String lastText;
    private Instant lastInstant;
    /**
     * Where the fraction's digits are in {@link #lastText}, {@code [fractionFrom, fractionTo)}, or -1: set only while
     * the year context is the one {@link #lastInstant} was resolved in (a stamp read again in the same second leaves
     * the context as it is, so the second of {@link #lastInstant} is its second too).
     */
    private int fractionFrom = -1;
    private int fractionTo;
    private final int[] fraction = new int[2];
    /**
     * The line whose stamp, at {@code heldFrom}, was the last read in the second of {@link #lastText}, or null:
     * {@link #lastText} is its text but for the fraction digits, copied out only when stamps are compared whole again.
     */
    private String held;
    private int heldFrom;

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
        int length = to - from;
        if (lastText != null && lastText.length() == length) {
            if (fractionFrom >= 0) {
                Instant sameSecond = inLastSecond(text, from, length);
                if (sameSecond != null) {
                    return sameSecond;
                }
            } else if (lastText.regionMatches(0, text, from, length)) {
                return lastInstant;
            }
        }
        StampFields fields = StampParser.parse(text, from, to, fraction);
        if (fields == null) {
            return null;
        }
        Instant instant = instantOf(fields);
        if (instant != null) {
            lastText = text.substring(from, to);
            lastInstant = instant;
            fractionFrom = fraction[0] < 0 ? -1 : fraction[0] - from;
            fractionTo = fraction[1] - from;
            held = null;
        } else {
            forgetSecond(); // the context may have moved: the last second is no longer known to read the same
        }
        return instant;
    }

    /**
     * {@code text[from, from + length)} as an instant when it is {@link #lastText} but for the digits of the fraction
     * (digits again): the stamp parser reads the same fields from it but {@code nanos}, so it is the same second.
     */
    private Instant inLastSecond(String text, int from, int length) {
        if (!lastText.regionMatches(0, text, from, fractionFrom)
                || !lastText.regionMatches(fractionTo, text, from + fractionTo, length - fractionTo)) {
            return null;
        }
        int nanos = 0;
        int digits = 0;
        for (int i = from + fractionFrom; i < from + fractionTo; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            if (digits < 9) {
                nanos = nanos * 10 + (c - '0');
                digits++;
            }
        }
        for (; digits < 9; digits++) {
            nanos *= 10;
        }
        if (nanos != lastInstant.getNano()) {
            lastInstant = Instant.ofEpochSecond(lastInstant.getEpochSecond(), nanos);
        }
        held = text;
        heldFrom = from;
        return lastInstant;
    }

    /** From now on stamps are compared whole with the last one read, whose text is copied out if it was held. */
    private void forgetSecond() {
        if (held != null) {
            lastText = held.substring(heldFrom, heldFrom + lastText.length());
            held = null;
        }
        fractionFrom = -1;
    }

    /** The instant of already parsed fields, applying the year context; null for an offset no clock uses. */
    public Instant toInstant(StampFields fields) {
        forgetSecond(); // the context moves outside resolve()
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
