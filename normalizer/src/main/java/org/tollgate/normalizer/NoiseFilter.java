package org.tollgate.normalizer;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.tollgate.normalizer.message.SecurityNeedles;
import org.tollgate.normalizer.prefix.FileLineShape;
import org.tollgate.normalizer.prefix.SyslogLineShape;
import org.tollgate.normalizer.text.ByteWords;
import org.tollgate.normalizer.time.StampResolver;

/**
 * What the {@link Normalizer}'s fast path needs to tell a noise line from its bytes and to keep the year context
 * moving over such lines: whether a line is plain, where its stamp ends when it has a known shape and none of the
 * {@link SecurityNeedles}, and the date the year context last followed. Apart from the Normalizer, which keeps the
 * line count, the packet dump and the last instant, because it reads only the line and that date.
 */
final class NoiseFilter {

    private final SecurityNeedles needles;
    private final StampResolver stamps;
    private String lastTrackedDate;
    /** {@link #lastTrackedDate}'s bytes when it is ASCII (as a line's bytes compare with it), else null. */
    private byte[] lastTrackedDateBytes;

    NoiseFilter(SecurityNeedles needles, StampResolver stamps) {
        this.needles = needles;
        this.stamps = stamps;
    }

    /** True when every byte of {@code bytes[from, to)} is printable ASCII or a TAB, no {@code #} starting an escape. */
    static boolean plain(byte[] bytes, int from, int to) {
        boolean plain = true;
        for (int i = from; i < to && plain; i++) {
            byte b = bytes[i];
            // A byte is signed: above 0x7F is below 0x20.
            plain = (b >= 0x20 || b == '\t') && b != 0x7f && (b != '#' || ByteWords.plainHash(bytes, i, to));
        }
        return plain;
    }

    /**
     * Where the line's stamp ends when it is {@code plain}, has the {@link FileLineShape} or the
     * {@link SyslogLineShape} and holds none of the {@link SecurityNeedles}, otherwise -1 (see
     * {@link Normalizer#noiseStampEnd}). Reads only what never changes after construction.
     */
    int stampEnd(byte[] bytes, int from, int to, boolean plain) {
        if (!plain || from == to) {
            return -1;
        }
        int stampEnd = bytes[from] == '[' ? FileLineShape.stampEnd(bytes, from, to)
                : SyslogLineShape.stampEnd(bytes, from, to);
        return stampEnd < 0 || needles.anyIn(bytes, from, to) ? -1 : stampEnd;
    }

    /**
     * The year context follows the stamp {@code bytes[from, stampEnd)} of a noise line when its date part is not the
     * one it last followed, as {@link #follow(String, int, int)} does from the same text: the instant the stamp
     * resolved to then, else null.
     */
    Instant follow(byte[] bytes, int from, int stampEnd) {
        // The stamp's date part as follow(String…) finds it: from the stamp's start to its first blank or 'T' (in a
        // file line's stamp, the ten bytes after the bracket).
        int dateFrom;
        int dateTo;
        if (bytes[from] == '[') {
            dateFrom = from + FileLineShape.DATE_FROM;
            dateTo = from + FileLineShape.DATE_TO;
        } else {
            dateFrom = from;
            dateTo = from;
            while (dateTo < stampEnd && bytes[dateTo] != ' ' && bytes[dateTo] != 'T') {
                dateTo++;
            }
        }
        byte[] date = lastTrackedDateBytes;
        boolean sameDate = date != null && date.length == dateTo - dateFrom;
        for (int k = 0; sameDate && k < date.length; k++) {
            sameDate = bytes[dateFrom + k] == date[k];
        }
        if (sameDate) {
            return null;
        }
        // The stamp's bytes are ASCII.
        String stamp = new String(bytes, from, stampEnd - from, StandardCharsets.ISO_8859_1);
        return followDate(stamp, dateFrom - from, dateTo - from, stamp.length());
    }

    /**
     * The year context follows the stamp {@code source[from, to)} of a noise line: it moves only when the date does,
     * so a line whose date part (up to the first blank or 'T') is the one already followed costs one comparison and no
     * time object, and gives null. Otherwise the instant the stamp resolved to, or null.
     */
    Instant follow(String source, int from, int to) {
        int dateEnd = from;
        while (dateEnd < to && source.charAt(dateEnd) != ' ' && source.charAt(dateEnd) != 'T') {
            dateEnd++;
        }
        int dateLength = dateEnd - from;
        if (lastTrackedDate != null && lastTrackedDate.length() == dateLength
                && source.regionMatches(from, lastTrackedDate, 0, dateLength)) {
            return null;
        }
        return followDate(source, from, dateEnd, to);
    }

    /** The year context follows a new date: the stamp {@code source[from, to)}, its date part ending at {@code dateEnd}. */
    private Instant followDate(String source, int from, int dateEnd, int to) {
        lastTrackedDate = source.substring(from, dateEnd);
        lastTrackedDateBytes = ascii(lastTrackedDate);
        return stamps.resolve(source, from, to);
    }

    /** The bytes of {@code text} when every character is ASCII, else null. */
    private static byte[] ascii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return null;
            }
        }
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
