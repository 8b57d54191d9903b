package org.tollgate.normalizer.call;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Set;

/**
 * One line of cdr_csv's {@code Master.csv} (cdr/cdr_csv.c build_csv_record, the same column order in 1.8, 11, 13,
 * 16, 18, 20 and 22): accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp, lastdata, start, answer,
 * end, duration, billsec, disposition, amaflags; then uniqueid ({@code loguniqueid}), userfield ({@code
 * loguserfield}), and from 11 peeraccount, linkedid, sequence ({@code newcdrcolumns}). Dates are
 * {@code "%Y-%m-%d %T"} in the PBX's local time, or UTC with {@code usegmtime}; answer is empty for an unanswered
 * call. src and clid are the caller ID, which the caller chose.
 *
 * @param dst         the extension dialled (the macro's extension inside a macro: the number the phone dialled)
 * @param dcontext    its context
 * @param channel     the calling channel
 * @param dstchannel  the called channel, or empty
 * @param lastapp     the last application ({@code Dial})
 * @param lastdata    its data (the dial string)
 * @param billsec     seconds from answer to end
 * @param disposition {@code ANSWERED}, {@code NO ANSWER}, {@code BUSY}, {@code FAILED}, {@code CONGESTION} (13+),
 *                    {@code CANCEL} (13+)
 * @param uniqueId    the calling channel's uniqueid, when logged
 */
public record CdrRecord(String dst, String dcontext, String channel, String dstchannel, String lastapp,
                        String lastdata, Instant start, Instant answer, Instant end, long billsec, String disposition,
                        String uniqueId) {

    /** cdr.c's ast_cdr_disp2str. */
    static final Set<String> DISPOSITIONS = Set.of("NO ANSWER", "FAILED", "BUSY", "ANSWERED", "CONGESTION", "CANCEL",
            "UNKNOWN");
    /** Columns without and with every optional one. */
    static final int MIN_COLUMNS = 16;
    static final int MAX_COLUMNS = 21;

    /** The record {@code line} holds, dates read in {@code zone}; null when it is not a cdr_csv line. */
    public static CdrRecord parse(String line, ZoneId zone) {
        if (line.isEmpty() || line.charAt(0) != '"') {
            return null;
        }
        CsvLine csv = CsvLine.split(line, MAX_COLUMNS);
        if (csv == null || csv.count < MIN_COLUMNS) {
            return null;
        }
        for (int i = 0; i <= 8; i++) {
            if (!csv.quoted[i]) {
                return null;
            }
        }
        if (!csv.quoted[9] || !csv.quoted[11] || csv.quoted[12] || csv.quoted[13] || !csv.quoted[14]
                || !csv.quoted[15] || csv.quoted[10] == csv.fields[10].isEmpty()) {
            return null;
        }
        Instant start = CsvLine.date(csv.fields[9], zone);
        Instant answer = csv.fields[10].isEmpty() ? null : CsvLine.date(csv.fields[10], zone);
        Instant end = CsvLine.date(csv.fields[11], zone);
        int billsec = CsvLine.number(csv.fields[13], 0, csv.fields[13].length());
        if (start == null || end == null || (answer == null) != csv.fields[10].isEmpty()
                || CsvLine.number(csv.fields[12], 0, csv.fields[12].length()) < 0 || billsec < 0
                || !DISPOSITIONS.contains(csv.fields[14])) {
            return null;
        }
        String uniqueId = csv.count > 16 && csv.quoted[16] && uniqueIdShape(csv.fields[16]) ? csv.fields[16] : null;
        return new CdrRecord(csv.fields[2], csv.fields[3], csv.fields[5], csv.fields[6], csv.fields[7], csv.fields[8],
                start, answer, end, billsec, csv.fields[14], uniqueId);
    }

    /** An Asterisk uniqueid: {@code 1768757990.42}, or {@code <systemname>-1768757990.42}. */
    static boolean uniqueIdShape(String text) {
        int dot = text.lastIndexOf('.');
        if (dot <= 0 || dot == text.length() - 1 || text.length() > 150) {
            return false;
        }
        for (int i = dot + 1; i < text.length(); i++) {
            if (!Character.isDigit(text.charAt(i))) {
                return false;
            }
        }
        int i = dot - 1;
        while (i >= 0 && Character.isDigit(text.charAt(i))) {
            i--;
        }
        return i < dot - 1 && (i < 0 || text.charAt(i) == '-');
    }
}
