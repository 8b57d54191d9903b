package org.tollgate.normalizer.call;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Set;

/**
 * One line of cel_custom's {@code Master.csv} with the mapping of the sample cel_custom.conf (1.8 to 22, every field
 * through CSV_QUOTE): eventtype, eventtime, CALLERID(name), CALLERID(num), CALLERID(ANI), CALLERID(RDNIS),
 * CALLERID(DNID), CHANNEL(exten), CHANNEL(context), CHANNEL(channame), CHANNEL(appname), CHANNEL(appdata),
 * CHANNEL(amaflags), CHANNEL(accountcode), CHANNEL(uniqueid), CHANNEL(linkedid), BRIDGEPEER, CHANNEL(userfield),
 * userdeftype, eventextra. {@code eventtime} is main/cel.c's {@code "%ld.%06ld"} unless cel.conf sets a
 * {@code dateformat} (then read as {@code %F %T}).
 *
 * @param type     the CEL event type ({@code CHAN_START}, {@code ANSWER}, {@code HANGUP}, {@code APP_START}, …)
 * @param time     when
 * @param exten    the channel's extension
 * @param context  its context
 * @param channel  the channel
 * @param app      the application ({@code APP_START}/{@code APP_END})
 * @param appData  its data
 * @param uniqueId the channel's uniqueid
 * @param linkedId the uniqueid of the channel that started the call: a channel whose linkedid is its own uniqueid
 *                 started the call, the others are its legs
 */
public record CelRecord(String type, Instant time, String exten, String context, String channel, String app,
                        String appData, String uniqueId, String linkedId) {

    /** main/cel.c's cel_event_types, 1.8–22. */
    static final Set<String> TYPES = Set.of("CHAN_START", "CHAN_END", "ANSWER", "HANGUP", "APP_START", "APP_END",
            "PARK_START", "PARK_END", "USER_DEFINED", "BRIDGE_ENTER", "BRIDGE_EXIT", "BRIDGE_START", "BRIDGE_END",
            "BRIDGE_UPDATE", "CONF_START", "CONF_END", "CONF_ENTER", "CONF_EXIT", "BLINDTRANSFER", "ATTENDEDTRANSFER",
            "TRANSFER", "PICKUP", "FORWARD", "3WAY_START", "3WAY_END", "HOOKFLASH", "LINKEDID_END", "LOCAL_OPTIMIZE",
            "LOCAL_OPTIMIZE_BEGIN", "STREAM_BEGIN", "STREAM_END", "DTMF");
    static final int COLUMNS = 20;

    /** The record {@code line} holds, a dateformat'ed time read in {@code zone}; null when it is not such a line. */
    public static CelRecord parse(String line, ZoneId zone) {
        if (line.isEmpty() || line.charAt(0) != '"') {
            return null;
        }
        CsvLine csv = CsvLine.split(line, COLUMNS);
        if (csv == null || csv.count != COLUMNS || !TYPES.contains(csv.fields[0])) {
            return null;
        }
        for (int i = 0; i < COLUMNS; i++) {
            if (!csv.quoted[i]) {
                return null;
            }
        }
        Instant time = CsvLine.epochMicros(csv.fields[1]);
        if (time == null) {
            time = CsvLine.date(csv.fields[1], zone);
        }
        if (time == null) {
            return null;
        }
        return new CelRecord(csv.fields[0], time, csv.fields[7], csv.fields[8], csv.fields[9], csv.fields[10],
                csv.fields[11], csv.fields[14], csv.fields[15]);
    }
}
