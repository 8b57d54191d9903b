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
 * <p>Consecutive lines very often share a stamp, so the last text and its instant are kept and reused.
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
        if (lastText != null && lastText.length() == length && lastText.regionMatches(0, text, from, length)) {
            return lastInstant;
        }
        StampFields fields = StampParser.parse(text, from, to);
        if (fields == null) {
            return null;
        }
        Instant instant = toInstant(fields);
        if (instant != null) {
            lastText = text.substring(from, to);
            lastInstant = instant;
        }
        return instant;
    }

    /** The instant of already parsed fields, applying the year context; null for an offset no clock uses. */
    public Instant toInstant(StampFields fields) {
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
