package org.tollgate.normalizer.prefix;

/** How a line was laid out before its message: which writer produced it. */
public enum Layout {
    /** Asterisk's file logger, default formatter: {@code [date] LEVEL[lwp][C-…] file.c: message}. */
    FILE("file"),
    /** Asterisk's {@code [plain]} formatter or captured console output: {@code [date] LEVEL[lwp]: file.c:123 function: message}. */
    PLAIN("plain"),
    /** Asterisk's {@code [json]} formatter: one JSON object per line. */
    ASTERISK_JSON("asterisk-json"),
    /** A BSD (RFC 3164) or RFC 3339-stamped syslog line: {@code Mar  1 15:35:53 pbx asterisk[2350]: …}. */
    SYSLOG("syslog"),
    /** An RFC 5424 syslog line: {@code <13>1 2026-01-18T17:39:50Z pbx asterisk 2350 - - …}. */
    SYSLOG_5424("syslog-5424"),
    /** A {@code journalctl -o json} record. */
    JOURNALD_JSON("journald-json"),
    /** A line of Docker's json-file log driver: {@code {"log":"…\n","stream":"stdout","time":"…"}}. */
    DOCKER_JSON("docker-json"),
    /** Asterisk's syslog message without the syslog header ({@code journalctl -o cat}): {@code NOTICE[4021]: chan_sip.c:123 in f: …}. */
    MESSAGE_ONLY("message-only"),
    /** A line of cdr_csv's {@code Master.csv}: one call record. */
    CDR_CSV("cdr-csv"),
    /** A line of cel_custom's {@code Master.csv} (the sample mapping): one channel event. */
    CEL_CSV("cel-csv"),
    /** No layout recognised: the whole line is taken as the message. */
    BARE("bare");

    private final String id;

    Layout(String id) {
        this.id = id;
    }

    /** The name used in events ({@code asterisk.layout}). */
    public String id() {
        return id;
    }
}
